#include "RequestStats.h"

#include "CellRollups.h"
#include "LatencyBuckets.h"
#include "MetricsDatabase.h"
#include "PostgresqlStatement.h"
#include "RequestLogShared.h"
#include "StoreError.h"
#include "StoreStatement.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMap>
#include <QSqlQuery>
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace isobar {

using requestlog::floorDiv;
using requestlog::kHourMs;

namespace {

Q_LOGGING_CATEGORY(lcRequestStats, "isobar.monitoring")

double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

// Percentiles in ms to 2 decimals: the histogram is no finer.
double quantileMs(const QList<qint64> &histogram, double q)
{
    return roundTo(LatencyBuckets::quantileUs(histogram, q) / 1000.0, 2);
}

// Gives a timeline's buckets their start times (`widthMs` apart from `firstStartMs`) and their
// latency percentiles from `histograms`, one per bucket.
void dateBuckets(QList<TimelineBucket> &buckets, const std::vector<QList<qint64>> &histograms,
                 qint64 firstStartMs, qint64 widthMs)
{
    for (qsizetype at = 0; at < buckets.size(); ++at) {
        TimelineBucket &bucket = buckets[at];
        bucket.startMs = firstStartMs + at * widthMs;
        bucket.p50Ms = quantileMs(histograms[size_t(at)], 0.50);
        bucket.p95Ms = quantileMs(histograms[size_t(at)], 0.95);
        bucket.p99Ms = quantileMs(histograms[size_t(at)], 0.99);
    }
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

// What narrows a scan: SQL to append to its WHERE clause, and the values it binds, in order.
struct Filters {
    QByteArray sql;
    QList<QByteArray> values;
};

// To the requests `replica` served and those of `route`, each when not empty.
Filters narrowedTo(const QByteArray &replica, const QString &route = {})
{
    Filters filters;
    if (!route.isEmpty()) {
        filters.sql += " AND route = ?";
        filters.values << route.toUtf8();
    }
    if (!replica.isEmpty()) {
        filters.sql += " AND replica = ?";
        filters.values << replica;
    }
    return filters;
}

// Runs `hourSql` over the range's hour spans and `daySql` over its whole days (each with the
// first and last hour or day as parameters 1 and 2, and `filters` after them), handing every row
// to `row`. False with `error` set if the store refused.
template <typename Row>
bool scan(QSqlDatabase &db, const RangeParts &parts, const QByteArray &hourSql,
          const QByteArray &daySql, const QList<QByteArray> &filters, Row row, QString *error)
{
    auto run = [&](const QByteArray &sql, std::pair<qint64, qint64> span) {
        if (span.first > span.second)
            return true;
        const auto statement = StoreStatement::prepare(db, sql);
        if (!statement->isValid()) {
            *error = statement->error();
            return false;
        }
        statement->bind(1, span.first);
        statement->bind(2, span.second);
        for (int i = 0; i < filters.size(); ++i)
            statement->bind(3 + i, filters[i]);
        while (statement->next())
            row(*statement);
        *error = statement->error();
        return error->isEmpty();
    };
    return run(daySql, parts.days) && run(hourSql, parts.hourSpans[0])
           && run(hourSql, parts.hourSpans[1]);
}

// Holds one read transaction over a stats call, so that its counts and its latency histograms
// come from the same snapshot while writers commit batches (on PostgreSQL that takes REPEATABLE
// READ: its default isolation takes a new snapshot for every statement). Leaves a transaction
// the caller already holds alone.
class ReadSnapshot
{
public:
    explicit ReadSnapshot(QSqlDatabase &db)
        : m_db(db)
        , m_own(begin(db))
    {}
    ~ReadSnapshot()
    {
        if (m_own)
            m_db.commit();
    }
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    static bool begin(QSqlDatabase &db)
    {
        if (!MetricsDatabase::isPostgresql(db))
            return db.transaction();
        if (PostgresqlStatement::inTransaction(db))
            return false;
        return QSqlQuery(db).exec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s);
    }

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

// [from, to) as whole minutes.
std::pair<qint64, qint64> minuteRange(qint64 fromMs, qint64 toMs)
{
    return {floorDiv(fromMs, kMinuteMs), floorDiv(std::max(toMs, fromMs + 1) - 1, kMinuteMs)};
}

// Hands `row` each row of `sql` (a minute roll-up's, with the first and last minute as
// parameters 1 and 2, `filters` appended). False past `maxRows` rows, a bound on the read's
// time: the caller answers from the hourly roll-ups instead.
template <typename Row>
bool scanMinutes(QSqlDatabase &db, const QByteArray &sql, std::pair<qint64, qint64> minutes,
                 const Filters &filters, qint64 maxRows, const char *what, Row row)
{
    const auto rows = StoreStatement::prepare(db, sql + filters.sql);
    if (!rows->isValid())
        failScan(what, rows->error());
    rows->bind(1, minutes.first);
    rows->bind(2, minutes.second);
    for (int i = 0; i < filters.values.size(); ++i)
        rows->bind(3 + i, filters.values[i]);
    qint64 read = 0;
    while (rows->next()) {
        if (++read > maxRows)
            return false;
        row(*rows);
    }
    if (!rows->error().isEmpty())
        failScan(what, rows->error());
    return true;
}

using EndpointSums = RequestStats::EndpointSums;
using EndpointTotals = RequestStats::EndpointTotals;
using RouteHistograms = RequestStats::RouteHistograms;

// The columns each roll-up is read by, whatever its resolution (the table's name follows).
constexpr char kEndpointColumns[] = "SELECT method, route, status, requests, replica FROM ";
constexpr char kLatencyColumns[] = "SELECT route, bucket, requests FROM ";
constexpr char kSubjectColumns[] =
    "SELECT subject, requests, errors, first_ms, last_ms, limited FROM ";

void addEndpointRow(RequestStats::Answers &answers, const StoreStatement &row)
{
    answers.add(row.utf8At(0).toByteArray(), row.utf8At(1).toByteArray(), row.int64At(2),
                row.utf8At(4).toByteArray(), row.int64At(3));
}

void addLatencyRow(RouteHistograms &histograms, const StoreStatement &row)
{
    LatencyBuckets::add(histograms[row.utf8At(0).toByteArray()], row.int64At(1), row.int64At(2));
}

void addStatus(TimelineBucket &bucket, qint64 status, qint64 requests)
{
    bucket.statusCounts[int(statusClassOf(status))] += requests;
    bucket.requests += requests;
}

// Requests and errors per endpoint over the range, into `answers` (with the counts per status
// class and per replica).
EndpointTotals readEndpointTotals(QSqlDatabase &db, const RangeParts &parts, const Filters &filters,
                                  RequestStats::Answers *answers)
{
    QString error;
    const QByteArray columns = kEndpointColumns;
    const bool read = scan(
        db, parts, columns + "rollup_endpoint WHERE hour BETWEEN ? AND ?" + filters.sql,
        columns + "rollup_endpoint_day WHERE day BETWEEN ? AND ?" + filters.sql, filters.values,
        [&](const StoreStatement &row) { addEndpointRow(*answers, row); }, &error);
    if (!read)
        failScan("summary", error);
    return answers->endpoints;
}

// Latency is kept per route (all methods): most routes have one method.
RouteHistograms readRouteHistograms(QSqlDatabase &db, const RangeParts &parts,
                                    const Filters &filters)
{
    RouteHistograms histograms;
    QString error;
    const QByteArray columns = kLatencyColumns;
    const bool read = scan(
        db, parts, columns + "rollup_latency WHERE hour BETWEEN ? AND ?" + filters.sql,
        columns + "rollup_latency_day WHERE day BETWEEN ? AND ?" + filters.sql, filters.values,
        [&](const StoreStatement &row) { addLatencyRow(histograms, row); }, &error);
    if (!read)
        failScan("summary", error);
    return histograms;
}

// The endpoints sorted by "METHOD route", each measured against the objective: its route's p95
// within it, and the share of the route's requests over it.
QList<EndpointLatency> endpointLatencies(const EndpointTotals &sums,
                                         const RouteHistograms &histograms, qint64 objectiveUs)
{
    QMap<QString, std::pair<QByteArray, EndpointSums>> sorted; // "GET /path" -> (route, sums)
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        sorted.insert(QString::fromUtf8(it.key().first + ' ' + it.key().second),
                      {it.key().second, it.value()});
    QList<EndpointLatency> endpoints;
    endpoints.reserve(sorted.size());
    for (auto it = sorted.cbegin(); it != sorted.cend(); ++it) {
        const QList<qint64> histogram = histograms.value(it->first);
        qint64 routeRequests = 0;
        for (qint64 count : histogram)
            routeRequests += count;
        const double over = routeRequests ? LatencyBuckets::countAboveUs(histogram, objectiveUs)
                                                / double(routeRequests)
                                          : 0;
        endpoints.append(EndpointLatency{
            it.key().section(u' ', 0, 0),
            QString::fromUtf8(it->first),
            it->second.requests,
            it->second.errors,
            quantileMs(histogram, 0.50),
            quantileMs(histogram, 0.95),
            quantileMs(histogram, 0.99),
            roundTo(over, 4),
            LatencyBuckets::quantileUs(histogram, 0.95) <= double(objectiveUs),
        });
    }
    return endpoints;
}

} // namespace

RequestStats::RequestStats(QSqlDatabase &db, Options options, const QString &replica)
    : m_db(db)
    , m_options(options)
    , m_replica(replica.toUtf8())
{}

StatsSummary RequestStats::summary(qint64 fromMs, qint64 toMs)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    const RangeParts parts = splitRange(firstHour, lastHour, true);
    const ReadSnapshot snapshot(m_db);
    const Filters filters = narrowedTo(m_replica);
    Answers answers;
    answers.endpoints = readEndpointTotals(m_db, parts, filters, &answers);
    answers.histograms = readRouteHistograms(m_db, parts, filters);
    return summarize(answers, firstHour * kHourMs, (lastHour + 1) * kHourMs);
}

std::optional<StatsSummary> RequestStats::summaryOfMinutes(qint64 fromMs, qint64 toMs)
{
    const auto minutes = minuteRange(fromMs, toMs);
    const ReadSnapshot snapshot(m_db);
    const Filters filters = narrowedTo(m_replica);
    Answers answers;
    const bool read =
        scanMinutes(m_db,
                    kEndpointColumns + "rollup_endpoint_minute WHERE minute BETWEEN ? AND ?"_ba,
                    minutes, filters, m_options.maxMinuteRows, "summary",
                    [&answers](const StoreStatement &row) { addEndpointRow(answers, row); })
        && scanMinutes(
            m_db, kLatencyColumns + "rollup_latency_minute WHERE minute BETWEEN ? AND ?"_ba,
            minutes, filters, m_options.maxMinuteRows, "summary",
            [&answers](const StoreStatement &row) { addLatencyRow(answers.histograms, row); });
    if (!read)
        return std::nullopt;
    return summarize(answers, minutes.first * kMinuteMs, (minutes.second + 1) * kMinuteMs);
}

StatsSummary RequestStats::summarize(const Answers &answers, qint64 fromMs, qint64 toMs) const
{
    StatsSummary summary;
    summary.fromMs = fromMs;
    summary.toMs = toMs;
    summary.statusCounts = answers.classes;
    for (auto it = answers.replicas.cbegin(); it != answers.replicas.cend(); ++it)
        summary.replicas.append(ReplicaRequests{QString::fromUtf8(it.key()), it.value()});
    for (qint64 count : summary.statusCounts)
        summary.requests += count;
    for (int c = 0; c < kStatusClassCount; ++c)
        summary.statusRatios[c] =
            summary.requests
                ? roundTo(double(summary.statusCounts[c]) / double(summary.requests), 4)
                : 0.0;
    // The no-go rule reads the ratio as reported (4 decimals), so the flag and the figure shown
    // beside it never disagree.
    summary.noGo = summary.requests > 0 && summary.successRatio() < m_options.noGoSuccessRatio;
    summary.noGoThreshold = m_options.noGoSuccessRatio;
    summary.objectiveMs = double(m_options.objectiveUs) / 1000.0;
    summary.endpoints =
        endpointLatencies(answers.endpoints, answers.histograms, m_options.objectiveUs);
    return summary;
}

QList<TimelineBucket> RequestStats::timeline(qint64 fromMs, qint64 toMs, int bucketHours,
                                             const QString &route)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    // Day rows fit only buckets of whole days; hourly buckets read the hours.
    const RangeParts parts = splitRange(firstHour, lastHour, bucketHours % 24 == 0);
    const ReadSnapshot snapshot(m_db);
    const qint64 firstBucket = floorDiv(firstHour, bucketHours);
    const qint64 lastBucket = floorDiv(lastHour, bucketHours);
    // Every bucket in the range appears, empty ones with zeros, so a chart has no gaps.
    QList<TimelineBucket> buckets(lastBucket - firstBucket + 1);
    std::vector<QList<qint64>> histograms(size_t(buckets.size()));
    // Both roll-ups are read the same way: the hour (a day's first hour for day rows), one
    // column, requests.
    const Filters filters = narrowedTo(m_replica, route);
    auto select = [&](const char *column, const char *table, auto add) {
        QString error;
        const QByteArray hourSql = QByteArray("SELECT hour, ") + column + ", requests FROM " + table
                                   + " WHERE hour BETWEEN ? AND ?" + filters.sql;
        const QByteArray daySql = QByteArray("SELECT day * 24, ") + column + ", requests FROM "
                                  + table + "_day WHERE day BETWEEN ? AND ?" + filters.sql;
        const bool read = scan(
            m_db, parts, hourSql, daySql, filters.values,
            [&](const StoreStatement &row) {
                add(qsizetype(floorDiv(row.int64At(0), bucketHours) - firstBucket), row.int64At(1),
                    row.int64At(2));
            },
            &error);
        if (!read)
            failScan("timeline", error);
    };
    select("status", "rollup_endpoint", [&](qsizetype at, qint64 status, qint64 requests) {
        addStatus(buckets[at], status, requests);
    });
    select("bucket", "rollup_latency", [&](qsizetype at, qint64 bucket, qint64 requests) {
        LatencyBuckets::add(histograms[size_t(at)], bucket, requests);
    });
    dateBuckets(buckets, histograms, firstBucket * bucketHours * kHourMs, bucketHours * kHourMs);
    return buckets;
}

