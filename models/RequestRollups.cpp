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

void RequestRollups::add(const RequestEvent &event)
{
    const qint64 hour = event.timeMs / kHourMs;
    EndpointSums &sums = m_endpoints[EndpointKey{hour, event.route, event.method, event.status}];
    ++sums.requests;
    sums.durationUs += event.durationUs;
    sums.bytes += event.responseBytes;
    LatencyBuckets::add(m_latency[{hour, event.route}], LatencyBuckets::bucketOf(event.durationUs),
                        1);
    if (event.cell) {
        CellSums &cell = m_cells[{hour, {event.cell->latitude, event.cell->longitude}}];
        cell.bounds = *event.cell;
        ++cell.requests;
        cell.hits += event.cacheOutcome == "hit";
        cell.misses += event.cacheOutcome == "miss";
        cell.stale += event.cacheOutcome == "stale";
    }
    if (!event.subject.isEmpty()) {
        SubjectSums &subject = m_subjects[{hour, event.subject}];
        subject.firstMs =
            subject.requests == 0 ? event.timeMs : std::min(subject.firstMs, event.timeMs);
        subject.lastMs = std::max(subject.lastMs, event.timeMs);
        ++subject.requests;
        subject.errors += event.status >= 400;
        subject.limited += event.status == kTooManyRequests;
    }
}

bool RequestRollups::upsertHours(QSqlDatabase &db, QString *error) const
{
    return upsertEndpoints(db, m_endpoints, "rollup_endpoint", "hour", error)
           && upsertLatency(db, m_latency, "rollup_latency", "hour", error)
           && upsertCells(db, error) && upsertSubjects(db, error);
}

bool RequestRollups::upsertDays(QSqlDatabase &db, QString *error) const
{
    // The same sums keyed by day (hour / 24, UTC days).
    QHash<EndpointKey, EndpointSums> endpointDays;
    for (auto it = m_endpoints.cbegin(); it != m_endpoints.cend(); ++it) {
        EndpointKey day = it.key();
        day.time /= 24;
        EndpointSums &sums = endpointDays[day];
        sums.requests += it->requests;
        sums.durationUs += it->durationUs;
        sums.bytes += it->bytes;
    }
    Histograms latencyDays;
    for (auto it = m_latency.cbegin(); it != m_latency.cend(); ++it) {
        QList<qint64> &histogram = latencyDays[{it.key().first / 24, it.key().second}];
        for (int bucket = 0; bucket < it->size(); ++bucket)
            LatencyBuckets::add(histogram, bucket, it->at(bucket));
    }
    return upsertEndpoints(db, endpointDays, "rollup_endpoint_day", "day", error)
           && upsertLatency(db, latencyDays, "rollup_latency_day", "day", error);
}

bool RequestRollups::upsertEndpoints(QSqlDatabase &db, const QHash<EndpointKey, EndpointSums> &sums,
                                     const char *table, const char *timeColumn,
                                     QString *error) const
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

bool RequestRollups::upsertSubjects(QSqlDatabase &db, QString *error) const
{
    QSqlQuery subject(db);
    subject.prepare(QString::fromLatin1(
        "INSERT INTO rollup_subject (hour, subject, requests, errors, limited, first_ms, last_ms,"
        " replica) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (hour, subject, replica) DO UPDATE SET "
        + added("rollup_subject", "requests") + ", " + added("rollup_subject", "errors") + ", "
        + added("rollup_subject", "limited") + ", "
        + requestlog::smaller("rollup_subject", "first_ms") + ", "
        + requestlog::larger("rollup_subject", "last_ms")));
    for (const auto &it : inKeyOrder(m_subjects)) {
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
