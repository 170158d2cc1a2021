#pragma once

#include "MetricsSource.h"

#include <QObject>
#include <QPromise>
#include <QUrl>
#include <functional>

class QJsonDocument;

class QNetworkAccessManager;

namespace isobar {

class RemoteMetricsSource;

// Walks a remote server's UKHSA public API by its links, as UKHSA's own clients do: the index
// (at /api/public/timeseries/, else at the root, where UKHSA's public mode serves it), then each
// list, each item's detail and the list it links to, themes down to metrics. Requests go out as
// soon as their link is known (QNetworkAccessManager runs several at once); the promise gets every
// (theme, ..., geography, metric) path when the last answer has arrived. A 429 is retried after
// its Retry-After. Only links to the server itself are followed, at most kMaxRequests of them.
// Deletes itself when done; dies with the network manager it is a child of.
class CatalogueCrawl : public QObject
{
    Q_OBJECT
public:
    CatalogueCrawl(const RemoteMetricsSource &source, QNetworkAccessManager &network);

    QFuture<CatalogueResult> start();

private:
    using Answer = std::function<void(const QJsonDocument &)>;
    // The public API's index: `indexPath` on the server, else its root.
    void index(const QByteArray &indexPath);
    // A list of the names one level below `path` (the values of the levels above, in order).
    void list(const QUrl &url, const QStringList &path);
    // A name's detail: the link to the list below it.
    void detail(const QUrl &url, const QStringList &path);
    // GETs `url` (again after a 429) and gives `answer` its JSON; a 404 goes to `notFound` when
    // there is one, any other failure ends the crawl.
    void get(const QUrl &url, const Answer &answer, const std::function<void()> &notFound = {});
    void finish(const QString &error);

    const RemoteMetricsSource &m_source;
    QNetworkAccessManager &m_network;
    QPromise<CatalogueResult> m_promise;
    CatalogueResult m_result;
    int m_pending = 0;
    int m_requests = 0; // sent, retries included
    bool m_finished = false;
};

} // namespace isobar
