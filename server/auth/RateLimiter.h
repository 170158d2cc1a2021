#pragma once

#include <QHash>
#include <QString>
#include <functional>

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

    Options m_options;
    Clock m_clock;
    QHash<QString, Bucket> m_buckets;
    qint64 m_rejected = 0;
};

} // namespace isobar
