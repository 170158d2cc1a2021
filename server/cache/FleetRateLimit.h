#pragma once

#include <QByteArray>
#include <QFuture>
#include <QString>
#include <optional>

namespace isobar {

class RedisClient;

// The per-caller rate limit counted in Redis for the whole fleet: the same rate and burst as
// each replica's own token buckets (RateLimiter), kept as one "theoretical arrival time" per
// caller (the generic cell rate algorithm) that a Lua script moves on atomically, on Redis's
// clock, so replicas with skewed clocks agree.
class FleetRateLimit
{
public:
    struct Options {
        double ratePerSecond = 20;
        double burst = 40;
        QByteArray keyPrefix = "isobar:rate:";
    };

    FleetRateLimit(RedisClient &redis, Options options);

    // Counts one request of `caller`: 0 when the fleet allows it, else the milliseconds until
    // it would; nullopt when Redis cannot say (the replica's own limit then stands alone).
    QFuture<std::optional<qint64>> count(const QString &caller);

private:
    RedisClient &m_redis;
    Options m_options;
};

} // namespace isobar
