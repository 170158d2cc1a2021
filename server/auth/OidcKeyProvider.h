#pragma once

#include "JsonWebKeySet.h"

#include <QFuture>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPromise>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <vector>

namespace isobar {

class PrometheusText;

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
        int timeoutMs = 5000; // for a whole refresh, discovery and JWKS together
    };
    struct Stats {
        qint64 refreshes = 0;
        qint64 failures = 0;
        qint64 lastSuccessMs = 0;
        int keys = 0;
        int waiting = 0; // callers of refresh() waiting for the one in flight
        QString lastError;
    };

    explicit OidcKeyProvider(Options options, QObject *parent = nullptr);
    ~OidcKeyProvider() override;

    // https, or http on a loopback address (local development and tests).
    static bool isAcceptableUrl(const QUrl &url, QString *why = nullptr);

    // Starts the first fetch and the periodic refresh; the future completes after the first try.
    QFuture<void> start();
    // Fetches again unless a fetch is running (then joins it) or the last began too recently.
    // Every caller gets a future of its own, finished when the refresh ends however it ends
    // (keys, failure, timeoutMs, stop()); then keys() holds what there is.
    QFuture<void> refresh();
    // Ends a refresh in flight now, its waiters answered with the keys held, and the periodic
    // refresh: nothing waits on the provider during a shutdown.
    void stop();

    std::shared_ptr<const JsonWebKeySet> keys() const { return m_keys; }
    Stats stats() const;
    // Its family of /metrics: key fetches by outcome.
    void writePrometheus(PrometheusText &out) const;

private:
    void fetch();
    void get(const QUrl &url, void (OidcKeyProvider::*onFinished)(QNetworkReply &));
    void discovered(QNetworkReply &reply);
    void fetchedJwks(QNetworkReply &reply);
    void finish(const QString &error);
    QNetworkRequest request(const QUrl &url) const;

    Options m_options;
    QNetworkAccessManager m_network;
    QTimer m_periodic;
    QTimer m_deadline; // ends a refresh whose provider is too slow
    std::shared_ptr<const JsonWebKeySet> m_keys = std::make_shared<JsonWebKeySet>();
    QUrl m_jwksUrl;
    bool m_fetching = false;
    QNetworkReply *m_reply = nullptr; // the request of the refresh in flight
    // One promise per waiting caller: a Qt 6.4 QFuture holds a single continuation, so a
    // future shared between callers that each chain .then() would answer only the last.
    std::vector<QPromise<void>> m_waiters;
    qint64 m_lastStartMs = -1;
    Stats m_stats;
};

} // namespace isobar
