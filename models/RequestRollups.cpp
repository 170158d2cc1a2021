#include "RequestRollups.h"

#include "LatencyBuckets.h"
#include "RequestLogShared.h"
#include "StatusClass.h"

#include <QVariant>
#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace isobar {

using requestlog::added;
using requestlog::exec;
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

void RequestRollups::mergeInto(SubjectSums &into, const SubjectSums &more)
{
    into.firstMs = into.requests == 0 ? more.firstMs : std::min(into.firstMs, more.firstMs);
    into.lastMs = std::max(into.lastMs, more.lastMs);
    into.requests += more.requests;
    into.errors += more.errors;
    into.limited += more.limited;
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
        mergeInto(subject, SubjectSums{1, event.status >= 400, event.status == kTooManyRequests,
                                       event.timeMs, event.timeMs});
    }
}

bool RequestRollups::upsertMinutes(QSqlDatabase &db, QString *error) const
{
    return upsertEndpoints(db, m_endpoints, "rollup_endpoint_minute", "minute", error)
           && upsertLatency(db, m_latency, "rollup_latency_minute", "minute", error)
           && upsertSubjects(db, m_subjects, "rollup_subject_minute", "minute", error);
}

bool RequestRollups::upsertHours(QSqlDatabase &db, QString *error) const
{
    constexpr qint64 kMinutesPerHour = kHourMs / kMinuteMs;
    return upsertEndpoints(db, coarsened(m_endpoints, kMinutesPerHour), "rollup_endpoint", "hour",
                           error)
           && upsertLatency(db, coarsened(m_latency, kMinutesPerHour), "rollup_latency", "hour",
                            error)
           && upsertCells(db, error)
           && upsertSubjects(db, coarsened(m_subjects, kMinutesPerHour), "rollup_subject", "hour",
                             error);
}

bool RequestRollups::upsertDays(QSqlDatabase &db, QString *error) const
{
    constexpr qint64 kMinutesPerDay = kDayMs / kMinuteMs;
    return upsertEndpoints(db, coarsened(m_endpoints, kMinutesPerDay), "rollup_endpoint_day", "day",
                           error)
           && upsertLatency(db, coarsened(m_latency, kMinutesPerDay), "rollup_latency_day", "day",
                            error);
}

bool RequestRollups::upsertEndpoints(QSqlDatabase &db, const Endpoints &sums, const char *table,
                                     const char *timeColumn, QString *error) const
{
    QSqlQuery endpoint(db);
    endpoint.prepare(QString::fromLatin1(
        QByteArray("INSERT INTO ") + table + " (" + timeColumn
        + ", route, method, status, requests, duration_us, bytes, replica)"
          " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT ("
        + timeColumn + ", route, method, status, replica) DO UPDATE SET " + added(table, "requests")
        + ", " + added(table, "duration_us") + ", " + added(table, "bytes")));
    for (const auto &it : inKeyOrder(sums)) {
        for (const QVariant &value :
             {QVariant(it.key().time), QVariant(it.key().route),
              QVariant(QString::fromLatin1(it.key().method)), QVariant(it.key().status),
              QVariant(it->requests), QVariant(it->durationUs), QVariant(it->bytes),
              QVariant(m_replica)})
            endpoint.addBindValue(value);
        if (!exec(endpoint, error))
            return false;
    }
    return true;
}

bool RequestRollups::upsertLatency(QSqlDatabase &db, const Histograms &histograms,
                                   const char *table, const char *timeColumn, QString *error) const
{
    QSqlQuery histogram(db);
    histogram.prepare(QString::fromLatin1(QByteArray("INSERT INTO ") + table + " (" + timeColumn
                                          + ", route, bucket, requests, replica)"
                                            " VALUES (?,?,?,?,?) ON CONFLICT ("
                                          + timeColumn + ", route, bucket, replica) DO UPDATE SET "
                                          + added(table, "requests")));
    for (const auto &it : inKeyOrder(histograms)) {
        for (int bucket = 0; bucket < it->size(); ++bucket) {
            if (it->at(bucket) == 0)
                continue;
            histogram.addBindValue(it.key().first);
            histogram.addBindValue(it.key().second);
            histogram.addBindValue(bucket);
            histogram.addBindValue(it->at(bucket));
            histogram.addBindValue(m_replica);
            if (!exec(histogram, error))
                return false;
        }
    }
    return true;
}

bool RequestRollups::upsertCells(QSqlDatabase &db, QString *error) const
{
    QSqlQuery cell(db);
    cell.prepare(QString::fromLatin1(
        "INSERT INTO rollup_cell (hour, cell_lat, cell_lon, half_lat, half_lon, requests, hits,"
        " misses, stale, replica) VALUES (?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT (hour, cell_lat, cell_lon, replica) DO UPDATE SET "
        + added("rollup_cell", "requests") + ", " + added("rollup_cell", "hits") + ", "
        + added("rollup_cell", "misses") + ", " + added("rollup_cell", "stale")));
    for (const auto &it : inKeyOrder(m_cells)) {
        for (const QVariant &value :
             {QVariant(it.key().first), QVariant(it->bounds.latitude),
              QVariant(it->bounds.longitude), QVariant(it->bounds.halfLatitude),
              QVariant(it->bounds.halfLongitude), QVariant(it->requests), QVariant(it->hits),
              QVariant(it->misses), QVariant(it->stale), QVariant(m_replica)})
            cell.addBindValue(value);
        if (!exec(cell, error))
            return false;
    }
    return true;
}

bool RequestRollups::upsertSubjects(QSqlDatabase &db, const Subjects &sums, const char *table,
                                    const char *timeColumn, QString *error) const
{
    QSqlQuery subject(db);
    subject.prepare(QString::fromLatin1(
        QByteArray("INSERT INTO ") + table + " (" + timeColumn
        + ", subject, requests, errors, limited, first_ms, last_ms, replica)"
          " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT ("
        + timeColumn + ", subject, replica) DO UPDATE SET " + added(table, "requests") + ", "
        + added(table, "errors") + ", " + added(table, "limited") + ", "
        + requestlog::smaller(table, "first_ms") + ", " + requestlog::larger(table, "last_ms")));
    for (const auto &it : inKeyOrder(sums)) {
        for (const QVariant &value :
             {QVariant(it.key().first), QVariant(it.key().second), QVariant(it->requests),
              QVariant(it->errors), QVariant(it->limited), QVariant(it->firstMs),
              QVariant(it->lastMs), QVariant(m_replica)})
            subject.addBindValue(value);
        if (!exec(subject, error))
            return false;
    }
    return true;
}

} // namespace isobar