void RequestStats::Answers::add(const QByteArray &method, const QByteArray &route, qint64 status,
                                const QByteArray &replica, qint64 count)
{
    EndpointSums &endpoint = endpoints[{method, route}];
    const StatusClass statusClass = statusClassOf(status);
    classes[int(statusClass)] += count;
    replicas[replica] += count;
    endpoint.requests += count;
    if (statusClass == StatusClass::ClientError || statusClass == StatusClass::ServerError)
        endpoint.errors += count;
}

std::optional<QList<TimelineBucket>> RequestStats::minuteTimeline(qint64 fromMs, qint64 toMs,
                                                                  const QString &route)
{
    const auto minutes = minuteRange(fromMs, toMs);
    const ReadSnapshot snapshot(m_db);
    QList<TimelineBucket> buckets(minutes.second - minutes.first + 1);
    std::vector<QList<qint64>> histograms(size_t(buckets.size()));
    const Filters filters = narrowedTo(m_replica, route);
    const bool read =
        scanMinutes(m_db,
                    "SELECT minute, status, requests FROM rollup_endpoint_minute"
                    " WHERE minute BETWEEN ? AND ?",
                    minutes, filters, m_options.maxMinuteRows, "timeline",
                    [&](const StoreStatement &row) {
                        addStatus(buckets[row.int64At(0) - minutes.first], row.int64At(1),
                                  row.int64At(2));
                    })
        && scanMinutes(m_db,
                       "SELECT minute, bucket, requests FROM rollup_latency_minute"
                       " WHERE minute BETWEEN ? AND ?",
                       minutes, filters, m_options.maxMinuteRows, "timeline",
                       [&](const StoreStatement &row) {
                           LatencyBuckets::add(histograms[size_t(row.int64At(0) - minutes.first)],
                                               row.int64At(1), row.int64At(2));
                       });
    if (!read)
        return std::nullopt;
    dateBuckets(buckets, histograms, minutes.first * kMinuteMs, kMinuteMs);
    return buckets;
}

