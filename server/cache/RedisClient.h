#pragma once

#include <QByteArrayList>
#include <QFuture>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <memory>

struct redisAsyncContext;

namespace isobar {

class RedisEventAdapter;

// A Redis answer, flattened to what Isobar's commands return.
struct RedisReply {
    enum class Kind { Failed, Nil, Text, Integer, Array, Status };
    Kind kind = Kind::Failed;
    QByteArray text;         // Text and Status; the reason when Failed
    qint64 integer = 0;      // Integer
    QByteArrayList elements; // Array (of texts; nil elements are empty)

    bool ok() const { return kind != Kind::Failed; }
    static RedisReply failed(const QByteArray &why) { return {Kind::Failed, why, 0, {}}; }
};

// One connection to Redis on the event loop, through hiredis's asynchronous API
// (RedisEventAdapter): a command never blocks, its answer comes back as a future. Redis down, slow
// or unreachable makes commands fail at once or at their deadline, never hang, and the client
// reconnects in the background with growing delays; callers fall back to what they hold.
// Event-loop thread only.
class RedisClient : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QUrl url;            // redis://host:port/db
        QByteArray password; // AUTH after connecting, when set (never from the URL)
        int connectTimeoutMs = 1000;
        int commandTimeoutMs = 200; // ServerConfig::redisTimeoutMs
        int maxPending = 10'000;    // commands in flight beyond this fail at once
        int reconnectMinMs = 100;
        int reconnectMaxMs = 5000;
    };
    struct Stats {
        qint64 commands = 0;
        qint64 failures = 0; // errors, timeouts and commands refused while down
        qint64 timeouts = 0;
        qint64 connects = 0;
        bool connected = false;
        QString lastError;
    };

    explicit RedisClient(Options options, QObject *parent = nullptr);
    ~RedisClient() override;

    // Checks the URL (redis://host[:port][/db]); an empty string when usable, else why not.
    static QString checkUrl(const QUrl &url);

    // Connects now and again whenever the connection is lost, until destroyed.
    void start();
    QFuture<RedisReply> command(const QByteArrayList &arguments);
    bool isConnected() const { return m_connected; }
    Stats stats() const;

Q_SIGNALS:
    void connectedChanged(bool connected);

private:
    struct Pending;
    static void onConnected(const redisAsyncContext *context, int status);
    static void onDisconnected(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *pending);

    void connectNow();
    void abandon(const QString &why); // frees the connection now, whatever waits on it
    void lost(const QString &why);
    void scheduleReconnect();
    void sendSetup();
    QFuture<RedisReply> send(const QByteArrayList &arguments);

    Options m_options;
    redisAsyncContext *m_context = nullptr;
    std::unique_ptr<RedisEventAdapter> m_adapter;
    QTimer m_connectDeadline;
    QTimer m_reconnect;
    int m_reconnectDelayMs = 0;
    bool m_connected = false;
    int m_pending = 0;
    quint64 m_connection = 0; // counts connections made, so a late answer finds its own
    QString m_setupFailure;   // why AUTH or SELECT refused the new connection
    Stats m_stats;
};

} // namespace isobar
