#include "OidcKeyProvider.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QPromise>

namespace isobar {

namespace {
Q_LOGGING_CATEGORY(lcOidc, "isobar.oidc")
constexpr qint64 kMaxDocumentBytes = 1024 * 1024;
} // namespace

OidcKeyProvider::OidcKeyProvider(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_jwksUrl(m_options.jwksUrl)
{
    connect(&m_periodic, &QTimer::timeout, this, [this] { refresh(); });
}

bool OidcKeyProvider::isAcceptableUrl(const QUrl &url, QString *why)
{
    if (!url.isValid() || url.host().isEmpty()) {
        if (why)
            *why = QStringLiteral("'%1' is not an absolute URL").arg(url.toString());
        return false;
    }
    if (url.scheme() == u"https")
        return true;
    const QHostAddress address(url.host());
    const bool loopback = url.host() == u"localhost" || (!address.isNull() && address.isLoopback());
    if (url.scheme() == u"http" && loopback)
        return true;
    if (why)
        *why =
            QStringLiteral("'%1' must use https (plain http only on loopback)").arg(url.toString());
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
    if (m_inFlight)
        return m_inFlightFuture;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastStartMs >= 0 && now - m_lastStartMs < m_options.minRefreshGapSeconds * 1000)
        return QtFuture::makeReadyFuture();
    m_lastStartMs = now;
    m_inFlight = std::make_shared<QPromise<void>>();
    m_inFlightFuture = m_inFlight->future();
    m_inFlight->start();

    if (!m_jwksUrl.isEmpty()) {
        fetchJwks(m_jwksUrl);
        return m_inFlightFuture;
    }
    QUrl discovery = m_options.issuer;
    discovery.setPath(discovery.path().chopped(discovery.path().endsWith(u'/') ? 1 : 0)
                      + QStringLiteral("/.well-known/openid-configuration"));
    QNetworkReply *reply = m_network.get(request(discovery));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            finish(QStringLiteral("discovery failed: %1").arg(reply->errorString()));
            return;
        }
        const QJsonObject document =
            QJsonDocument::fromJson(reply->read(kMaxDocumentBytes)).object();
        const QUrl jwks(document.value(u"jwks_uri").toString());
        QString why;
        if (document.value(u"issuer").toString() != m_options.issuer.toString()) {
            finish(QStringLiteral("discovery names another issuer"));
            return;
        }
        if (!isAcceptableUrl(jwks, &why)) {
            finish(QStringLiteral("discovery jwks_uri rejected: %1").arg(why));
            return;
        }
        m_jwksUrl = jwks;
        fetchJwks(jwks);
    });
    return m_inFlightFuture;
}

void OidcKeyProvider::fetchJwks(const QUrl &url)
{
    QNetworkReply *reply = m_network.get(request(url));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            finish(QStringLiteral("JWKS fetch failed: %1").arg(reply->errorString()));
            return;
        }
        QStringList skipped;
        auto keys = std::make_shared<JsonWebKeySet>(
            JsonWebKeySet::parse(reply->read(kMaxDocumentBytes), &skipped));
        if (keys->size() == 0) {
            finish(QStringLiteral("JWKS holds no usable key"));
            return;
        }
        if (!skipped.isEmpty())
            qCWarning(lcOidc).noquote() << "event=jwks_keys_skipped kids=" + skipped.join(u',');
        m_keys = std::move(keys);
        m_stats.lastSuccessMs = QDateTime::currentMSecsSinceEpoch();
        finish({});
        Q_EMIT keysChanged();
    });
}

void OidcKeyProvider::finish(const QString &error)
{
    ++m_stats.refreshes;
    if (!error.isEmpty()) {
        ++m_stats.failures;
        m_stats.lastError = error;
        qCWarning(lcOidc).noquote() << "event=jwks_refresh_failed error=" + error;
    } else {
        m_stats.lastError.clear();
        qCInfo(lcOidc).noquote()
            << QStringLiteral("event=jwks_refreshed keys=%1").arg(m_keys->size());
    }
    auto promise = std::move(m_inFlight);
    m_inFlight.reset();
    promise->finish();
}

OidcKeyProvider::Stats OidcKeyProvider::stats() const
{
    Stats stats = m_stats;
    stats.keys = m_keys->size();
    return stats;
}

} // namespace isobar
