#include "RequestLog.h"

#include "CellRollups.h"
#include "MetricsDatabase.h"
#include "SqliteStatement.h"
#include "StoreError.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcRequestStats, "isobar.monitoring")

constexpr qint64 kHourMs = 3'600'000;
constexpr int kExpireBatch = 5000;
constexpr qsizetype kRowsPerInsert = 64; // 13 columns each: well under SQLite's 32,766 parameters

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

bool exec(QSqlQuery &query, QString *error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

struct EndpointKey {
    qint64 hour;
    QString route;
    QByteArray method;
    int status;
    bool operator==(const EndpointKey &) const = default;
};
size_t qHash(const EndpointKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.hour, key.route, key.method, key.status);
}

struct Sums {
    qint64 requests = 0;
    qint64 durationUs = 0;
    qint64 bytes = 0;
};

struct CellSums {
    CellBounds bounds;
    qint64 requests = 0, hits = 0, misses = 0, stale = 0;
};

struct SubjectSums {
    qint64 requests = 0, errors = 0, firstMs = 0, lastMs = 0;
};

qint64 floorDiv(qint64 value, qint64 divisor)
{
    return value / divisor - (value % divisor < 0 ? 1 : 0);
}

// [from, to) as whole hours.
std::pair<qint64, qint64> hourRange(qint64 fromMs, qint64 toMs)
{
    const qint64 first = floorDiv(fromMs, kHourMs);
    const qint64 last = floorDiv(std::max(toMs, fromMs + 1) - 1, kHourMs);
    return {first, last};
}

// A range of whole hours by where its sums are read: the whole days inside it from a day
// roll-up, the hours before the first and after the last whole day from the hourly one. An
// empty span has first > last.
struct RangeParts {
    std::pair<qint64, qint64> days{1, 0};
    std::array<std::pair<qint64, qint64>, 2> hourSpans{{{1, 0}, {1, 0}}};
};

RangeParts splitRange(qint64 firstHour, qint64 lastHour, bool useDays)
{
    RangeParts parts;
    const qint64 firstDay = floorDiv(firstHour + 23, 24);
    const qint64 lastDay = floorDiv(lastHour + 1, 24) - 1;
    if (!useDays || firstDay > lastDay) {
        parts.hourSpans[0] = {firstHour, lastHour};
        return parts;
    }
    parts.days = {firstDay, lastDay};
    parts.hourSpans = {{{firstHour, firstDay * 24 - 1}, {(lastDay + 1) * 24, lastHour}}};
    return parts;
}

// Runs `hourSql` over the range's hour spans and `daySql` over its whole days (each with the
// first and last hour or day as parameters 1 and 2, and `route`, when not empty, as 3), handing
// every row to `row`. False with `error` set if SQLite refused.
template <typename Row>
bool scan(QSqlDatabase &db, const RangeParts &parts, const QByteArray &hourSql,
          const QByteArray &daySql, const QByteArray &route, Row row, QString *error)
{
    auto run = [&](const QByteArray &sql, std::pair<qint64, qint64> span) {
        if (span.first > span.second)
            return true;
        SqliteStatement statement(db, sql);
        if (!statement.isValid()) {
            *error = statement.error();
            return false;
        }
        statement.bind(1, span.first);
        statement.bind(2, span.second);
        if (!route.isEmpty())
            statement.bind(3, route);
        while (statement.next())
            row(statement);
        *error = statement.error();
        return error->isEmpty();
    };
    return run(daySql, parts.days) && run(hourSql, parts.hourSpans[0])
           && run(hourSql, parts.hourSpans[1]);
}

QJsonObject percentiles(const QList<qint64> &histogram)
{
    auto ms = [&](double q) {
        return roundTo(LatencyBuckets::quantileUs(histogram, q) / 1000.0, 2);
    };
    return QJsonObject{{u"p50_ms"_s, ms(0.50)}, {u"p95_ms"_s, ms(0.95)}, {u"p99_ms"_s, ms(0.99)}};
}

