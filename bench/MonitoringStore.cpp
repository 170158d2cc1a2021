// bench_monitoring_store: what the request log costs to write and to read
// (bench/run-monitoring.sh).
//
//   bench_monitoring_store writer --out DIR [--events N] [--subjects N] [--cities FILE] [--seed N]
//   bench_monitoring_store stats --store FILE [--days N] [--per-day N] [--raw-days N] [--runs N]
//                                [--subjects N] [--cities FILE] [--seed N] [--regenerate]
//
// The workload (RequestTraffic): events in time order at --per-day requests per day (1,000,000),
// routes taken from the live route table (an ApiServer started on a free port), 80% on the
// weather routes. Statuses are mostly 200, some 4xx/5xx; weather calls carry their 1 km cache
// cell and a hit/miss/stale outcome. --subjects watches (5,000) each live near a city drawn by
// population; a watch asks from home most of the time, and from somewhere around its city
// (sigma 3 km) otherwise.
//
// writer: --events events (500,000) through RequestLogWriter::write in batches of 1,000 into a
//   fresh file, against the reference: the same events as rows through a plain prepared INSERT
//   into a flat table (no index, no roll-ups), 1,000 rows per transaction. Prints events/s and
//   the ratio.
// stats: a store holding --days days (30): the last --raw-days (7, the default minute retention)
//   written through RequestLogWriter (minutes, hours and days), and kept as rows of a flat table
//   for the reference; the older days as hour and day roll-ups only (the same generated events
//   summed by the writer's own RequestRollups and upserted as it does), then compacted as a
//   running server leaves it (cell and subject hours of the days before yesterday folded into
//   days). Then RequestStats over 1 h, 24 h, 7 d and 30 d (p50 of --runs, JSON serialisation
//   included, as the API does), and the reference: the 7-day summary computed by GROUP BY over
//   the flat table's rows.

#include "Cities.h"
#include "Durations.h"
#include "LatencyBuckets.h"
#include "MetricsDatabase.h"
#include "RequestLogWriter.h"
#include "RequestRollups.h"
#include "RequestStats.h"
#include "RequestTraffic.h"
#include "SchemaMigrations.h"
#include "monitoring/GeographyJson.h"
#include "monitoring/StatsJson.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

using isobar::bench::City;
using isobar::bench::liveRoutes;
using isobar::bench::readCities;
using isobar::bench::RequestTraffic;
using isobar::bench::RouteName;

// 2024-06-03 00:00 UTC: a fixed start, so every run generates the same traffic.
constexpr qint64 kStartMs = 1'717'372'800'000;
constexpr int kBatch = 1000; // RequestRecorder's default batch size

// Evenly spaced in time at `perDay` requests per day.
qint64 timeOf(qint64 index, qint64 perDay)
{
    return kStartMs + index * kDayMs / perDay;
}

// An answer as the stats API sends it (HttpResponse::json): its serialisation is part of the cost.
QByteArray json(const QJsonObject &answer)
{
    return QJsonDocument(answer).toJson(QJsonDocument::Compact);
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(q * double(values.size())))];
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
}

qint64 fileBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();
}

void removeStore(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1String(suffix));
}

bool fail(const QString &what)
{
    std::fprintf(stderr, "%s\n", qPrintable(what));
    return false;
}

// --- writer ---------------------------------------------------------------------------------

// The flat table of the references: one row per event, no index.
bool createFlat(QSqlDatabase &db, QString *error)
{
    QSqlQuery create(db);
    if (create.exec(u"CREATE TABLE flat_event (time_ms INTEGER NOT NULL, method TEXT NOT NULL,"
                    " route TEXT NOT NULL, status INTEGER NOT NULL, duration_us INTEGER NOT NULL,"
                    " bytes INTEGER NOT NULL, subject TEXT, client TEXT, cell_lat REAL,"
                    " cell_lon REAL, cell_half_lat REAL, cell_half_lon REAL, cache TEXT)"_s))
        return true;
    *error = create.lastError().text();
    return false;
}

