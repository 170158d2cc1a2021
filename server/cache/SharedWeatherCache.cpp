#include "SharedWeatherCache.h"

#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace isobar {

// One replica's wait for an entry: the call it would make, and how long it waits for another
// replica's before making it itself.
struct SharedWeatherCache::Claim {
    QByteArray documentKey;
    QByteArray lockKey;
    qint64 ttlMs = 0;
    Call call;
    qint64 deadlineMs = 0;
    QPromise<UpstreamResult> waiting; // settled by poll()
};

namespace {

// The stored value: when it was fetched and until when it is fresh, then the document.
QByteArray encode(const UpstreamResult &result, qint64 fetchedAtMs, qint64 expiresAtMs)
{
    return QByteArray::number(fetchedAtMs) + ' ' + QByteArray::number(expiresAtMs) + '\n'
           + result.document.toJson(QJsonDocument::Compact);
}

} // namespace

SharedWeatherCache::SharedWeatherCache(RedisClient &redis, Options options, Clock clock,
                                       QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_options(std::move(options))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{}

std::optional<UpstreamResult> SharedWeatherCache::freshCopy(const RedisReply &reply) const
{
    if (reply.kind != RedisReply::Kind::Text)
        return std::nullopt;
    const qsizetype newline = reply.text.indexOf('\n');
    const QList<QByteArray> times = reply.text.left(newline).split(' ');
    if (newline < 0 || times.size() != 2)
        return std::nullopt; // not ours: treated as missing, and replaced
    const qint64 fetchedAtMs = times[0].toLongLong();
    const qint64 expiresAtMs = times[1].toLongLong();
    if (expiresAtMs <= m_clock())
        return std::nullopt;
    UpstreamResult copy;
    copy.ok = true;
    copy.document = QJsonDocument::fromJson(reply.text.mid(newline + 1));
    copy.fetchedAtMs = fetchedAtMs;
    copy.expiresAtMs = expiresAtMs;
    return copy.document.isNull() ? std::nullopt : std::optional<UpstreamResult>(copy);
}

QFuture<UpstreamResult> SharedWeatherCache::callAlone(const Call &call)
{
    ++m_stats.fallbacks;
    return call();
}

QFuture<UpstreamResult> SharedWeatherCache::fetch(const QString &key, qint64 ttlMs,
                                                  const Call &call)
{
    if (!m_redis.isConnected())
        return callAlone(call);
    auto wait = std::make_shared<Claim>();
    wait->documentKey = m_options.keyPrefix + key.toUtf8();
    wait->lockKey = wait->documentKey + ":lock";
    wait->ttlMs = ttlMs;
    wait->call = call;
    return m_redis.command({"GET", wait->documentKey})
        .then(this,
              [this, wait](const RedisReply &reply) {
                  if (!reply.ok())
                      return callAlone(wait->call);
                  if (std::optional<UpstreamResult> copy = freshCopy(reply)) {
                      ++m_stats.hits;
                      return QtFuture::makeReadyFuture(*copy);
                  }
                  return claim(wait);
              })
        .unwrap();
}

QFuture<RedisReply> SharedWeatherCache::takeLock(const Claim &claim)
{
    return m_redis.command({"SET", claim.lockKey, m_options.replicaId, "NX", "PX",
                            QByteArray::number(m_options.lockMs)});
}

QFuture<UpstreamResult> SharedWeatherCache::claim(const std::shared_ptr<Claim> &wait)
{
    return takeLock(*wait)
        .then(this,
              [this, wait](const RedisReply &reply) {
                  if (!reply.ok())
                      return callAlone(wait->call);
                  if (reply.kind == RedisReply::Kind::Nil) {
                      // Another replica is calling: wait for its answer, within the lock's life.
                      wait->deadlineMs = m_clock() + m_options.lockMs;
                      wait->waiting.start();
                      QFuture<UpstreamResult> answer = wait->waiting.future();
                      poll(wait);
                      return answer;
                  }
                  return lookAgainThenCall(wait);
              })
        .unwrap();
}

QFuture<UpstreamResult> SharedWeatherCache::lookAgainThenCall(const std::shared_ptr<Claim> &wait)
{
    // The last holder may have stored its answer and let go of the lock between this replica's
    // first look and its taking the lock (seen with a thousand requests over two replicas):
    // one more look before calling.
    return m_redis.command({"GET", wait->documentKey})
        .then(this,
              [this, wait](const RedisReply &again) {
                  if (std::optional<UpstreamResult> copy = freshCopy(again)) {
                      m_redis.command({"DEL", wait->lockKey});
                      ++m_stats.waits;
                      return QtFuture::makeReadyFuture(*copy);
                  }
                  return callForFleet(wait);
              })
        .unwrap();
}

QFuture<UpstreamResult> SharedWeatherCache::callForFleet(const std::shared_ptr<Claim> &wait)
{
    ++m_stats.calls;
    return wait->call().then(this, [this, wait](const UpstreamResult &result) {
        if (result.ok) {
            const qint64 now = m_clock();
            const qint64 expires = result.expiresAtMs ? *result.expiresAtMs : now + wait->ttlMs;
            const qint64 lifetime = qMin(expires, now + wait->ttlMs) - now;
            if (lifetime > 0)
                m_redis.command({"SET", wait->documentKey, encode(result, now, now + lifetime),
                                 "PX", QByteArray::number(lifetime)});
        }
        // Released either way: after a failure the next caller tries again.
        m_redis.command({"DEL", wait->lockKey});
        return result;
    });
}

void SharedWeatherCache::poll(const std::shared_ptr<Claim> &wait)
{
    auto settle = [wait](const UpstreamResult &result) {
        wait->waiting.addResult(result);
        wait->waiting.finish();
    };
    QTimer::singleShot(m_options.pollMs, this, [this, wait, settle] {
        m_redis.command({"GET", wait->documentKey})
            .then(this, [this, wait, settle](const RedisReply &reply) {
                if (std::optional<UpstreamResult> copy = freshCopy(reply)) {
                    ++m_stats.waits;
                    settle(*copy);
                    return;
                }
                if (!reply.ok() || m_clock() >= wait->deadlineMs) {
                    // Redis failed, or the lock holder never answered: call as if alone.
                    callAlone(wait->call).then(this, settle);
                    return;
                }
                // No answer yet. A released lock means the holder's call failed (nothing was
                // stored): the waiters take the lock again, and the one that gets it calls.
                takeLock(*wait).then(this, [this, wait, settle](const RedisReply &taken) {
                    if (taken.kind != RedisReply::Kind::Status) {
                        poll(wait);
                        return;
                    }
                    lookAgainThenCall(wait).then(this, settle);
                });
            });
    });
}

QFuture<std::optional<qint64>> SharedWeatherCache::spendBudget(qint64 day)
{
    const QByteArray key = m_options.keyPrefix + "budget:" + QByteArray::number(day);
    return m_redis.command({"INCR", key})
        .then(this, [this, key](const RedisReply &reply) -> std::optional<qint64> {
            if (reply.kind != RedisReply::Kind::Integer)
                return std::nullopt;
            if (reply.integer == 1) // the day's first call: the count outlives the day, then goes
                m_redis.command({"EXPIRE", key, QByteArray::number(2 * 24 * 3600)});
            return reply.integer;
        });
}

void SharedWeatherCache::writePrometheus(PrometheusText &out) const
{
    out.family(prometheus::kWeatherFleetAnswers, "counter",
               "Weather lookups that reached the fleet cache, by where the answer came from.");
    const std::pair<const char *, qint64> sources[] = {{"fleet", m_stats.hits},
                                                       {"call", m_stats.calls},
                                                       {"wait", m_stats.waits},
                                                       {"alone", m_stats.fallbacks}};
    for (const auto &[source, count] : sources)
        out.sample(prometheus::kWeatherFleetAnswers, {{u"source"_s, QString::fromLatin1(source)}},
                   double(count));
    out.single(prometheus::kRedisUp, "gauge", "1 while the connection to Redis is up.",
               m_redis.isConnected() ? 1 : 0);
}

} // namespace isobar