int histogramSize()
{
    return int(LatencyBuckets::upperBoundsUs().size()) + 1;
}

void addToHistogram(QList<qint64> &histogram, qint64 bucket, qint64 requests)
{
    if (histogram.isEmpty())
        histogram.resize(histogramSize());
    histogram[std::clamp<qint64>(bucket, 0, histogram.size() - 1)] += requests;
}

int statusClass(qint64 status)
{
    return int(std::clamp<qint64>(status / 100, 1, 5));
}

// Holds one read transaction over a stats call, so that its counts and its latency histograms
// come from the same snapshot while the writer commits batches. Leaves a transaction the caller
// already holds alone.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(QSqlDatabase &db)
        : m_db(db)
        , m_own(db.transaction())
    {}
    ~ReadSnapshot()
    {
        if (m_own)
            m_db.commit();
    }
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    QSqlDatabase &m_db;
    bool m_own;
};

// Stats that would be computed from part of the rows are not given (StoreError).
[[noreturn]] void failScan(const char *what, const QString &error)
{
    qCWarning(lcRequestStats).noquote()
        << "event=stats_query_failed stats=" << what << " error=" << error;
    throw StoreError(error);
}

} // namespace

const QList<qint64> &LatencyBuckets::upperBoundsUs()
{
    static const QList<qint64> bounds = {500,       1'000,     2'500,     5'000,     10'000,
                                         25'000,    50'000,    100'000,   200'000,   500'000,
                                         1'000'000, 2'500'000, 5'000'000, 10'000'000};
    return bounds;
}

int LatencyBuckets::bucketOf(qint64 durationUs)
{
    const QList<qint64> &bounds = upperBoundsUs();
    return int(std::lower_bound(bounds.begin(), bounds.end(), durationUs) - bounds.begin());
}

double LatencyBuckets::quantileUs(const QList<qint64> &counts, double q)
{
    qint64 total = 0;
    for (qint64 count : counts)
        total += count;
    if (total == 0)
        return 0;
    const QList<qint64> &bounds = upperBoundsUs();
    const double rank = q * double(total);
    double seen = 0;
    for (int i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0)
            continue;
        if (seen + double(counts[i]) >= rank) {
            const double lower = i == 0 ? 0 : double(bounds[i - 1]);
            if (i >= bounds.size())
                return lower; // the overflow bucket has no upper bound to interpolate to
            return lower + (double(bounds[i]) - lower) * ((rank - seen) / double(counts[i]));
        }
        seen += double(counts[i]);
    }
    return double(bounds.constLast());
}

double LatencyBuckets::countAboveUs(const QList<qint64> &counts, qint64 thresholdUs)
{
    const QList<qint64> &bounds = upperBoundsUs();
    double above = 0;
    for (int i = 0; i < counts.size(); ++i) {
        const double lower = i == 0 ? 0 : double(bounds[i - 1]);
        const double upper = i < bounds.size() ? double(bounds[i]) : HUGE_VAL;
        if (lower >= double(thresholdUs))
            above += double(counts[i]);
        else if (upper > double(thresholdUs) && std::isfinite(upper))
            above += double(counts[i]) * (upper - double(thresholdUs)) / (upper - lower);
    }
    return above;
}

RequestLogWriter::RequestLogWriter(QSqlDatabase &db)
    : m_db(db)
{}