// The reference: the plainest way to keep the events, a row each, without the roll-ups.
template <typename Events> bool writeFlat(QSqlDatabase &db, const Events &events, QString *error)
{
    QSqlQuery insert(db);
    insert.prepare(u"INSERT INTO flat_event (time_ms, method, route, status, duration_us, bytes,"
                   " subject, client, cell_lat, cell_lon, cell_half_lat, cell_half_lon, cache)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"_s);
    const auto count = std::ptrdiff_t(std::size(events));
    for (std::ptrdiff_t first = 0; first < count; first += kBatch) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        for (std::ptrdiff_t i = first; i < std::min<std::ptrdiff_t>(count, first + kBatch); ++i) {
            const RequestEvent &event = *(std::begin(events) + i);
            insert.addBindValue(event.timeMs);
            insert.addBindValue(QString::fromLatin1(event.method));
            insert.addBindValue(event.route);
            insert.addBindValue(event.status);
            insert.addBindValue(event.durationUs);
            insert.addBindValue(event.responseBytes);
            insert.addBindValue(event.subject.isEmpty() ? QVariant() : QVariant(event.subject));
            insert.addBindValue(event.client);
            insert.addBindValue(event.cell ? QVariant(event.cell->latitude) : QVariant());
            insert.addBindValue(event.cell ? QVariant(event.cell->longitude) : QVariant());
            insert.addBindValue(event.cell ? QVariant(event.cell->halfLatitude) : QVariant());
            insert.addBindValue(event.cell ? QVariant(event.cell->halfLongitude) : QVariant());
            insert.addBindValue(event.cacheOutcome.isEmpty()
                                    ? QVariant()
                                    : QVariant(QString::fromLatin1(event.cacheOutcome)));
            if (!insert.exec()) {
                *error = insert.lastError().text();
                db.rollback();
                return false;
            }
        }
        if (!db.commit()) {
            *error = db.lastError().text();
            return false;
        }
    }
    return true;
}

int runWriter(RequestTraffic &traffic, const QString &outDir, qint64 count, qint64 perDay)
{
    QDir().mkpath(outDir);
    std::printf("== writer: %lld events in batches of %d (%lld per simulated day: %.1f h of "
                "traffic)\n",
                count, kBatch, perDay, double(count) * 24 / double(perDay));
    std::vector<RequestEvent> events;
    events.reserve(size_t(count));
    for (qint64 i = 0; i < count; ++i)
        events.push_back(traffic.next(timeOf(i, perDay)));

    const QString flatPath = outDir + u"/writer-flat.db"_s;
    const QString logPath = outDir + u"/writer-request-log.db"_s;
    removeStore(flatPath);
    removeStore(logPath);
    QString error;

    // Both on stores opened the project's way (WAL, synchronous NORMAL, same cache size).
    MetricsDatabase flat;
    if (!flat.open(flatPath))
        return fail(flat.errorString()), 1;
    if (!createFlat(flat.connection(), &error))
        return fail(error), 1;
    QElapsedTimer timer;
    timer.start();
    if (!writeFlat(flat.connection(), events, &error))
        return fail(u"flat insert: "_s + error), 1;
    const double flatSeconds = double(timer.nsecsElapsed()) / 1e9;

    MetricsDatabase log;
    if (!log.open(logPath))
        return fail(log.errorString()), 1;
    RequestLogWriter writer(log.connection());
    std::vector<double> batchMs;
    timer.restart();
    QElapsedTimer batchTimer;
    for (size_t first = 0; first < events.size(); first += kBatch) {
        // The recorder hands the writer a QList; building it is part of its cost too.
        const QList<RequestEvent> batch(events.begin() + qsizetype(first),
                                        events.begin()
                                            + qsizetype(std::min(events.size(), first + kBatch)));
        batchTimer.start();
        if (!writer.write(batch, &error))
            return fail(u"RequestLogWriter::write: "_s + error), 1;
        batchMs.push_back(double(batchTimer.nsecsElapsed()) / 1e6);
    }
    const double logSeconds = double(timer.nsecsElapsed()) / 1e9;

    const double logRate = double(count) / logSeconds;
    const double flatRate = double(count) / flatSeconds;
    std::printf("%-34s %12s %10s %12s\n", "run", "events/s", "seconds", "file MB");
    std::printf("%-34s %12.0f %10.2f %12.1f\n", "RequestLogWriter (roll-ups)", logRate, logSeconds,
                double(fileBytes(logPath)) / 1e6);
    std::printf("%-34s %12.0f %10.2f %12.1f\n", "flat INSERT (reference)", flatRate, flatSeconds,
                double(fileBytes(flatPath)) / 1e6);
    std::printf("ratio writer/flat: %.2f\n", logRate / flatRate);
    std::printf("per 1,000-event batch: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", median(batchMs),
                quantile(batchMs, 0.99), *std::max_element(batchMs.begin(), batchMs.end()));
    QSqlDatabase &db = log.connection();
    std::printf("rows: rollup_endpoint_minute %lld, rollup_subject_minute %lld, rollup_endpoint"
                " %lld, rollup_latency %lld, rollup_cell %lld, rollup_subject %lld\n",
                scalar(db, u"SELECT count(*) FROM rollup_endpoint_minute"_s),
                scalar(db, u"SELECT count(*) FROM rollup_subject_minute"_s),
                scalar(db, u"SELECT count(*) FROM rollup_endpoint"_s),
                scalar(db, u"SELECT count(*) FROM rollup_latency"_s),
                scalar(db, u"SELECT count(*) FROM rollup_cell"_s),
                scalar(db, u"SELECT count(*) FROM rollup_subject"_s));
    log.close();
    flat.close();
    removeStore(flatPath);
    removeStore(logPath);
    return 0;
}

