#include "CatalogueCrawl.h"

#include "RemoteMetricsSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>
#include <algorithm>

namespace isobar {

namespace {

// The drill-down's collections, from the top: the last one lists metrics.
constexpr const char *kCollections[] = {"themes",          "sub_themes",  "topics",
                                        "geography_types", "geographies", "metrics"};
constexpr int kLevels = int(std::size(kCollections));

} // namespace

CatalogueCrawl::CatalogueCrawl(const RemoteMetricsSource &source, QNetworkAccessManager &network)
    : QObject(&network)
    , m_source(source)
    , m_network(network)
{}

QFuture<CatalogueResult> CatalogueCrawl::start()
{
    QFuture<CatalogueResult> future = m_promise.future();
    m_promise.start();
    list({});
    return future;
}

void CatalogueCrawl::list(const QStringList &path)
{
    ++m_pending; // until the list has arrived, however many attempts that takes
    request(path);
}

void CatalogueCrawl::request(const QStringList &path)
{
    QByteArray encoded = "/api/public/timeseries";
    for (int i = 0; i < path.size(); ++i)
        encoded += '/' + QByteArray(kCollections[i]) + '/' + QUrl::toPercentEncoding(path[i]);
    encoded += '/' + QByteArray(kCollections[path.size()]) + '/';
    QNetworkReply *reply = m_network.get(QNetworkRequest(m_source.endpoint(encoded)));
    connect(reply, &QNetworkReply::finished, this, [this, reply, path] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 429 && !m_finished) {
            // The server limits requests per caller: ask again when it says to.
            const int seconds = std::clamp(reply->rawHeader("Retry-After").toInt(), 1, 60);
            QTimer::singleShot(seconds * 1000, this, [this, path] { request(path); });
            return;
        }
        --m_pending;
        if (m_finished) { // an earlier list failed: wait for the others, then go
            if (m_pending == 0)
                deleteLater();
            return;
        }
        const QByteArray body = reply->readAll();
        if (reply->error() != QNetworkReply::NoError) {
            finish(replyError(reply, body));
            return;
        }
        const QJsonDocument document = QJsonDocument::fromJson(body);
        if (!document.isArray()) {
            finish(tr("%1 did not answer with a list").arg(reply->url().toString()));
            return;
        }
        for (const auto &item : document.array()) {
            const QStringList below = path + QStringList{item.toObject().value(u"name").toString()};
            if (below.size() < kLevels) {
                list(below);
                continue;
            }
            m_result.entries.append({below[0], below[1], below[2], below[3], below[4], below[5]});
        }
        if (m_pending == 0)
            finish({});
    });
}

void CatalogueCrawl::finish(const QString &error)
{
    m_finished = true;
    m_result.error = error;
    if (error.isEmpty()) {
        // Lists arrive in any order; the local store's catalogue comes sorted, so does this.
        std::sort(m_result.entries.begin(), m_result.entries.end(),
                  [](const CatalogueEntry &a, const CatalogueEntry &b) {
                      return std::tie(a.theme, a.subTheme, a.topic, a.geographyType, a.geography,
                                      a.metric)
                             < std::tie(b.theme, b.subTheme, b.topic, b.geographyType, b.geography,
                                        b.metric);
                  });
    } else {
        m_result.entries.clear();
    }
    m_promise.addResult(m_result);
    m_promise.finish();
    if (m_pending == 0)
        deleteLater();
}

} // namespace isobar