bool RequestLogWriter::write(const QList<RequestEvent> &events, QString *error)
{
    if (events.isEmpty())
        return true;
    // Aggregate in memory first: a batch of 1,000 events becomes a few dozen roll-up upserts.
    QHash<EndpointKey, Sums> endpoints;
    QHash<std::pair<qint64, QString>, QList<qint64>> latency;
    QHash<std::pair<qint64, std::pair<double, double>>, CellSums> cells;
    QHash<std::pair<qint64, QString>, SubjectSums> subjects;
    const int bucketCount = int(LatencyBuckets::upperBoundsUs().size()) + 1;
    for (const RequestEvent &event : events) {
        const qint64 hour = event.timeMs / kHourMs;
        Sums &sums = endpoints[EndpointKey{hour, event.route, event.method, event.status}];
        ++sums.requests;
        sums.durationUs += event.durationUs;
        sums.bytes += event.responseBytes;
        QList<qint64> &histogram = latency[{hour, event.route}];
        if (histogram.isEmpty())
            histogram.resize(bucketCount);
        ++histogram[LatencyBuckets::bucketOf(event.durationUs)];
        if (event.cell) {
            CellSums &cell = cells[{hour, {event.cell->latitude, event.cell->longitude}}];
            cell.bounds = *event.cell;
            ++cell.requests;
            cell.hits += event.cacheOutcome == "hit";
            cell.misses += event.cacheOutcome == "miss";
            cell.stale += event.cacheOutcome == "stale";
        }
        if (!event.subject.isEmpty()) {
            SubjectSums &subject = subjects[{hour, event.subject}];
            subject.firstMs =
                subject.requests == 0 ? event.timeMs : std::min(subject.firstMs, event.timeMs);
            subject.lastMs = std::max(subject.lastMs, event.timeMs);
            ++subject.requests;
            subject.errors += event.status >= 400;
        }
    }

    if (!MetricsDatabase::beginWrite(m_db, error)) {
        return false;
    }
    auto fail = [this] {
        m_db.rollback();
        return false;
    };
    // Many rows per statement: per-statement overhead, not the row, dominates SQLite inserts.
    // The raw rows bind straight to SQLite: one per request served, so their cost is what
    // capture adds to the server (bench/run-monitoring.sh).
    const QByteArray columns =
        "INSERT INTO request_event (time_ms, method, route, status, duration_us, bytes, subject,"
        " client, cell_lat, cell_lon, cell_half_lat, cell_half_lon, cache) VALUES ";
    auto statementFor = [&](qsizetype rows) {
        QByteArray sql = columns;
        for (qsizetype i = 0; i < rows; ++i)
            sql += i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?,?)";
        return std::make_unique<SqliteStatement>(m_db, sql);
    };
    QHash<QString, QByteArray> utf8Routes; // a batch has a handful of distinct routes
    std::unique_ptr<SqliteStatement> full;
    for (qsizetype first = 0; first < events.size(); first += kRowsPerInsert) {
        const qsizetype rows = std::min<qsizetype>(kRowsPerInsert, events.size() - first);
        std::unique_ptr<SqliteStatement> partial;
        if (rows == kRowsPerInsert && !full)
            full = statementFor(rows);
        else if (rows < kRowsPerInsert)
            partial = statementFor(rows);
        SqliteStatement &raw = rows == kRowsPerInsert ? *full : *partial;
        if (!raw.isValid()) {
            *error = raw.error();
            return fail();
        }
        int at = 1;
        for (qsizetype i = first; i < first + rows; ++i) {
            const RequestEvent &event = events[i];
            QByteArray &route = utf8Routes[event.route];
            if (route.isEmpty())
                route = event.route.toUtf8();
            raw.bind(at++, event.timeMs);
            raw.bind(at++, event.method);
            raw.bind(at++, route);
            raw.bind(at++, qint64(event.status));
            raw.bind(at++, event.durationUs);
            raw.bind(at++, event.responseBytes);
            if (event.subject.isEmpty())
                raw.bindNull(at++);
            else
                raw.bind(at++, event.subject.toUtf8());
            raw.bind(at++, event.client.toUtf8());
            if (event.cell) {
                raw.bind(at++, event.cell->latitude);
                raw.bind(at++, event.cell->longitude);
                raw.bind(at++, event.cell->halfLatitude);
                raw.bind(at++, event.cell->halfLongitude);
            } else {
                for (int column = 0; column < 4; ++column)
                    raw.bindNull(at++);
            }
            if (event.cacheOutcome.isEmpty())
                raw.bindNull(at++);
            else
                raw.bind(at++, event.cacheOutcome);
        }
        if (!raw.execute()) {
            *error = raw.error();
            return fail();
        }
    }
    // The day roll-ups take the same sums keyed by day (hour / 24, UTC days).
    QHash<EndpointKey, Sums> endpointDays;
    for (auto it = endpoints.cbegin(); it != endpoints.cend(); ++it) {
        EndpointKey day = it.key();
        day.hour /= 24;
        Sums &sums = endpointDays[day];
        sums.requests += it->requests;
        sums.durationUs += it->durationUs;
        sums.bytes += it->bytes;
    }
    QHash<std::pair<qint64, QString>, QList<qint64>> latencyDays;
    for (auto it = latency.cbegin(); it != latency.cend(); ++it) {
        QList<qint64> &histogram = latencyDays[{it.key().first / 24, it.key().second}];
        for (int bucket = 0; bucket < it->size(); ++bucket)
            addToHistogram(histogram, bucket, it->at(bucket));
    }
    QSqlQuery endpoint(m_db);
    QSqlQuery histogram(m_db);
    for (const auto &[endpointTable, latencyTable, time, rows, histograms] :
         {std::tuple("rollup_endpoint", "rollup_latency", "hour", &endpoints, &latency),
          std::tuple("rollup_endpoint_day", "rollup_latency_day", "day", &endpointDays,
                     &latencyDays)}) {
        endpoint.prepare(u"INSERT INTO %1 (%2, route, method, status, requests, duration_us, bytes)"
                         " VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET"
                         " requests = requests + excluded.requests,"
                         " duration_us = duration_us + excluded.duration_us,"
                         " bytes = bytes + excluded.bytes"_s.arg(QLatin1String(endpointTable),
                                                                 QLatin1String(time)));
        for (auto it = rows->cbegin(); it != rows->cend(); ++it) {
            for (const QVariant &value :
                 {QVariant(it.key().hour), QVariant(it.key().route),
                  QVariant(QString::fromLatin1(it.key().method)), QVariant(it.key().status),
                  QVariant(it->requests), QVariant(it->durationUs), QVariant(it->bytes)})
                endpoint.addBindValue(value);
            if (!exec(endpoint, error))
                return fail();
        }
        histogram.prepare(
            u"INSERT INTO %1 (%2, route, bucket, requests) VALUES (?,?,?,?)"
            " ON CONFLICT DO UPDATE SET requests = requests + excluded.requests"_s.arg(
                QLatin1String(latencyTable), QLatin1String(time)));
        for (auto it = histograms->cbegin(); it != histograms->cend(); ++it) {
            for (int bucket = 0; bucket < it->size(); ++bucket) {
                if (it->at(bucket) == 0)
                    continue;
                histogram.addBindValue(it.key().first);
                histogram.addBindValue(it.key().second);
                histogram.addBindValue(bucket);
                histogram.addBindValue(it->at(bucket));
                if (!exec(histogram, error))
                    return fail();
            }
        }
    }
    QSqlQuery cell(m_db);
    cell.prepare(u"INSERT INTO rollup_cell (hour, cell_lat, cell_lon, half_lat, "
                 "half_lon, requests, hits, misses, stale)"
                 " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET requests = "
                 "requests + excluded.requests,"
                 " hits = hits + excluded.hits, misses = misses + excluded.misses, "
                 "stale = stale + excluded.stale"_s);
    for (auto it = cells.cbegin(); it != cells.cend(); ++it) {
        for (const QVariant &value :
             {QVariant(it.key().first), QVariant(it->bounds.latitude),
              QVariant(it->bounds.longitude), QVariant(it->bounds.halfLatitude),
              QVariant(it->bounds.halfLongitude), QVariant(it->requests), QVariant(it->hits),
              QVariant(it->misses), QVariant(it->stale)})
            cell.addBindValue(value);
        if (!exec(cell, error))
            return fail();
    }
    QSqlQuery subject(m_db);
    subject.prepare(
        u"INSERT INTO rollup_subject (hour, subject, requests, errors, first_ms, last_ms) VALUES "
        "(?,?,?,?,?,?)"
        " ON CONFLICT DO UPDATE SET requests = requests + excluded.requests, errors = errors + "
        "excluded.errors,"
        " first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)"_s);
    for (auto it = subjects.cbegin(); it != subjects.cend(); ++it) {
        for (const QVariant &value :
             {QVariant(it.key().first), QVariant(it.key().second), QVariant(it->requests),
              QVariant(it->errors), QVariant(it->firstMs), QVariant(it->lastMs)})
            subject.addBindValue(value);
        if (!exec(subject, error))
            return fail();
    }
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        return fail();
    }
    return true;
}

