#include "CatalogueCrawl.h"

#include "RemoteMetricsSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The drill-down's depth: themes, sub-themes, topics, geography types, geographies, metrics.
constexpr int kLevels = 6;
// A catalogue needs a request per list and per detail: thousands for UKHSA's. A server whose
// links never end (by mistake or design) stops the crawl here instead of running forever.
constexpr int kMaxRequests = 100'000;

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
    index("/api/public/timeseries/");
    return future;
}

void CatalogueCrawl::index(const QByteArray &indexPath)
{
    const QUrl url = m_source.endpoint(indexPath);
    get(
        url,
        [this, url](const QJsonDocument &document) {
            const QString themes =
                document.object().value(u"links").toObject().value(u"themes").toString();
            if (themes.isEmpty())
                finish(tr("%1 is not the index of a UKHSA public API").arg(url.toString()));
            else
                list(url.resolved(QUrl(themes)), {});
        },
        indexPath == "/" ? std::function<void()>() : [this] { index("/"); });
}

void CatalogueCrawl::list(const QUrl &url, const QStringList &path)
{
    get(url, [this, url, path](const QJsonDocument &document) {
        if (!document.isArray()) {
            finish(tr("%1 did not answer with a list").arg(url.toString()));
            return;
        }
        for (const auto &value : document.array()) {
            const QJsonObject item = value.toObject();
            const QStringList below = path + QStringList{item.value(u"name").toString()};
            if (below.size() == kLevels)
                m_result.entries.append(
                    {below[0], below[1], below[2], below[3], below[4], below[5]});
            else
                detail(url.resolved(QUrl(item.value(u"link").toString())), below);
        }
    });
}

void CatalogueCrawl::detail(const QUrl &url, const QStringList &path)
{
    get(url, [this, url, path](const QJsonDocument &document) {
        // [{"<collection below>": link}], or [] for a name the server no longer holds.
        const QJsonArray links = document.array();
        if (!document.isArray() || links.size() > 1) {
            finish(tr("%1 did not answer with a link").arg(url.toString()));
            return;
        }
        if (!links.isEmpty() && !links.first().toObject().isEmpty())
            list(url.resolved(QUrl(links.first().toObject().begin()->toString())), path);
    });
}

void CatalogueCrawl::get(const QUrl &url, const Answer &answer,
                         const std::function<void()> &notFound)
{
    if (m_finished)
        return;
    // Links are the server's to write, not to point anywhere: only its own origin is asked.
    const QUrl origin = m_source.endpoint("/");
    if (url.scheme() != origin.scheme() || url.host() != origin.host()
        || url.port(-1) != origin.port(-1)) {
        finish(tr("%1 links outside itself, to %2").arg(origin.toString(), url.toString()));
        return;
    }
    if (++m_requests > kMaxRequests) {
        finish(tr("%1 needs more than %2 requests for its catalogue")
                   .arg(origin.toString())
                   .arg(kMaxRequests));
        return;
    }
    ++m_pending; // until the answer has arrived, however many attempts that takes
    QNetworkReply *reply = m_network.get(QNetworkRequest(url));
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, answer, notFound] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 429 && !m_finished) {
            // The server limits requests per caller: ask again when it says to (still pending).
            const int seconds = std::clamp(reply->rawHeader("Retry-After").toInt(), 1, 60);
            QTimer::singleShot(seconds * 1000, this, [this, url, answer, notFound] {
                --m_pending;
                get(url, answer, notFound);
            });
            return;
        }
        --m_pending;
        if (m_finished) { // an earlier answer failed: wait for the others, then go
            if (m_pending == 0)
                deleteLater();
            return;
        }
        const QByteArray body = reply->readAll();
        if (status == 404 && notFound)
            notFound();
        else if (reply->error() != QNetworkReply::NoError)
            finish(replyError(reply, body));
        else
            answer(QJsonDocument::fromJson(body));
        if (m_pending == 0 && !m_finished)
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
