#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace isobar {

// Asynchronous GETs against an Isobar server's stats API and /metrics, with the bearer token in
// the Authorization header and a deadline per request. The token lives in memory only; it is
// never logged, never put in a URL, and never sent on a redirect.
class StatsClient : public QObject
{
    Q_OBJECT
public:
    enum class Failure {
        None,
        Unauthorized, // 401: no token, or one the server does not accept
        Forbidden,    // 403: a valid token without the isobar:admin scope
        Unreachable,  // connection refused, unknown host, TLS failure...
        TimedOut,
        HttpError, // any other non-2xx answer
        BadAnswer, // 2xx, but not the JSON the path promises
    };

    struct Reply {
        QUrl url; // as sent
        QString path;
        int status = 0; // 0 when no HTTP answer came back
        Failure failure = Failure::None;
        QString message; // for people: what failed and what to do; empty on success
        QByteArray body;
        QJsonObject json; // parsed for JSON answers
        bool ok() const { return failure == Failure::None; }
    };
    using Handler = std::function<void(const Reply &)>;

    // How long one request may take before it counts as unanswered.
    static constexpr int kTimeoutMs = 10'000;

    explicit StatsClient(QObject *parent = nullptr);
    ~StatsClient() override;

    void setServer(const QUrl &baseUrl, const QString &bearerToken);
    QUrl serverUrl() const { return m_baseUrl; }

    // GET baseUrl + path?query. `handler` runs once on this object's thread, unless cancelAll()
    // or setServer() came first. JSON is expected unless the path is /metrics.
    void get(const QString &path, const QUrlQuery &query, Handler handler);
    // Drops every request in flight: their handlers never run.
    void cancelAll();
    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    // Every answer, after its handler ran: what the server said, for logs and tests.
    void replied(const isobar::StatsClient::Reply &reply);

private:
    Reply readReply(QNetworkReply *networkReply, const QString &path) const;
    QString describe(Failure failure, int status, const QString &detail) const;

    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    QByteArray m_authorization; // "Bearer ..." or empty
    QSet<QNetworkReply *> m_pending;
};

} // namespace isobar

Q_DECLARE_METATYPE(isobar::StatsClient::Reply)