qint64 RequestLogWriter::expire(qint64 rawBeforeMs, qint64 rollupBeforeMs, QString *error)
{
    const qint64 rollupDay = floorDiv(rollupBeforeMs, 24 * kHourMs);
    qint64 deleted = 0;
    // WITHOUT ROWID tables have no rowid to batch on; their rows are few (one per hour and
    // key), so one statement each is short. Raw events are many: those go in batches.
    QSqlQuery query(m_db);
    for (;;) {
        query.prepare(
            u"DELETE FROM request_event WHERE id IN"
            " (SELECT id FROM request_event WHERE time_ms < ? ORDER BY time_ms LIMIT %1)"_s.arg(
                kExpireBatch));
        query.addBindValue(rawBeforeMs);
        if (!exec(query, error))
            return -1;
        const int rows = query.numRowsAffected();
        deleted += rows;
        if (rows < kExpireBatch)
            break;
    }
    for (const auto &[table, time, before] : {std::tuple("rollup_endpoint", "hour", rollupDay * 24),
                                              std::tuple("rollup_latency", "hour", rollupDay * 24),
                                              std::tuple("rollup_cell", "hour", rollupDay * 24),
                                              std::tuple("rollup_subject", "hour", rollupDay * 24),
                                              std::tuple("rollup_endpoint_day", "day", rollupDay),
                                              std::tuple("rollup_latency_day", "day", rollupDay)}) {
        query.prepare(
            u"DELETE FROM %1 WHERE %2 < ?"_s.arg(QLatin1String(table), QLatin1String(time)));
        query.addBindValue(before);
        if (!exec(query, error))
            return -1;
        deleted += query.numRowsAffected();
    }
    const qint64 cells = CellRollups(m_db).expire(rollupDay * 24, error);
    return cells < 0 ? -1 : deleted + cells;
}

