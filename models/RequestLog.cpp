#include "RequestLog.h"

#include "SqliteStatement.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <cmath>
#include <memory>

namespace isobar {

namespace {

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

// [from, to) as whole hours.
std::pair<qint64, qint64> hourRange(qint64 fromMs, qint64 toMs)
{
    const qint64 first = fromMs / kHourMs;
    const qint64 last = (std::max(toMs, fromMs + 1) - 1) / kHourMs;
    return {first, last};
}

QJsonObject percentiles(const QList<qint64> &histogram)
{
    auto ms = [&](double q) {
        return roundTo(LatencyBuckets::quantileUs(histogram, q) / 1000.0, 2);
    };
    return QJsonObject{
        {u"p50_ms"_qs, ms(0.50)}, {u"p95_ms"_qs, ms(0.95)}, {u"p99_ms"_qs, ms(0.99)}};
}

// Rows of (key, bucket, requests) from rollup_latency summed into one histogram per key.
template <typename Key> QHash<Key, QList<qint64>> readHistograms(QSqlQuery &query)
{
    const int bucketCount = int(LatencyBuckets::upperBoundsUs().size()) + 1;
    QHash<Key, QList<qint64>> histograms;
    while (query.next()) {
        QList<qint64> &histogram = histograms[query.value(0).value<Key>()];
        if (histogram.isEmpty())
            histogram.resize(bucketCount);
        histogram[std::clamp(query.value(1).toInt(), 0, bucketCount - 1)] +=
            query.value(2).toLongLong();
    }
    return histograms;
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

    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
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
    QSqlQuery endpoint(m_db);
    endpoint.prepare(QStringLiteral(
        "INSERT INTO rollup_endpoint (hour, route, method, status, requests, duration_us, bytes)"
        " VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET requests = requests + excluded.requests,"
        " duration_us = duration_us + excluded.duration_us, bytes = bytes + excluded.bytes"));
    for (auto it = endpoints.cbegin(); it != endpoints.cend(); ++it) {
        for (const QVariant &value :
             {QVariant(it.key().hour), QVariant(it.key().route),
              QVariant(QString::fromLatin1(it.key().method)), QVariant(it.key().status),
              QVariant(it->requests), QVariant(it->durationUs), QVariant(it->bytes)})
            endpoint.addBindValue(value);
        if (!exec(endpoint, error))
            return fail();
    }
    QSqlQuery histogram(m_db);
    histogram.prepare(
        QStringLiteral("INSERT INTO rollup_latency (hour, route, bucket, requests) VALUES (?,?,?,?)"
                       " ON CONFLICT DO UPDATE SET requests = requests + excluded.requests"));
    for (auto it = latency.cbegin(); it != latency.cend(); ++it) {
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
    QSqlQuery cell(m_db);
    cell.prepare(QStringLiteral("INSERT INTO rollup_cell (hour, cell_lat, cell_lon, half_lat, "
                                "half_lon, requests, hits, misses, stale)"
                                " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET requests = "
                                "requests + excluded.requests,"
                                " hits = hits + excluded.hits, misses = misses + excluded.misses, "
                                "stale = stale + excluded.stale"));
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
    subject.prepare(QStringLiteral(
        "INSERT INTO rollup_subject (hour, subject, requests, errors, first_ms, last_ms) VALUES "
        "(?,?,?,?,?,?)"
        " ON CONFLICT DO UPDATE SET requests = requests + excluded.requests, errors = errors + "
        "excluded.errors,"
        " first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)"));
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
    const qint64 rollupHour = rollupBeforeMs / kHourMs;
    qint64 deleted = 0;
    // WITHOUT ROWID tables have no rowid to batch on; their rows are few (one per hour and
    // key), so one statement each is short. Raw events are many: those go in batches.
    QSqlQuery query(m_db);
    for (;;) {
        query.prepare(
            QStringLiteral(
                "DELETE FROM request_event WHERE id IN"
                " (SELECT id FROM request_event WHERE time_ms < ? ORDER BY time_ms LIMIT %1)")
                .arg(kExpireBatch));
        query.addBindValue(rawBeforeMs);
        if (!exec(query, error))
            return -1;
        const int rows = query.numRowsAffected();
        deleted += rows;
        if (rows < kExpireBatch)
            break;
    }
    for (const char *table :
         {"rollup_endpoint", "rollup_latency", "rollup_cell", "rollup_subject"}) {
        query.prepare(QStringLiteral("DELETE FROM %1 WHERE hour < ?").arg(QLatin1String(table)));
        query.addBindValue(rollupHour);
        if (!exec(query, error))
            return -1;
        deleted += query.numRowsAffected();
    }
    return deleted;
}

qint64 RequestLogWriter::compactDays(qint64 beforeMs, int lookbackDays, QString *error)
{
    struct Fold {
        const char *table;
        const char *keys;   // grouped on
        const char *values; // aggregated, in column order after the keys
        const char *update; // how a row already at the day's first hour absorbs the rest
    };
    static const Fold kFolds[] = {
        {"rollup_cell", "cell_lat, cell_lon",
         "max(half_lat), max(half_lon), sum(requests), sum(hits), sum(misses), sum(stale)",
         "requests = requests + excluded.requests, hits = hits + excluded.hits,"
         " misses = misses + excluded.misses, stale = stale + excluded.stale"},
        {"rollup_subject", "subject", "sum(requests), sum(errors), min(first_ms), max(last_ms)",
         "requests = requests + excluded.requests, errors = errors + excluded.errors,"
         " first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)"},
    };
    const qint64 lastDay = beforeMs / (24 * kHourMs) - 1; // whole days only
    qint64 removed = 0;
    QSqlQuery query(m_db);
    for (qint64 day = lastDay - lookbackDays + 1; day <= lastDay; ++day) {
        const qint64 first = day * 24;
        // One transaction per day, so the writer's batches are never held up for long.
        if (!m_db.transaction()) {
            *error = m_db.lastError().text();
            return -1;
        }
        for (const Fold &fold : kFolds) {
            query.prepare(
                QStringLiteral("INSERT INTO %1 SELECT ?, %2, %3 FROM %1 WHERE hour > ? AND hour < ?"
                               " GROUP BY %2 ON CONFLICT DO UPDATE SET %4")
                    .arg(QLatin1String(fold.table), QLatin1String(fold.keys),
                         QLatin1String(fold.values), QLatin1String(fold.update)));
            query.addBindValue(first);
            query.addBindValue(first);
            query.addBindValue(first + 24);
            if (!exec(query, error)) {
                m_db.rollback();
                return -1;
            }
            query.prepare(QStringLiteral("DELETE FROM %1 WHERE hour > ? AND hour < ?")
                              .arg(QLatin1String(fold.table)));
            query.addBindValue(first);
            query.addBindValue(first + 24);
            if (!exec(query, error)) {
                m_db.rollback();
                return -1;
            }
            removed += query.numRowsAffected();
        }
        if (!m_db.commit()) {
            *error = m_db.lastError().text();
            m_db.rollback();
            return -1;
        }
    }
    return removed;
}

RequestStats::RequestStats(QSqlDatabase &db, Options options)
    : m_db(db)
    , m_options(options)
{}

QJsonObject RequestStats::summary(qint64 fromMs, qint64 toMs)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("SELECT route, method, status / 100, sum(requests) FROM rollup_endpoint"
                       " WHERE hour BETWEEN ? AND ? GROUP BY route, method, status / 100"));
    query.addBindValue(firstHour);
    query.addBindValue(lastHour);
    query.exec();
    qint64 classes[6] = {};
    qint64 total = 0;
    QMap<QString, QJsonObject> endpoints; // "GET /path", sorted
    QMap<QString, qint64> endpointTotals, endpointErrors;
    while (query.next()) {
        const QString key = query.value(1).toString() + u' ' + query.value(0).toString();
        const int statusClass = std::clamp(query.value(2).toInt(), 1, 5);
        const qint64 count = query.value(3).toLongLong();
        classes[statusClass] += count;
        total += count;
        endpointTotals[key] += count;
        if (statusClass >= 4)
            endpointErrors[key] += count;
    }
    // Latency is kept per route (all methods): most routes have one method.
    query.prepare(QStringLiteral("SELECT route, bucket, sum(requests) FROM rollup_latency"
                                 " WHERE hour BETWEEN ? AND ? GROUP BY route, bucket"));
    query.addBindValue(firstHour);
    query.addBindValue(lastHour);
    query.exec();
    const QHash<QString, QList<qint64>> histograms = readHistograms<QString>(query);
    QJsonArray perEndpoint;
    for (auto it = endpointTotals.cbegin(); it != endpointTotals.cend(); ++it) {
        const QString route = it.key().section(u' ', 1);
        const QList<qint64> histogram = histograms.value(route);
        qint64 routeRequests = 0;
        for (qint64 count : histogram)
            routeRequests += count;
        QJsonObject entry = percentiles(histogram);
        entry.insert(u"endpoint"_qs, route);
        entry.insert(u"method"_qs, it.key().section(u' ', 0, 0));
        entry.insert(u"requests"_qs, double(it.value()));
        entry.insert(u"errors"_qs, double(endpointErrors.value(it.key())));
        const double over = routeRequests
                                ? LatencyBuckets::countAboveUs(histogram, m_options.objectiveUs)
                                      / double(routeRequests)
                                : 0;
        entry.insert(u"over_objective_ratio"_qs, roundTo(over, 4));
        entry.insert(u"meets_objective"_qs,
                     LatencyBuckets::quantileUs(histogram, 0.95) <= double(m_options.objectiveUs));
        perEndpoint.append(entry);
    }
    auto ratio = [total](qint64 count) {
        return total ? roundTo(double(count) / double(total), 4) : 0.0;
    };
    const double success = ratio(classes[2]);
    return QJsonObject{
        {u"from"_qs, isoTime(firstHour * kHourMs)},
        {u"to"_qs, isoTime((lastHour + 1) * kHourMs)},
        {u"requests"_qs, double(total)},
        {u"status_ratios"_qs, QJsonObject{{u"1xx"_qs, ratio(classes[1])},
                                          {u"2xx"_qs, success},
                                          {u"3xx"_qs, ratio(classes[3])},
                                          {u"4xx"_qs, ratio(classes[4])},
                                          {u"5xx"_qs, ratio(classes[5])}}},
        {u"status_counts"_qs, QJsonObject{{u"1xx"_qs, double(classes[1])},
                                          {u"2xx"_qs, double(classes[2])},
                                          {u"3xx"_qs, double(classes[3])},
                                          {u"4xx"_qs, double(classes[4])},
                                          {u"5xx"_qs, double(classes[5])}}},
        {u"no_go"_qs, total > 0 && success < m_options.noGoSuccessRatio},
        {u"no_go_threshold"_qs, m_options.noGoSuccessRatio},
        {u"objective_ms"_qs, double(m_options.objectiveUs) / 1000.0},
        {u"endpoints"_qs, perEndpoint},
    };
}

QJsonArray RequestStats::timeline(qint64 fromMs, qint64 toMs, int bucketHours, const QString &route)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    QSqlQuery query(m_db);
    // Both roll-ups are read the same way: per bucket, one column grouped, summed requests.
    auto select = [&](const char *column, const char *table) {
        query.prepare(QStringLiteral("SELECT hour / %1, %2, sum(requests) FROM %3"
                                     " WHERE hour BETWEEN ? AND ?%4 GROUP BY 1, 2")
                          .arg(bucketHours)
                          .arg(QLatin1String(column), QLatin1String(table),
                               route.isEmpty() ? QString() : QStringLiteral(" AND route = ?")));
        query.addBindValue(firstHour);
        query.addBindValue(lastHour);
        if (!route.isEmpty())
            query.addBindValue(route);
        query.exec();
    };
    select("status / 100", "rollup_endpoint");
    QMap<qint64, std::array<qint64, 6>> counts;
    while (query.next())
        counts[query.value(0).toLongLong()][std::clamp(query.value(1).toInt(), 1, 5)] +=
            query.value(2).toLongLong();
    select("bucket", "rollup_latency");
    const QHash<qint64, QList<qint64>> histograms = readHistograms<qint64>(query);
    // Every bucket in the range appears, empty ones with zeros, so a chart has no gaps.
    QJsonArray buckets;
    for (qint64 bucket = firstHour / bucketHours; bucket <= lastHour / bucketHours; ++bucket) {
        const std::array<qint64, 6> c = counts.value(bucket);
        QJsonObject entry = percentiles(histograms.value(bucket));
        entry.insert(u"time"_qs, isoTime(bucket * bucketHours * kHourMs));
        entry.insert(u"requests"_qs, double(c[1] + c[2] + c[3] + c[4] + c[5]));
        entry.insert(u"1xx"_qs, double(c[1]));
        entry.insert(u"2xx"_qs, double(c[2]));
        entry.insert(u"3xx"_qs, double(c[3]));
        entry.insert(u"4xx"_qs, double(c[4]));
        entry.insert(u"5xx"_qs, double(c[5]));
        buckets.append(entry);
    }
    return buckets;
}