// --- stats ----------------------------------------------------------------------------------

// What the store was generated from: a different route table or schema means other traffic.
QString shapeOf(qint64 days, qint64 perDay, qint64 rawDays, int subjects, quint64 seed,
                qsizetype routes)
{
    return u"days=%1 per_day=%2 raw_days=%3 subjects=%4 seed=%5 routes=%6 schema=%7"
           " compacted=before-yesterday sealed=all-but-last-hour"_s.arg(days)
               .arg(perDay)
               .arg(rawDays)
               .arg(subjects)
               .arg(seed)
               .arg(routes)
               .arg(SchemaMigrations::latestVersion());
}

bool generateStore(RequestTraffic &traffic, const QString &path, qint64 days, qint64 perDay,
                   qint64 rawDays, const QString &shape)
{
    removeStore(path);
    MetricsDatabase database;
    if (!database.open(path))
        return fail(database.errorString());
    QSqlDatabase &db = database.connection();
    QString error;
    const qint64 total = days * perDay;
    const qint64 firstRaw = (days - rawDays) * perDay;
    std::printf("== generating %s: %lld days x %lld requests; the last %lld days through "
                "RequestLogWriter (and as flat rows for the reference), the %lld before as hour "
                "and day roll-ups only\n",
                qPrintable(path), days, perDay, rawDays, days - rawDays);
    std::fflush(stdout);

    QElapsedTimer timer;
    timer.start();
    RequestRollups rollup; // one hour's, written as the writer writes them
    RollupUpserts upserts(db);
    qint64 hour = timeOf(0, perDay) / kHourMs;
    if (!db.transaction())
        return fail(db.lastError().text());
    for (qint64 i = 0; i < firstRaw; ++i) {
        const RequestEvent event = traffic.next(timeOf(i, perDay));
        if (event.timeMs / kHourMs != hour) {
            if (!(rollup.upsertHours(upserts, &error) && rollup.upsertDays(upserts, &error)))
                return fail(u"roll-up insert: "_s + error);
            rollup = {};
            hour = event.timeMs / kHourMs;
            if (hour % 24 == 0 && !(db.commit() && db.transaction()))
                return fail(db.lastError().text());
        }
        rollup.add(event);
    }
    if (firstRaw > 0
        && !(rollup.upsertHours(upserts, &error) && rollup.upsertDays(upserts, &error)))
        return fail(u"roll-up insert: "_s + error);
    if (!db.commit())
        return fail(db.lastError().text());
    const double rollupSeconds = double(timer.nsecsElapsed()) / 1e9;
    std::printf("older days: %lld events summed into roll-ups in %.1f s\n", firstRaw,
                rollupSeconds);
    std::fflush(stdout);

    if (!createFlat(db, &error))
        return fail(error);
    RequestLogWriter writer(db);
    timer.restart();
    qint64 generateNs = 0;
    QElapsedTimer generate;
    for (qint64 first = firstRaw; first < total; first += kBatch) {
        generate.start();
        QList<RequestEvent> batch;
        batch.reserve(kBatch);
        for (qint64 i = first; i < std::min(total, first + kBatch); ++i)
            batch.append(traffic.next(timeOf(i, perDay)));
        if (!writeFlat(db, batch, &error))
            return fail(u"flat insert: "_s + error);
        generateNs += generate.nsecsElapsed();
        if (!writer.write(batch, &error))
            return fail(u"RequestLogWriter::write: "_s + error);
        if ((first - firstRaw) % (perDay - perDay % kBatch) == 0 && first > firstRaw) {
            std::printf("  day %lld of %lld written\n", (first - firstRaw) / perDay, rawDays);
            std::fflush(stdout);
        }
    }
    const double rawSeconds = double(timer.nsecsElapsed() - generateNs) / 1e9;
    std::printf("last days: %lld events through RequestLogWriter in %.1f s (%.0f events/s, "
                "generation and flat rows excluded)\n",
                total - firstRaw, rawSeconds, double(total - firstRaw) / rawSeconds);
    // As a running server leaves it just before it seals an hour: RequestRecorder seals the
    // cell rows of every hour that is over (here all but the last, whose rows the stats then
    // read as rows), and folds the cell and subject hours of every day before yesterday into
    // days (hourly, looking back a week; here all days at once).
    const qint64 endMs = timeOf(total, perDay);
    timer.restart();
    const qint64 sealed =
        writer.sealCellHours(endMs - kHourMs, std::numeric_limits<int>::max(), &error);
    if (sealed < 0)
        return fail(u"RequestLogWriter::sealCellHours: "_s + error);
    std::printf("sealed the cell rows of all hours but the last: %lld hours in %.1f s\n", sealed,
                double(timer.nsecsElapsed()) / 1e9);
    timer.restart();
    const qint64 folded = writer.compactDays(endMs - kDayMs, int(days), &error);
    if (folded < 0)
        return fail(u"RequestLogWriter::compactDays: "_s + error);
    std::printf("compacted the days before yesterday: %lld cell segments and subject rows folded"
                " in %.1f s\n",
                folded, double(timer.nsecsElapsed()) / 1e9);
    QSqlQuery query(db);
    if (!query.exec(u"CREATE TABLE bench_shape (shape TEXT NOT NULL)"_s)
        || !query.prepare(u"INSERT INTO bench_shape VALUES (?)"_s))
        return fail(query.lastError().text());
    query.addBindValue(shape);
    if (!query.exec() || !query.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s)
        || !query.exec(u"ANALYZE"_s))
        return fail(query.lastError().text());
    return true;
}