qint64 RequestLogWriter::sealCellHours(qint64 beforeMs, int maxHours, QString *error)
{
    return CellRollups(m_db).sealHoursBefore(floorDiv(beforeMs, kHourMs), maxHours, error);
}

qint64 RequestLogWriter::compactDays(qint64 beforeMs, int lookbackDays, QString *error)
{
    // Subjects are folded in place; cells are folded with their sealed segments.
    struct Fold {
        const char *table;
        const char *keys;   // grouped on
        const char *values; // aggregated, in column order after the keys
        const char *update; // how a row already at the day's first hour absorbs the rest
    };
    static const Fold kFolds[] = {
        {"rollup_subject", "subject", "sum(requests), sum(errors), min(first_ms), max(last_ms)",
         "requests = requests + excluded.requests, errors = errors + excluded.errors,"
         " first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)"},
    };
    const qint64 lastDay = beforeMs / (24 * kHourMs) - 1; // whole days only
    qint64 removed = 0;
    QSqlQuery query(m_db);
    // One day's folds, in the caller's transaction; false with `dayError` set on a failure.
    auto foldDay = [&](qint64 first, qint64 *dayRemoved, QString *dayError) {
        for (const Fold &fold : kFolds) {
            query.prepare(u"INSERT INTO %1 SELECT ?, %2, %3 FROM %1 WHERE hour > ? AND hour < ?"
                          " GROUP BY %2 ON CONFLICT DO UPDATE SET %4"_s.arg(
                              QLatin1String(fold.table), QLatin1String(fold.keys),
                              QLatin1String(fold.values), QLatin1String(fold.update)));
            query.addBindValue(first);
            query.addBindValue(first);
            query.addBindValue(first + 24);
            if (!exec(query, dayError))
                return false;
            query.prepare(
                u"DELETE FROM %1 WHERE hour > ? AND hour < ?"_s.arg(QLatin1String(fold.table)));
            query.addBindValue(first);
            query.addBindValue(first + 24);
            if (!exec(query, dayError))
                return false;
            *dayRemoved += query.numRowsAffected();
        }
        const qint64 cells = CellRollups(m_db).fold(first, 24, dayError);
        if (cells < 0)
            return false;
        *dayRemoved += cells;
        return true;
    };
    QString firstError;
    for (qint64 day = lastDay - lookbackDays + 1; day <= lastDay; ++day) {
        // One transaction per day, so the writer's batches are never held up for long; a day
        // that cannot be folded is left as it is and the others still are.
        qint64 dayRemoved = 0;
        QString dayError;
        if (MetricsDatabase::beginWrite(m_db, &dayError)) {
            if (!foldDay(day * 24, &dayRemoved, &dayError)) {
                m_db.rollback();
            } else if (!m_db.commit()) {
                dayError = m_db.lastError().text();
                m_db.rollback();
            } else {
                removed += dayRemoved;
            }
        }
        if (firstError.isEmpty() && !dayError.isEmpty())
            firstError = dayError;
    }
    if (firstError.isEmpty())
        return removed;
    *error = firstError;
    return -1;
}

