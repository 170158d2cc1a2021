#include "OidcKeyProvider.h"

#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <utility>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
Q_LOGGING_CATEGORY(lcOidc, "isobar.oidc")
constexpr qint64 kMaxDocumentBytes = qint64{1024} * 1024;
} // namespace

OidcKeyProvider::OidcKeyProvider(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_jwksUrl(m_options.jwksUrl)
{
    connect(&m_periodic, &QTimer::timeout, this, [this] {
        if (!m_fetching)
            fetch();
    });
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this,
            [this] { finish(u"no answer within %1 ms"_s.arg(m_options.timeoutMs)); });
}

OidcKeyProvider::~OidcKeyProvider()
{
    stop();
}

bool OidcKeyProvider::isAcceptableUrl(const QUrl &url, QString *why)
{
    if (!url.isValid() || url.host().isEmpty()) {
        if (why)
            *why = u"'%1' is not an absolute URL"_s.arg(url.toString());
        return false;
    }
    if (url.scheme() == u"https")
        return true;
    const QHostAddress address(url.host());
    const bool loopback = url.host() == u"localhost" || (!address.isNull() && address.isLoopback());
    if (url.scheme() == u"http" && loopback)
        return true;
    if (why)
        *why = u"'%1' must use https (plain http only on loopback)"_s.arg(url.toString());
    return false;
}

QNetworkRequest OidcKeyProvider::request(const QUrl &url) const
{
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_options.timeoutMs);
    // A redirect could leave https; the provider's URLs are configured, not discovered freely.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    return request;
}

QFuture<void> OidcKeyProvider::start()
{
    m_periodic.start(m_options.refreshIntervalSeconds * 1000);
    return refresh();
}

QFuture<void> OidcKeyProvider::refresh()
{
    if (!m_fetching) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_lastStartMs >= 0
            && now - m_lastStartMs < qint64{m_options.minRefreshGapSeconds} * 1000)
            return QtFuture::makeReadyFuture();
    }
    QPromise<void> &waiter = m_waiters.emplace_back();
    waiter.start();
    QFuture<void> answer = waiter.future();
    if (!m_fetching)
        fetch();
    return answer;
}

void OidcKeyProvider::stop()
{
    m_periodic.stop();
    if (m_fetching)
        finish(u"stopped before the provider answered"_s);
}

void OidcKeyProvider::fetch()
{
    m_fetching = true;
    m_lastStartMs = QDateTime::currentMSecsSinceEpoch();
    m_deadline.start(m_options.timeoutMs);
    if (!m_jwksUrl.isEmpty()) {
        get(m_jwksUrl, &OidcKeyProvider::fetchedJwks);
        return;
    }
    QUrl discovery = m_options.issuer;
    discovery.setPath(discovery.path().chopped(discovery.path().endsWith(u'/') ? 1 : 0)
                      + u"/.well-known/openid-configuration"_s);
    get(discovery, &OidcKeyProvider::discovered);
}

void OidcKeyProvider::get(const QUrl &url, void (OidcKeyProvider::*onFinished)(QNetworkReply &))
{
    QNetworkReply *reply = m_network.get(request(url));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, onFinished] {
        reply->deleteLater();
        m_reply = nullptr;
        (this->*onFinished)(*reply);
    });
}

void OidcKeyProvider::discovered(QNetworkReply &reply)
{
    if (reply.error() != QNetworkReply::NoError) {
        finish(u"discovery failed: %1"_s.arg(reply.errorString()));
        return;
    }
    const QJsonObject document = QJsonDocument::fromJson(reply.read(kMaxDocumentBytes)).object();
    const QUrl jwks(document.value(u"jwks_uri").toString());
    QString why;
    if (document.value(u"issuer").toString() != m_options.issuer.toString()) {
        finish(u"discovery names another issuer"_s);
        return;
    }
    if (!isAcceptableUrl(jwks, &why)) {
        finish(u"discovery jwks_uri rejected: %1"_s.arg(why));
        return;
    }
    m_jwksUrl = jwks;
    get(jwks, &OidcKeyProvider::fetchedJwks);
}

void OidcKeyProvider::fetchedJwks(QNetworkReply &reply)
{
    if (reply.error() != QNetworkReply::NoError) {
        finish(u"JWKS fetch failed: %1"_s.arg(reply.errorString()));
        return;
    }
    QStringList skipped;
    auto keys = std::make_shared<JsonWebKeySet>(
        JsonWebKeySet::parse(reply.read(kMaxDocumentBytes), &skipped));
    if (keys->size() == 0) {
        finish(u"JWKS holds no usable key"_s);
        return;
    }
    if (!skipped.isEmpty())
        qCWarning(lcOidc).noquote() << "event=jwks_keys_skipped kids=" + skipped.join(u',');
    m_keys = std::move(keys);
    m_stats.lastSuccessMs = QDateTime::currentMSecsSinceEpoch();
    finish({});
}

void OidcKeyProvider::finish(const QString &error)
{
    m_deadline.stop();
    if (QNetworkReply *reply = std::exchange(m_reply, nullptr)) {
        // Given up on (deadline or stop): its late answer must not end another refresh.
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_fetching = false;
    ++m_stats.refreshes;
    if (!error.isEmpty()) {
        ++m_stats.failures;
        m_stats.lastError = error;
        qCWarning(lcOidc).noquote() << "event=jwks_refresh_failed error=" + error;
    } else {
        m_stats.lastError.clear();
        qCInfo(lcOidc).noquote() << u"event=jwks_refreshed keys=%1"_s.arg(m_keys->size());
    }
    // Every waiter, however many joined: each then reads keys() for itself.
    std::vector<QPromise<void>> waiters = std::move(m_waiters);
    m_waiters.clear();
    for (QPromise<void> &waiter : waiters)
        waiter.finish();
}

OidcKeyProvider::Stats OidcKeyProvider::stats() const
{
    Stats stats = m_stats;
    stats.keys = m_keys->size();
    stats.waiting = int(m_waiters.size());
    return stats;
}

void OidcKeyProvider::writePrometheus(PrometheusText &out) const
{
    const Stats now = stats();
    out.family(prometheus::kJwksRefreshes, "counter",
               "Fetches of the provider's signing keys by outcome.");
    out.sample(prometheus::kJwksRefreshes, {{u"outcome"_s, u"ok"_s}},
               double(now.refreshes - now.failures));
    out.sample(prometheus::kJwksRefreshes, {{u"outcome"_s, u"failed"_s}}, double(now.failures));
}

} // namespace isobar
