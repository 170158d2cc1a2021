#include "RedisClient.h"

#include "RedisEventAdapter.h"

#include <QLoggingCategory>
#include <QPromise>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {
Q_LOGGING_CATEGORY(lcRedis, "isobar.redis")
constexpr int kDefaultPort = 6379;
} // namespace

// A command's answer: settled once, by Redis's reply or by its deadline, whichever comes first.
struct RedisClient::Pending {
    QPromise<RedisReply> promise;
    bool settled = false;

    void settle(const RedisReply &reply)
    {
        if (settled)
            return;
        settled = true;
        promise.addResult(reply);
        promise.finish();
    }
};

namespace {

RedisReply fromHiredis(const redisReply *reply)
{
    if (!reply)
        return RedisReply::failed("the connection to Redis was lost");
    switch (reply->type) {
    case REDIS_REPLY_NIL:
        return {RedisReply::Kind::Nil, {}, 0, {}};
    case REDIS_REPLY_STRING:
        return {RedisReply::Kind::Text, QByteArray(reply->str, qsizetype(reply->len)), 0, {}};
    case REDIS_REPLY_STATUS:
        return {RedisReply::Kind::Status, QByteArray(reply->str, qsizetype(reply->len)), 0, {}};
    case REDIS_REPLY_INTEGER:
        return {RedisReply::Kind::Integer, {}, reply->integer, {}};
    case REDIS_REPLY_ARRAY: {
        RedisReply array{RedisReply::Kind::Array, {}, 0, {}};
        for (size_t i = 0; i < reply->elements; ++i) {
            const redisReply *element = reply->element[i];
            array.elements.append(element && element->type == REDIS_REPLY_STRING
                                      ? QByteArray(element->str, qsizetype(element->len))
                                      : QByteArray());
        }
        return array;
    }
    default:
        return RedisReply::failed(QByteArray(reply->str, qsizetype(reply->len)));
    }
}

} // namespace

RedisClient::RedisClient(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_reconnectDelayMs(m_options.reconnectMinMs)
{
    m_connectDeadline.setSingleShot(true);
    connect(&m_connectDeadline, &QTimer::timeout, this, [this] {
        if (m_connected || !m_context)
            return;
        abandon(u"no connection within %1 ms"_s.arg(m_options.connectTimeoutMs));
    });
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &RedisClient::connectNow);
}

RedisClient::~RedisClient()
{
    if (m_context) {
        m_context->data = nullptr;
        redisAsyncFree(m_context); // answers what is in flight with "connection lost"
    }
}

QString RedisClient::checkUrl(const QUrl &url)
{
    if (!url.isValid() || url.scheme() != u"redis" || url.host().isEmpty())
        return u"'%1' is not a redis://host[:port][/db] URL"_s.arg(
            url.toDisplayString(QUrl::RemovePassword));
    if (!url.password().isEmpty())
        return u"the URL holds a password, which would show in process lists and "
               "logs: use --redis-password-file"_s;
    const QString db = url.path().mid(1);
    bool ok = db.isEmpty();
    if (!ok)
        db.toUInt(&ok);
    if (!ok)
        return u"'%1' is not a Redis database number"_s.arg(db);
    return {};
}

void RedisClient::start()
{
    if (!m_context && !m_reconnect.isActive())
        connectNow();
}

void RedisClient::connectNow()
{
    const QByteArray host = m_options.url.host().toUtf8();
    redisAsyncContext *context =
        redisAsyncConnect(host.constData(), m_options.url.port(kDefaultPort));
    if (!context || context->err) {
        const QString why = context ? QString::fromUtf8(context->errstr) : u"out of memory"_s;
        if (context)
            redisAsyncFree(context);
        lost(why);
        return;
    }
    m_context = context;
    m_context->data = this;
    ++m_connection;
    m_adapter = std::make_unique<RedisEventAdapter>(m_context);
    redisAsyncSetConnectCallback(m_context, &RedisClient::onConnected);
    redisAsyncSetDisconnectCallback(m_context, &RedisClient::onDisconnected);
    m_connectDeadline.start(m_options.connectTimeoutMs);
}

void RedisClient::onConnected(const redisAsyncContext *context, int status)
{
    auto *client = static_cast<RedisClient *>(context->data);
    if (!client)
        return;
    client->m_connectDeadline.stop();
    if (status != REDIS_OK) {
        client->m_context = nullptr; // hiredis frees a context whose connection failed
        client->lost(QString::fromUtf8(context->errstr));
        return;
    }
    client->sendSetup();
}