RequestStats::RequestStats(QSqlDatabase &db, Options options)
    : m_db(db)
    , m_options(options)
{}

QJsonObject RequestStats::summary(qint64 fromMs, qint64 toMs)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    const RangeParts parts = splitRange(firstHour, lastHour, true);
    const ReadSnapshot snapshot(m_db);
    struct EndpointSums {
        qint64 requests = 0, errors = 0;
    };
    QHash<std::pair<QByteArray, QByteArray>, EndpointSums> sums; // (method, route)
    qint64 classes[6] = {};
    qint64 total = 0;
    QString error;
    const bool endpointsRead = scan(
        m_db, parts,
        "SELECT method, route, status, requests FROM rollup_endpoint"
        " WHERE hour BETWEEN ? AND ?",
        "SELECT method, route, status, requests FROM rollup_endpoint_day WHERE day BETWEEN ? AND ?",
        {},
        [&](const SqliteStatement &row) {
            EndpointSums &endpoint =
                sums[{row.utf8At(0).toByteArray(), row.utf8At(1).toByteArray()}];
            const int statusClass = isobar::statusClass(row.int64At(2));
            const qint64 count = row.int64At(3);
            classes[statusClass] += count;
            total += count;
            endpoint.requests += count;
            if (statusClass >= 4)
                endpoint.errors += count;
        },
        &error);
    if (!endpointsRead)
        failScan("summary", error);
    // Latency is kept per route (all methods): most routes have one method.
    QHash<QByteArray, QList<qint64>> histograms;
    const bool latencyRead = scan(
        m_db, parts,
        "SELECT route, bucket, requests FROM rollup_latency WHERE hour BETWEEN ? AND ?",
        "SELECT route, bucket, requests FROM rollup_latency_day WHERE day BETWEEN ? AND ?", {},
        [&](const SqliteStatement &row) {
            addToHistogram(histograms[row.utf8At(0).toByteArray()], row.int64At(1), row.int64At(2));
        },
        &error);
    if (!latencyRead)
        failScan("summary", error);
    QMap<QString, std::pair<QByteArray, EndpointSums>> endpoints; // "GET /path", sorted
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        endpoints.insert(QString::fromUtf8(it.key().first + ' ' + it.key().second),
                         {it.key().second, it.value()});
    QJsonArray perEndpoint;
    for (auto it = endpoints.cbegin(); it != endpoints.cend(); ++it) {
        const QList<qint64> histogram = histograms.value(it->first);
        qint64 routeRequests = 0;
        for (qint64 count : histogram)
            routeRequests += count;
        QJsonObject entry = percentiles(histogram);
        entry.insert(u"endpoint"_s, QString::fromUtf8(it->first));
        entry.insert(u"method"_s, it.key().section(u' ', 0, 0));
        entry.insert(u"requests"_s, double(it->second.requests));
        entry.insert(u"errors"_s, double(it->second.errors));
        const double over = routeRequests
                                ? LatencyBuckets::countAboveUs(histogram, m_options.objectiveUs)
                                      / double(routeRequests)
                                : 0;
        entry.insert(u"over_objective_ratio"_s, roundTo(over, 4));
        entry.insert(u"meets_objective"_s,
                     LatencyBuckets::quantileUs(histogram, 0.95) <= double(m_options.objectiveUs));
        perEndpoint.append(entry);
    }
    auto ratio = [total](qint64 count) {
        return total ? roundTo(double(count) / double(total), 4) : 0.0;
    };
    const double success = ratio(classes[2]);
    return QJsonObject{
        {u"from"_s, isoTime(firstHour * kHourMs)},
        {u"to"_s, isoTime((lastHour + 1) * kHourMs)},
        {u"requests"_s, double(total)},
        {u"status_ratios"_s, QJsonObject{{u"1xx"_s, ratio(classes[1])},
                                         {u"2xx"_s, success},
                                         {u"3xx"_s, ratio(classes[3])},
                                         {u"4xx"_s, ratio(classes[4])},
                                         {u"5xx"_s, ratio(classes[5])}}},
        {u"status_counts"_s, QJsonObject{{u"1xx"_s, double(classes[1])},
                                         {u"2xx"_s, double(classes[2])},
                                         {u"3xx"_s, double(classes[3])},
                                         {u"4xx"_s, double(classes[4])},
                                         {u"5xx"_s, double(classes[5])}}},
        {u"no_go"_s, total > 0 && success < m_options.noGoSuccessRatio},
        {u"no_go_threshold"_s, m_options.noGoSuccessRatio},
        {u"objective_ms"_s, double(m_options.objectiveUs) / 1000.0},
        {u"endpoints"_s, perEndpoint},
    };
}