QString storedShape(const QString &path)
{
    if (!QFileInfo::exists(path))
        return {};
    MetricsDatabase database;
    if (!database.open(path, MetricsDatabase::Mode::ReadOnly))
        return {};
    QSqlQuery query(database.connection());
    return query.exec(u"SELECT shape FROM bench_shape"_s) && query.next()
               ? query.value(0).toString()
               : QString();
}

struct RawSummary {
    qint64 requests = 0;
    qint64 classes[6] = {};
    int endpoints = 0;
    QHash<QString, double> p99Ms;
};

// The reference: what the summary costs without roll-ups, straight from a row per event.
RawSummary rawSummary(QSqlDatabase &db, qint64 fromMs, qint64 toMs)
{
    RawSummary summary;
    QSqlQuery query(db);
    query.prepare(u"SELECT route, method, status / 100, count(*) FROM flat_event"
                  " WHERE time_ms >= ? AND time_ms < ? GROUP BY 1, 2, 3"_s);
    query.addBindValue(fromMs);
    query.addBindValue(toMs);
    query.exec();
    QSet<QString> endpoints;
    while (query.next()) {
        const qint64 count = query.value(3).toLongLong();
        summary.classes[std::clamp(query.value(2).toInt(), 1, 5)] += count;
        summary.requests += count;
        endpoints.insert(query.value(1).toString() + u' ' + query.value(0).toString());
    }
    summary.endpoints = int(endpoints.size());
    QString bucket = u"CASE"_s;
    const QList<qint64> &bounds = LatencyBuckets::upperBoundsUs();
    for (int i = 0; i < bounds.size(); ++i)
        bucket += u" WHEN duration_us <= %1 THEN %2"_s.arg(bounds[i]).arg(i);
    bucket += u" ELSE %1 END"_s.arg(bounds.size());
    query.prepare(u"SELECT route, %1, count(*) FROM flat_event"
                  " WHERE time_ms >= ? AND time_ms < ? GROUP BY 1, 2"_s.arg(bucket));
    query.addBindValue(fromMs);
    query.addBindValue(toMs);
    query.exec();
    QHash<QString, QList<qint64>> histograms;
    while (query.next()) {
        QList<qint64> &histogram = histograms[query.value(0).toString()];
        histogram.resize(bounds.size() + 1);
        histogram[query.value(1).toInt()] += query.value(2).toLongLong();
    }
    for (auto it = histograms.cbegin(); it != histograms.cend(); ++it)
        summary.p99Ms.insert(it.key(), LatencyBuckets::quantileUs(*it, 0.99) / 1000);
    return summary;
}

