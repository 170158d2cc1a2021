#pragma once

#include "MetricsSource.h"

#include <QObject>
#include <QPromise>

class QNetworkAccessManager;

namespace isobar {

class RemoteMetricsSource;

// Walks a remote server's public drill-down, themes down to metrics, requesting each level's
// lists as soon as their parent is known (QNetworkAccessManager runs several at once), and
// fulfils the promise with every (theme, ..., geography, metric) path when the last list has
// arrived. A 429 is retried after its Retry-After. Deletes itself when done; dies with the network
// manager it is a child of.
class CatalogueCrawl : public QObject
{
    Q_OBJECT
public:
    CatalogueCrawl(const RemoteMetricsSource &source, QNetworkAccessManager &network);

    QFuture<CatalogueResult> start();

private:
    // Requests the names one level below `path` (the values of the levels above, in order).
    void list(const QStringList &path);
    void request(const QStringList &path);
    void finish(const QString &error);

    const RemoteMetricsSource &m_source;
    QNetworkAccessManager &m_network;
    QPromise<CatalogueResult> m_promise;
    CatalogueResult m_result;
    int m_pending = 0;
    bool m_finished = false;
};

} // namespace isobar