QJsonArray RequestStats::timeline(qint64 fromMs, qint64 toMs, int bucketHours, const QString &route)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    // Day rows fit only buckets of whole days; hourly buckets read the hours.
    const RangeParts parts = splitRange(firstHour, lastHour, bucketHours % 24 == 0);
    const ReadSnapshot snapshot(m_db);
    const qint64 firstBucket = floorDiv(firstHour, bucketHours);
    const qint64 lastBucket = floorDiv(lastHour, bucketHours);
    std::vector<std::array<qint64, 6>> counts(size_t(lastBucket - firstBucket + 1));
    std::vector<QList<qint64>> histograms(counts.size());
    // Both roll-ups are read the same way: the hour (a day's first hour for day rows), one
    // column, requests.
    const QByteArray routeFilter = route.isEmpty() ? QByteArray() : " AND route = ?";
    auto select = [&](const char *column, const char *table, auto add) {
        QString error;
        const QByteArray hourSql = QByteArray("SELECT hour, ") + column + ", requests FROM " + table
                                   + " WHERE hour BETWEEN ? AND ?" + routeFilter;
        const QByteArray daySql = QByteArray("SELECT day * 24, ") + column + ", requests FROM "
                                  + table + "_day WHERE day BETWEEN ? AND ?" + routeFilter;
        const bool read = scan(
            m_db, parts, hourSql, daySql, route.toUtf8(),
            [&](const SqliteStatement &row) {
                add(size_t(floorDiv(row.int64At(0), bucketHours) - firstBucket), row.int64At(1),
                    row.int64At(2));
            },
            &error);
        if (!read)
            failScan("timeline", error);
    };
    select("status", "rollup_endpoint", [&](size_t at, qint64 status, qint64 requests) {
        counts[at][statusClass(status)] += requests;
    });
    select("bucket", "rollup_latency", [&](size_t at, qint64 bucket, qint64 requests) {
        addToHistogram(histograms[at], bucket, requests);
    });
    // Every bucket in the range appears, empty ones with zeros, so a chart has no gaps.
    QJsonArray buckets;
    for (qint64 bucket = firstBucket; bucket <= lastBucket; ++bucket) {
        const std::array<qint64, 6> &c = counts[size_t(bucket - firstBucket)];
        QJsonObject entry = percentiles(histograms[size_t(bucket - firstBucket)]);
        entry.insert(u"time"_s, isoTime(bucket * bucketHours * kHourMs));
        entry.insert(u"requests"_s, double(c[1] + c[2] + c[3] + c[4] + c[5]));
        entry.insert(u"1xx"_s, double(c[1]));
        entry.insert(u"2xx"_s, double(c[2]));
        entry.insert(u"3xx"_s, double(c[3]));
        entry.insert(u"4xx"_s, double(c[4]));
        entry.insert(u"5xx"_s, double(c[5]));
        buckets.append(entry);
    }
    return buckets;
}