int runStats(RequestTraffic &traffic, const QString &path, qint64 days, qint64 perDay,
             qint64 rawDays, int subjects, quint64 seed, int runs, bool regenerate)
{
    const QString shape = shapeOf(days, perDay, rawDays, subjects, seed,
                                  traffic.weatherRoutes() + traffic.otherRoutes());
    if (regenerate || storedShape(path) != shape) {
        if (!generateStore(traffic, path, days, perDay, rawDays, shape))
            return 1;
    } else {
        std::printf("== reusing %s (%s)\n", qPrintable(path), qPrintable(shape));
    }

    // A read-only connection, as the stats API's query threads have.
    MetricsDatabase database;
    if (!database.open(path, MetricsDatabase::Mode::ReadOnly))
        return fail(database.errorString()), 1;
    QSqlDatabase &db = database.connection();
    std::printf("store: %.0f MB; rows: flat_event %lld, rollup_endpoint_minute %lld,"
                " rollup_subject_minute %lld, rollup_endpoint %lld, rollup_latency %lld,"
                " rollup_endpoint_day %lld, rollup_latency_day %lld, rollup_cell %lld,"
                " cell_segment %lld, cell %lld, rollup_subject %lld\n",
                double(fileBytes(path)) / 1e6, scalar(db, u"SELECT count(*) FROM flat_event"_s),
                scalar(db, u"SELECT count(*) FROM rollup_endpoint_minute"_s),
                scalar(db, u"SELECT count(*) FROM rollup_subject_minute"_s),
                scalar(db, u"SELECT count(*) FROM rollup_endpoint"_s),
                scalar(db, u"SELECT count(*) FROM rollup_latency"_s),
                scalar(db, u"SELECT count(*) FROM rollup_endpoint_day"_s),
                scalar(db, u"SELECT count(*) FROM rollup_latency_day"_s),
                scalar(db, u"SELECT count(*) FROM rollup_cell"_s),
                scalar(db, u"SELECT count(*) FROM cell_segment"_s),
                scalar(db, u"SELECT count(*) FROM cell"_s),
                scalar(db, u"SELECT count(*) FROM rollup_subject"_s));
    const qint64 endMs = kStartMs + days * kDayMs;
    const qint64 lastHour = endMs / kHourMs - 1;
    std::printf("roll-up rows per hour (last hour): endpoint %lld, latency %lld, cell %lld, "
                "subject %lld\n",
                scalar(db, u"SELECT count(*) FROM rollup_endpoint WHERE hour = %1"_s.arg(lastHour)),
                scalar(db, u"SELECT count(*) FROM rollup_latency WHERE hour = %1"_s.arg(lastHour)),
                scalar(db, u"SELECT count(*) FROM rollup_cell WHERE hour = %1"_s.arg(lastHour)),
                scalar(db, u"SELECT count(*) FROM rollup_subject WHERE hour = %1"_s.arg(lastHour)));

    RequestStats stats(db, RequestStats::Options{});
    struct Range {
        const char *name;
        qint64 ms;
    };
    const Range ranges[] = {{"1h", kHourMs},
                            {"24h", kDayMs},
                            {"7d", 7 * kDayMs},
                            {"30d", std::min<qint64>(30, days) * kDayMs}};
    using Call = std::function<QByteArray(qint64, qint64)>;
    const std::pair<const char *, Call> calls[] = {
        {"summary",
         [&](qint64 from, qint64 to) { return json(StatsJson::summary(stats.summary(from, to))); }},
        {"timeline(hour)",
         [&](qint64 from, qint64 to) {
             return json(
                 StatsJson::timeline(stats.timeline(from, to, 1, {}), {}, {}, u"hour"_s, {}));
         }},
        {"timeline(day)",
         [&](qint64 from, qint64 to) {
             return json(
                 StatsJson::timeline(stats.timeline(from, to, 24, {}), {}, {}, u"day"_s, {}));
         }},
        {"geography",
         [&](qint64 from, qint64 to) {
             return GeographyJson::cells(stats.busiestCells(from, to, 10000), {}, {});
         }},
        {"users(limit 100)",
         [&](qint64 from, qint64 to) {
             return json(StatsJson::users(stats.users(from, to, 100), {}, {}));
         }},
    };
    std::printf("\n== RequestStats, p50 of %d runs in ms (JSON serialisation included); answer "
                "size in kB\n",
                runs);
    std::printf("%-18s", "call");
    for (const Range &range : ranges)
        std::printf(" %10s %8s", range.name, "kB");
    std::printf("\n");
    QElapsedTimer timer;
    for (const auto &[name, call] : calls) {
        std::printf("%-18s", name);
        for (const Range &range : ranges) {
            std::vector<double> ms;
            qsizetype bytes = 0;
            for (int run = 0; run < runs; ++run) {
                timer.start();
                bytes = call(endMs - range.ms, endMs).size();
                ms.push_back(double(timer.nsecsElapsed()) / 1e6);
            }
            const double p50 = median(ms);
            std::printf(" %10.2f %8.1f", p50, double(bytes) / 1000);
            std::fflush(stdout);
        }
        std::printf("\n");
    }

    // The reference over the range the flat rows cover.
    const qint64 rawFrom = endMs - std::min<qint64>(7, rawDays) * kDayMs;
    std::vector<double> rawMs;
    RawSummary raw;
    for (int run = 0; run < std::max(1, std::min(runs, 3)); ++run) {
        timer.start();
        raw = rawSummary(db, rawFrom, endMs);
        rawMs.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    // The roll-up side over exactly the same range.
    std::vector<double> rolledMs;
    StatsSummary rolled;
    for (int run = 0; run < runs; ++run) {
        timer.start();
        rolled = stats.summary(rawFrom, endMs);
        json(StatsJson::summary(rolled));
        rolledMs.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    bool agree = rolled.requests == raw.requests && rolled.endpoints.size() == raw.endpoints;
    for (int c = 1; c <= 5; ++c)
        agree = agree && rolled.statusCounts[c - 1] == raw.classes[c];
    double p99Gap = 0;
    for (const EndpointLatency &endpoint : rolled.endpoints)
        p99Gap = std::max(p99Gap, std::abs(endpoint.p99Ms - raw.p99Ms.value(endpoint.endpoint)));
    std::printf("\n== reference: the %lld-day summary by GROUP BY over %lld flat rows\n",
                std::min<qint64>(7, rawDays), raw.requests);
    std::printf("raw GROUP BY: %.1f ms (p50 of %zu); roll-ups: %.2f ms; ratio raw/roll-ups: "
                "%.0fx\n",
                median(rawMs), rawMs.size(), median(rolledMs), median(rawMs) / median(rolledMs));
    std::printf("same totals, status counts and endpoints: %s; largest p99 difference: %.3f ms\n",
                agree ? "yes" : "NO", p99Gap);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // The route-table server logs its start; the figures are the output here.
    QLoggingCategory::setFilterRules(u"isobar.*.info=false\nisobar.*.warning=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Request log benchmarks: writer rate against a flat insert, stats query times."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"part"_s, u"writer or stats"_s);
    const QCommandLineOption out(u"out"_s, u"Folder for the writer's scratch stores."_s, u"dir"_s,
                                 u"."_s);
    const QCommandLineOption events(u"events"_s, u"Events the writer part writes."_s, u"n"_s,
                                    u"500000"_s);
    const QCommandLineOption store(u"store"_s, u"The stats part's store (kept, reused)."_s,
                                   u"file"_s, u"monitoring-stats.db"_s);
    const QCommandLineOption days(u"days"_s, u"Simulated days in the stats store."_s, u"n"_s,
                                  u"30"_s);
    const QCommandLineOption perDay(u"per-day"_s, u"Requests per simulated day."_s, u"n"_s,
                                    u"1000000"_s);
    const QCommandLineOption rawDays(
        u"raw-days"_s, u"Last days written as a server writes them (the rest as older roll-ups)."_s,
        u"n"_s, u"7"_s);
    const QCommandLineOption runs(u"runs"_s, u"Runs per stats query (p50 reported)."_s, u"n"_s,
                                  u"5"_s);
    const QCommandLineOption subjects(u"subjects"_s, u"Distinct token subjects (watches)."_s,
                                      u"n"_s, u"5000"_s);
    const QCommandLineOption cities(u"cities"_s, u"Cities CSV (lat, lon, population)."_s, u"file"_s,
                                    u"bench/data/cities-300.csv"_s);
    const QCommandLineOption seed(u"seed"_s, u"Random seed."_s, u"n"_s, u"5"_s);
    const QCommandLineOption regenerate(u"regenerate"_s, u"Rebuild the stats store."_s);
    parser.addOptions(
        {out, events, store, days, perDay, rawDays, runs, subjects, cities, seed, regenerate});
    parser.process(app);
    const QString part = parser.positionalArguments().value(0);
    if (part != u"writer" && part != u"stats") {
        std::fprintf(stderr, "say writer or stats (see --help)\n");
        return 2;
    }

    const std::vector<City> cityList = readCities(parser.value(cities));
    if (cityList.empty()) {
        std::fprintf(stderr, "no cities read from %s\n", qPrintable(parser.value(cities)));
        return 2;
    }
    QString error;
    const QList<RouteName> routes = liveRoutes(&error);
    if (routes.isEmpty()) {
        std::fprintf(stderr, "cannot read the route table: %s\n", qPrintable(error));
        return 1;
    }
    const quint64 seedValue = parser.value(seed).toULongLong();
    RequestTraffic traffic(routes, cityList, parser.value(subjects).toInt(), seedValue);
    std::printf("workload: %lld routes from the route table (%lld weather: 80%% of requests), "
                "%d subjects around %zu cities, 1 km cells\n",
                qint64(routes.size()), qint64(traffic.weatherRoutes()),
                parser.value(subjects).toInt(), cityList.size());

    if (part == u"writer")
        return runWriter(traffic, parser.value(out), parser.value(events).toLongLong(),
                         parser.value(perDay).toLongLong());
    return runStats(traffic, parser.value(store), parser.value(days).toLongLong(),
                    parser.value(perDay).toLongLong(), parser.value(rawDays).toLongLong(),
                    parser.value(subjects).toInt(), seedValue,
                    std::max(1, parser.value(runs).toInt()), parser.isSet(regenerate));
}
