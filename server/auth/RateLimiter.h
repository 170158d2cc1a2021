#pragma once

#include <QFuture>
#include <QHash>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace isobar {

class PrometheusText;

// Token buckets per caller (a subject, or a client address when unauthenticated): `rate`
// requests per second on average, bursts up to `burst`. Memory is bounded: full buckets of
// idle callers are forgotten when the table grows past maxCallers.
class RateLimiter
{
public:
    struct Options {
        double ratePerSecond = 20;
        double burst = 40;
        int maxCallers = 100'000;
    };
    using Clock = std::function<qint64()>; // milliseconds

    explicit RateLimiter(Options options, Clock clock = {});

    // 0 when the request may go ahead, else the seconds to wait (for Retry-After).
    int acquire(const QString &caller);

    // The whole fleet's count of a caller's request (FleetRateLimit): the ms it must wait, 0
    // when allowed, nullopt when unknown.
    using FleetCount = std::function<QFuture<std::optional<qint64>>(const QString &caller)>;
    // Each request admitted here is then counted for the whole fleet too, after the fact, so no
    // answer waits for Redis; a caller the fleet finds over the limit is refused here until the
    // fleet's wait is over. A fleet of N replicas so admits what one would, plus the requests
    // that arrive while a count is on its way to Redis and back.
    void shareAcrossFleet(FleetCount count);
    qint64 rejected() const { return m_rejected; }
    // Its family of /metrics: requests refused.
    void writePrometheus(PrometheusText &out) const;
    bool enabled() const { return m_options.ratePerSecond > 0; }

private:
    struct Bucket {
        double tokens;
        qint64 updatedMs;
    };
    void prune(qint64 now);
    void countAcrossFleet(const QString &caller);

    Options m_options;
    Clock m_clock;
    QHash<QString, Bucket> m_buckets;
    FleetCount m_fleetCount;
    // Callers the fleet refused, until when (ms); shared with counts still in flight, which
    // must not outlive the limiter's own state.
    std::shared_ptr<QHash<QString, qint64>> m_fleetBlocked =
        std::make_shared<QHash<QString, qint64>>();
    qint64 m_rejected = 0;
};

} // namespace isobar
