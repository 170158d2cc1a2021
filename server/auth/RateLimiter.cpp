#include "RateLimiter.h"

#include "monitoring/PrometheusNames.h"
#include "monitoring/PrometheusText.h"

#include <QDateTime>
#include <cmath>

namespace isobar {

RateLimiter::RateLimiter(Options options, Clock clock)
    : m_options(options)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{}

int RateLimiter::acquire(const QString &caller)
{
    if (!enabled())
        return 0;
    const qint64 now = m_clock();
    auto it = m_buckets.find(caller);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_options.maxCallers)
            prune(now);
        it = m_buckets.insert(caller, Bucket{m_options.burst, now});
    }
    Bucket &bucket = *it;
    bucket.tokens =
        qMin(m_options.burst,
             bucket.tokens + (now - bucket.updatedMs) / 1000.0 * m_options.ratePerSecond);
    bucket.updatedMs = now;
    if (bucket.tokens < 1.0) {
        ++m_rejected;
        return qMax(1, int(std::ceil((1.0 - bucket.tokens) / m_options.ratePerSecond)));
    }
    if (m_fleetCount) {
        if (const auto blocked = m_fleetBlocked->constFind(caller);
            blocked != m_fleetBlocked->cend() && *blocked > now) {
            ++m_rejected;
            return qMax(1, int(std::ceil((*blocked - now) / 1000.0)));
        }
        countAcrossFleet(caller);
    }
    bucket.tokens -= 1.0;
    return 0;
}

void RateLimiter::shareAcrossFleet(FleetCount count)
{
    m_fleetCount = std::move(count);
}

void RateLimiter::countAcrossFleet(const QString &caller)
{
    if (m_fleetBlocked->size() >= m_options.maxCallers) {
        const qint64 now = m_clock();
        m_fleetBlocked->removeIf([now](const auto &entry) { return entry.value() <= now; });
        if (m_fleetBlocked->size() >= m_options.maxCallers)
            m_fleetBlocked->clear();
    }
    m_fleetCount(caller).then([blocked = std::weak_ptr(m_fleetBlocked), caller,
                               clock = m_clock](const std::optional<qint64> &waitMs) {
        const auto refused = blocked.lock();
        if (refused && waitMs && *waitMs > 0)
            refused->insert(caller, clock() + *waitMs);
    });
}

void RateLimiter::prune(qint64 now)
{
    // A bucket that has refilled is indistinguishable from a new one: forget it.
    m_buckets.removeIf([&](const auto &entry) {
        const Bucket &b = entry.value();
        return b.tokens + (now - b.updatedMs) / 1000.0 * m_options.ratePerSecond >= m_options.burst;
    });
    if (m_buckets.size() >= m_options.maxCallers)
        m_buckets.clear();
}

void RateLimiter::writePrometheus(PrometheusText &out) const
{
    out.single(prometheus::kRateLimited, "counter",
               "Requests refused with 429 by the per-caller rate limit.", double(m_rejected));
}

} // namespace isobar