void RedisClient::sendSetup()
{
    // AUTH and SELECT go first on the new connection; commands wait for their answers. PING
    // last: the kernel accepts a connection for a stopped Redis, only an answer says it serves.
    QList<QFuture<RedisReply>> setup;
    if (!m_options.password.isEmpty())
        setup << send({"AUTH", m_options.password});
    const QString db = m_options.url.path().mid(1);
    if (!db.isEmpty())
        setup << send({"SELECT", db.toUtf8()});
    setup << send({"PING"});
    auto ready = [this] {
        m_connected = true;
        ++m_stats.connects;
        m_reconnectDelayMs = m_options.reconnectMinMs;
        qCInfo(lcRedis).noquote() << "event=redis_connected url="
                                         + m_options.url.toDisplayString(QUrl::RemovePassword);
        Q_EMIT connectedChanged(true);
    };
    const quint64 connection = m_connection;
    QtFuture::whenAll(setup.begin(), setup.end())
        .then(this, [this, ready, connection](const QList<QFuture<RedisReply>> &answers) {
            if (connection != m_connection || !m_context)
                return; // given up on meanwhile: a setup command went past its deadline
            for (const QFuture<RedisReply> &answer : answers) {
                if (!answer.result().ok()) {
                    // A wrong password or database: stay down and say why; try again later.
                    m_setupFailure = QString::fromUtf8(answer.result().text);
                    redisAsyncDisconnect(m_context);
                    return;
                }
            }
            ready();
        });
}

void RedisClient::onDisconnected(const redisAsyncContext *context, int status)
{
    auto *client = static_cast<RedisClient *>(context->data);
    if (!client)
        return;
    client->m_context = nullptr; // hiredis frees it after this call (its adapter let go)
    QString why = std::exchange(client->m_setupFailure, {});
    if (why.isEmpty())
        why = status == REDIS_OK ? u"disconnected"_s : QString::fromUtf8(context->errstr);
    client->lost(why);
}

void RedisClient::abandon(const QString &why)
{
    redisAsyncContext *context = std::exchange(m_context, nullptr);
    context->data = nullptr; // its callbacks now find no client
    redisAsyncFree(context); // answers what is in flight with "connection lost"
    m_pending = 0;
    lost(why);
}

void RedisClient::lost(const QString &why)
{
    const bool wasConnected = std::exchange(m_connected, false);
    m_stats.lastError = why;
    qCWarning(lcRedis).noquote() << "event=redis_unavailable error=\"" + why + u'"';
    if (wasConnected)
        Q_EMIT connectedChanged(false);
    scheduleReconnect();
}

void RedisClient::scheduleReconnect()
{
    m_reconnect.start(m_reconnectDelayMs);
    m_reconnectDelayMs = qMin(m_reconnectDelayMs * 2, m_options.reconnectMaxMs);
}

QFuture<RedisReply> RedisClient::command(const QByteArrayList &arguments)
{
    ++m_stats.commands;
    if (!m_connected) {
        ++m_stats.failures;
        return QtFuture::makeReadyFuture(RedisReply::failed("Redis is not connected"));
    }
    if (m_pending >= m_options.maxPending) {
        ++m_stats.failures;
        return QtFuture::makeReadyFuture(RedisReply::failed("too many Redis commands waiting"));
    }
    return send(arguments);
}

QFuture<RedisReply> RedisClient::send(const QByteArrayList &arguments)
{
    auto pending = std::make_shared<Pending>();
    QFuture<RedisReply> answer = pending->promise.future();
    pending->promise.start();
    QList<const char *> argv;
    QList<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv << argument.constData();
        lengths << size_t(argument.size());
    }
    // hiredis owns the copy of `pending` until it calls onReply, which every command gets
    // (with no reply when the connection goes).
    auto *held = new std::shared_ptr<Pending>(pending);
    if (redisAsyncCommandArgv(m_context, &RedisClient::onReply, held, int(argv.size()), argv.data(),
                              lengths.data())
        != REDIS_OK) {
        delete held;
        ++m_stats.failures;
        pending->settle(RedisReply::failed("Redis refused the command"));
        return answer;
    }
    ++m_pending;
    QTimer::singleShot(m_options.commandTimeoutMs, this, [this, pending] {
        if (pending->settled)
            return;
        ++m_stats.timeouts;
        ++m_stats.failures;
        const QByteArray why =
            "no answer from Redis within " + QByteArray::number(m_options.commandTimeoutMs) + " ms";
        pending->settle(RedisReply::failed(why));
        // Still unanswered, so its connection is the current one: a Redis that stopped (SIGSTOP,
        // swapping) keeps its socket open. Down, not slow: commands fail at once, /health says
        // so, and a new connection must answer PING to count as up.
        if (m_context)
            abandon(QString::fromUtf8(why));
    });
    return answer;
}

void RedisClient::onReply(redisAsyncContext *context, void *reply, void *pending)
{
    std::unique_ptr<std::shared_ptr<Pending>> held(
        static_cast<std::shared_ptr<Pending> *>(pending));
    const RedisReply answer = fromHiredis(static_cast<redisReply *>(reply));
    if (auto *client = static_cast<RedisClient *>(context->data)) {
        --client->m_pending;
        if (!answer.ok() && !(*held)->settled)
            ++client->m_stats.failures;
    }
    (*held)->settle(answer);
}

RedisClient::Stats RedisClient::stats() const
{
    Stats now = m_stats;
    now.connected = m_connected;
    return now;
}

} // namespace isobar
