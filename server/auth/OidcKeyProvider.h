#pragma once

#include "JsonWebKeySet.h"

#include <QFuture>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <functional>
#include <memory>

namespace isobar {

// The signing keys of an OpenID Connect provider: discovery ({issuer}/.well-known/
// openid-configuration -> jwks_uri), then the JWKS, fetched asynchronously, kept, refreshed
// periodically and when a token names an unknown kid (at most once per minRefreshGap, so a
// flood of bogus kids cannot hammer the provider). A failed refresh keeps the keys we had.
class OidcKeyProvider : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QUrl issuer;
        QUrl jwksUrl; // skips discovery when set
        int refreshIntervalSeconds = 3600;
        int minRefreshGapSeconds = 30;
        int timeoutMs = 5000;
    };
    struct Stats {
        qint64 refreshes = 0;
        qint64 failures = 0;
        qint64 lastSuccessMs = 0;
        int keys = 0;
        QString lastError;
    };

    explicit OidcKeyProvider(Options options, QObject *parent = nullptr);

    // https, or http on a loopback address (local development and tests).
    static bool isAcceptableUrl(const QUrl &url, QString *why = nullptr);

    // Starts the first fetch and the periodic refresh; the future completes after the first try.
    QFuture<void> start();
    // Fetches again unless a fetch is running (then joins it) or the last began too recently.
    QFuture<void> refresh();

    std::shared_ptr<const JsonWebKeySet> keys() const { return m_keys; }
    Stats stats() const;

Q_SIGNALS:
    void keysChanged();

private:
    void fetchJwks(const QUrl &url);
    void finish(const QString &error);
    QNetworkRequest request(const QUrl &url) const;

    Options m_options;
    QNetworkAccessManager m_network;
    QTimer m_periodic;
    std::shared_ptr<const JsonWebKeySet> m_keys = std::make_shared<JsonWebKeySet>();
    QUrl m_jwksUrl;
    std::shared_ptr<QPromise<void>> m_inFlight;
    QFuture<void> m_inFlightFuture;
    qint64 m_lastStartMs = -1;
    Stats m_stats;
};

} // namespace isobar