QList<CellCount> RequestStats::busiestCells(qint64 fromMs, qint64 toMs, int limit)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    const ReadSnapshot snapshot(m_db);
    QString problem;
    QList<CellCount> cells = CellRollups(m_db).busiest(firstHour, lastHour, limit, &problem);
    if (!problem.isEmpty()) // a broken segment left out: the rest still answers
        qCWarning(lcRequestStats).noquote()
            << "event=stats_segment_skipped stats=geography problem=" << problem;
    return cells;
}

QJsonArray RequestStats::users(qint64 fromMs, qint64 toMs, int limit)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    // Subjects have no day table either: their old hours are folded like the cells'.
    QHash<QByteArray, SubjectSums> sums;
    QString error;
    const bool read = scan(
        m_db, splitRange(firstHour, lastHour, false),
        "SELECT subject, requests, errors, first_ms, last_ms FROM rollup_subject"
        " WHERE hour BETWEEN ? AND ?",
        {}, {},
        [&](const SqliteStatement &row) {
            SubjectSums &subject = sums[row.utf8At(0).toByteArray()];
            subject.firstMs =
                subject.requests ? std::min(subject.firstMs, row.int64At(3)) : row.int64At(3);
            subject.lastMs = std::max(subject.lastMs, row.int64At(4));
            subject.requests += row.int64At(1);
            subject.errors += row.int64At(2);
        },
        &error);
    if (!read)
        failScan("users", error);
    std::vector<std::pair<QByteArray, SubjectSums>> ranked;
    ranked.reserve(size_t(sums.size()));
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        ranked.emplace_back(it.key(), it.value());
    // Busiest first, then by name in SQLite's binary (UTF-8 byte) order.
    const auto busier = [](const auto &a, const auto &b) {
        return a.second.requests != b.second.requests ? a.second.requests > b.second.requests
                                                      : a.first < b.first;
    };
    const size_t kept = std::min(size_t(std::max(limit, 0)), ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + ptrdiff_t(kept), ranked.end(), busier);
    QJsonArray users;
    for (size_t i = 0; i < kept; ++i) {
        const auto &[subject, totals] = ranked[i];
        users.append(QJsonObject{{u"subject"_s, QString::fromUtf8(subject)},
                                 {u"requests"_s, double(totals.requests)},
                                 {u"errors"_s, double(totals.errors)},
                                 {u"first_seen"_s, isoTime(totals.firstMs)},
                                 {u"last_seen"_s, isoTime(totals.lastMs)}});
    }
    return users;
}

} // namespace isobar
