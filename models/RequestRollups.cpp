#include "RequestRollups.h"

#include "LatencyBuckets.h"
#include "RequestLogShared.h"
#include "StatusClass.h"

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace isobar {

using requestlog::added;
using requestlog::kHourMs;

namespace {

// The entries of `sums` by key. Every batch upserts its rows in this one order: two replicas'
// batches that touch the same rows then wait for each other instead of deadlocking.
template <typename Hash> std::vector<typename Hash::const_iterator> inKeyOrder(const Hash &sums)
{
    std::vector<typename Hash::const_iterator> order;
    order.reserve(size_t(sums.size()));
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        order.push_back(it);
    std::sort(order.begin(), order.end(), [](auto a, auto b) { return a.key() < b.key(); });
    return order;
}

} // namespace

template <typename Hash> Hash RequestRollups::coarsened(const Hash &sums, qint64 factor)
{
    Hash coarse;
    for (auto it = sums.cbegin(); it != sums.cend(); ++it) {
        auto key = it.key();
        timeOf(key) /= factor;
        mergeInto(coarse[key], it.value());
    }
    return coarse;
}

void RequestRollups::mergeInto(EndpointSums &into, const EndpointSums &more)
{
    into.requests += more.requests;
    into.durationUs += more.durationUs;
    into.bytes += more.bytes;
}

void RequestRollups::mergeInto(QList<qint64> &into, const QList<qint64> &more)
{
    for (int bucket = 0; bucket < more.size(); ++bucket)
        LatencyBuckets::add(into, bucket, more.at(bucket));
}

void RequestRollups::add(const RequestEvent &event)
{
    const qint64 minute = event.timeMs / kMinuteMs;
    EndpointSums &sums = m_endpoints[EndpointKey{minute, event.route, event.method, event.status}];
    ++sums.requests;
    sums.durationUs += event.durationUs;
    sums.bytes += event.responseBytes;
    LatencyBuckets::add(m_latency[{minute, event.route}],
                        LatencyBuckets::bucketOf(event.durationUs), 1);
    if (event.cell) {
        CellSums &cell =
            m_cells[{event.timeMs / kHourMs, {event.cell->latitude, event.cell->longitude}}];
        cell.bounds = *event.cell;
        ++cell.requests;
        cell.hits += event.cacheOutcome == "hit";
        cell.misses += event.cacheOutcome == "miss";
        cell.stale += event.cacheOutcome == "stale";
    }
    if (!event.subject.isEmpty()) {
        SubjectSums &subject = m_subjects[{minute, event.subject}];
        subject.add(SubjectSums{1, event.status >= 400, event.status == kTooManyRequests,
                                event.timeMs, event.timeMs});
    }
}

bool RequestRollups::upsertMinutes(RollupUpserts &upserts, QString *error) const
{
    return upsertEndpoints(upserts, m_endpoints, "rollup_endpoint_minute", "minute", error)
           && upsertLatency(upserts, m_latency, "rollup_latency_minute", "minute", error)
           && upsertSubjects(upserts, m_subjects, "rollup_subject_minute", "minute", error);
}

bool RequestRollups::upsertHours(RollupUpserts &upserts, QString *error) const
{
    constexpr qint64 kMinutesPerHour = kHourMs / kMinuteMs;
    return upsertEndpoints(upserts, coarsened(m_endpoints, kMinutesPerHour), "rollup_endpoint",
                           "hour", error)
           && upsertLatency(upserts, coarsened(m_latency, kMinutesPerHour), "rollup_latency",
                            "hour", error)
           && upsertCells(upserts, error)
           && upsertSubjects(upserts, coarsened(m_subjects, kMinutesPerHour), "rollup_subject",
                             "hour", error);
}

bool RequestRollups::upsertDays(RollupUpserts &upserts, QString *error) const
{
    constexpr qint64 kMinutesPerDay = kDayMs / kMinuteMs;
    return upsertEndpoints(upserts, coarsened(m_endpoints, kMinutesPerDay), "rollup_endpoint_day",
                           "day", error)
           && upsertLatency(upserts, coarsened(m_latency, kMinutesPerDay), "rollup_latency_day",
                            "day", error);
}

// Each table's rows are bound key columns first, the replica last among them.

bool RequestRollups::upsertEndpoints(RollupUpserts &upserts, const Endpoints &sums,
                                     const char *table, const char *timeColumn,
                                     QString *error) const
{
    const RollupUpserts::Table spec{
        table,
        timeColumn + QByteArray(", route, method, status, replica, requests, duration_us, bytes"),
        5,
        added(table, "requests") + ", " + added(table, "duration_us") + ", "
            + added(table, "bytes")};
    const QByteArray replica = m_replica.toUtf8();
    QList<RollupUpserts::Value> values;
    values.reserve(sums.size() * spec.columnCount());
    for (const auto &it : inKeyOrder(sums))
        values << it.key().time << it.key().route.toUtf8() << it.key().method
               << qint64(it.key().status) << replica << it->requests << it->durationUs << it->bytes;
    return upserts.upsert(spec, values, error);
}

bool RequestRollups::upsertLatency(RollupUpserts &upserts, const Histograms &histograms,
                                   const char *table, const char *timeColumn, QString *error) const
{
    const RollupUpserts::Table spec{table,
                                    timeColumn + QByteArray(", route, bucket, replica, requests"),
                                    4, added(table, "requests")};
    const QByteArray replica = m_replica.toUtf8();
    QList<RollupUpserts::Value> values;
    for (const auto &it : inKeyOrder(histograms)) {
        const QByteArray route = it.key().second.toUtf8();
        for (int bucket = 0; bucket < it->size(); ++bucket) {
            if (it->at(bucket) != 0)
                values << it.key().first << route << qint64(bucket) << replica << it->at(bucket);
        }
    }
    return upserts.upsert(spec, values, error);
}

bool RequestRollups::upsertCells(RollupUpserts &upserts, QString *error) const
{
    const RollupUpserts::Table spec{
        "rollup_cell",
        "hour, cell_lat, cell_lon, replica, half_lat, half_lon, requests, hits, misses, stale", 4,
        added("rollup_cell", "requests") + ", " + added("rollup_cell", "hits") + ", "
            + added("rollup_cell", "misses") + ", " + added("rollup_cell", "stale")};
    const QByteArray replica = m_replica.toUtf8();
    QList<RollupUpserts::Value> values;
    values.reserve(m_cells.size() * spec.columnCount());
    for (const auto &it : inKeyOrder(m_cells))
        values << it.key().first << it->bounds.latitude << it->bounds.longitude << replica
               << it->bounds.halfLatitude << it->bounds.halfLongitude << it->requests << it->hits
               << it->misses << it->stale;
    return upserts.upsert(spec, values, error);
}

bool RequestRollups::upsertSubjects(RollupUpserts &upserts, const Subjects &sums, const char *table,
                                    const char *timeColumn, QString *error) const
{
    const RollupUpserts::Table spec{
        table,
        timeColumn + QByteArray(", subject, replica, requests, errors, limited, first_ms, last_ms"),
        3,
        added(table, "requests") + ", " + added(table, "errors") + ", " + added(table, "limited")
            + ", " + requestlog::smaller(table, "first_ms") + ", "
            + requestlog::larger(table, "last_ms")};
    const QByteArray replica = m_replica.toUtf8();
    QList<RollupUpserts::Value> values;
    values.reserve(sums.size() * spec.columnCount());
    for (const auto &it : inKeyOrder(sums))
        values << it.key().first << it.key().second.toUtf8() << replica << it->requests
               << it->errors << it->limited << it->firstMs << it->lastMs;
    return upserts.upsert(spec, values, error);
}

} // namespace isobar