QJsonArray RequestStats::geography(qint64 fromMs, qint64 toMs, int limit)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral(
        "SELECT cell_lat, cell_lon, max(half_lat), max(half_lon), sum(requests),"
        " sum(hits), sum(misses), sum(stale) FROM rollup_cell WHERE hour BETWEEN ? AND ?"
        " GROUP BY cell_lat, cell_lon ORDER BY 5 DESC, 1, 2 LIMIT ?"));
    query.addBindValue(firstHour);
    query.addBindValue(lastHour);
    query.addBindValue(limit);
    query.exec();
    QJsonArray cells;
    while (query.next()) {
        const double lat = query.value(0).toDouble();
        const double lon = query.value(1).toDouble();
        const double halfLat = query.value(2).toDouble();
        const double halfLon = query.value(3).toDouble();
        cells.append(QJsonObject{
            {u"latitude"_qs, lat},
            {u"longitude"_qs, lon},
            {u"bounds"_qs, QJsonObject{{u"south"_qs, lat - halfLat},
                                       {u"west"_qs, lon - halfLon},
                                       {u"north"_qs, lat + halfLat},
                                       {u"east"_qs, lon + halfLon}}},
            {u"requests"_qs, double(query.value(4).toLongLong())},
            {u"cache"_qs, QJsonObject{{u"hit"_qs, double(query.value(5).toLongLong())},
                                      {u"miss"_qs, double(query.value(6).toLongLong())},
                                      {u"stale"_qs, double(query.value(7).toLongLong())}}},
        });
    }
    return cells;
}

QJsonArray RequestStats::users(qint64 fromMs, qint64 toMs, int limit)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("SELECT subject, sum(requests), sum(errors), min(first_ms), max(last_ms)"
                       " FROM rollup_subject WHERE hour BETWEEN ? AND ? GROUP BY subject"
                       " ORDER BY 2 DESC, 1 LIMIT ?"));
    query.addBindValue(firstHour);
    query.addBindValue(lastHour);
    query.addBindValue(limit);
    query.exec();
    QJsonArray users;
    while (query.next()) {
        users.append(QJsonObject{{u"subject"_qs, query.value(0).toString()},
                                 {u"requests"_qs, double(query.value(1).toLongLong())},
                                 {u"errors"_qs, double(query.value(2).toLongLong())},
                                 {u"first_seen"_qs, isoTime(query.value(3).toLongLong())},
                                 {u"last_seen"_qs, isoTime(query.value(4).toLongLong())}});
    }
    return users;
}

} // namespace isobar