QList<CellCount> RequestStats::busiestCells(qint64 fromMs, qint64 toMs, int limit)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    const ReadSnapshot snapshot(m_db);
    QString problem;
    QList<CellCount> cells =
        CellRollups(m_db).busiest(firstHour, lastHour, limit, m_replica, &problem);
    if (!problem.isEmpty()) // a broken segment left out: the rest still answers
        qCWarning(lcRequestStats).noquote()
            << "event=stats_segment_skipped stats=geography problem=" << problem;
    return cells;
}

QList<UserActivity> RequestStats::users(qint64 fromMs, qint64 toMs, int limit)
{
    const auto [firstHour, lastHour] = hourRange(fromMs, toMs);
    // Subjects have no day table either: their old hours are folded like the cells'.
    QHash<QByteArray, SubjectSums> sums;
    QString error;
    const Filters filters = narrowedTo(m_replica);
    const bool read = scan(
        m_db, splitRange(firstHour, lastHour, false),
        kSubjectColumns + "rollup_subject WHERE hour BETWEEN ? AND ?"_ba + filters.sql, {},
        filters.values, [&](const StoreStatement &row) { addSubjectRow(sums, row); }, &error);
    if (!read)
        failScan("users", error);
    return ranked(sums, limit);
}

std::optional<QList<UserActivity>> RequestStats::usersOfMinutes(qint64 fromMs, qint64 toMs,
                                                                int limit)
{
    QHash<QByteArray, SubjectSums> sums;
    const bool read =
        scanMinutes(m_db, kSubjectColumns + "rollup_subject_minute WHERE minute BETWEEN ? AND ?"_ba,
                    minuteRange(fromMs, toMs), narrowedTo(m_replica), m_options.maxMinuteRows,
                    "users", [&sums](const StoreStatement &row) { addSubjectRow(sums, row); });
    if (!read)
        return std::nullopt;
    return ranked(sums, limit);
}

void RequestStats::addSubjectRow(QHash<QByteArray, SubjectSums> &sums, const StoreStatement &row)
{
    sums[row.utf8At(0).toByteArray()].add(SubjectSums{
        row.int64At(1), row.int64At(2), row.int64At(5), row.int64At(3), row.int64At(4)});
}

QList<UserActivity> RequestStats::ranked(const QHash<QByteArray, SubjectSums> &sums, int limit)
{
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
    QList<UserActivity> users;
    users.reserve(qsizetype(kept));
    for (size_t i = 0; i < kept; ++i) {
        const auto &[subject, totals] = ranked[i];
        users.append(UserActivity{QString::fromUtf8(subject), totals.requests, totals.errors,
                                  totals.firstMs, totals.lastMs, totals.limited});
    }
    return users;
}

} // namespace isobar
