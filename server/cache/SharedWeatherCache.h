#pragma once

#include "RedisClient.h"
#include "weather/AccuWeatherClient.h"

#include <QObject>
#include <functional>

namespace isobar {

class PrometheusText;

// The fleet's weather cache in Redis, between each replica's memory (WeatherCache) and
// AccuWeather: an answer one replica fetched serves them all until it expires, and a missing
// entry costs one upstream call across the fleet. The replica that takes the entry's lock (SET
// NX with an expiry) calls upstream and shares the answer; the others read it as soon as it is
// there, or call upstream themselves once the lock has expired (its holder died). Redis down or
// slow never fails a request: the replica calls upstream itself, as it would alone, and counts
// it. The daily upstream budget is counted here too, for the fleet. Event-loop thread only.
class SharedWeatherCache : public QObject
{
    Q_OBJECT
public:
    struct Options {
        int lockMs = 10'000; // how long the fleet waits for one replica's upstream call
        int pollMs = 20;     // how often a waiting replica looks for the answer
        QByteArray replicaId;
        QByteArray keyPrefix = "isobar:weather:";
    };
    struct Stats {
        qint64 hits = 0;      // answered from another replica's call
        qint64 calls = 0;     // upstream calls this replica made for the fleet
        qint64 waits = 0;     // answers another replica's call brought while this one waited
        qint64 fallbacks = 0; // upstream calls made alone because Redis failed
    };
    using Call = std::function<QFuture<UpstreamResult>()>;
    using Clock = std::function<qint64()>; // ms since the epoch

    SharedWeatherCache(RedisClient &redis, Options options, Clock clock = {},
                       QObject *parent = nullptr);

    // The fleet's fresh copy of `key`, or the answer of the one upstream call the fleet makes
    // for it (`call`, here or on another replica), kept in Redis for `ttlMs`.
    QFuture<UpstreamResult> fetch(const QString &key, qint64 ttlMs, const Call &call);
    // One more upstream call on UTC day `day` (days since the epoch), counted for the whole
    // fleet: the fleet's count so far, or nullopt when Redis cannot say (the caller then counts
    // alone). For AccuWeatherClient::shareBudget.
    QFuture<std::optional<qint64>> spendBudget(qint64 day);
    Stats stats() const { return m_stats; }
    // Its families of /metrics: answers by source, Redis's state.
    void writePrometheus(PrometheusText &out) const;

private:
    struct Claim;
    QFuture<UpstreamResult> claim(const std::shared_ptr<Claim> &wait);
    // SET NX with the lock's life: Status when this replica got the entry's lock, Nil when
    // another replica holds it.
    QFuture<RedisReply> takeLock(const Claim &claim);
    // This replica holds the entry's lock: it looks for the answer once more, else calls.
    QFuture<UpstreamResult> lookAgainThenCall(const std::shared_ptr<Claim> &wait);
    // This replica holds the entry's lock: it calls upstream and shares the answer.
    QFuture<UpstreamResult> callForFleet(const std::shared_ptr<Claim> &wait);
    void poll(const std::shared_ptr<Claim> &wait);
    QFuture<UpstreamResult> callAlone(const Call &call);
    std::optional<UpstreamResult> freshCopy(const RedisReply &reply) const;

    RedisClient &m_redis;
    Options m_options;
    Clock m_clock;
    Stats m_stats;
};

} // namespace isobar
