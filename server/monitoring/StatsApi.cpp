#include "StatsApi.h"

#include "Durations.h"
#include "GeographyJson.h"
#include "MetricsQuery.h"
#include "StatsJson.h"
#include "api/QueryRunner.h"
#include "http/ApiError.h"

#include <QDateTime>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr qint64 kMaxRangeMs = 400 * kDayMs;
constexpr qint64 kMaxMinuteRangeMs = kDayMs; // 1,440 buckets

// What a stats question is about: a time range, and one replica or (empty) the whole fleet.
struct StatsScope {
    qint64 fromMs;
    qint64 toMs;
    QString replica;
};

// The longest replica name: a host name's (--replica-id, or a pod's name).
constexpr qsizetype kMaxReplicaLength = 253;

QString parameter(const HttpRequest &request, const QString &name)
{
    return request.query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
}

// from/to and replica, checked up front: a bad range is the caller's 400, never a query.
StatsScope statsScope(const HttpRequest &request, qint64 nowMs)
{
    const QString to = parameter(request, u"to"_s);
    const QString from = parameter(request, u"from"_s);
    StatsScope range{0, nowMs, parameter(request, u"replica"_s)};
    if (range.replica.size() > kMaxReplicaLength)
        throw ApiError{400, u"replica must be at most %1 characters"_s.arg(kMaxReplicaLength),
                       u"replica"_s};
    if (!to.isEmpty()) {
        const auto parsed = StatsApi::parseTime(to, nowMs);
        if (!parsed)
            throw ApiError{
                400,
                u"'%1' is not a time: use now, now-1h, 2026-11-25 or 2026-11-25T10:00:00Z"_s.arg(
                    to),
                u"to"_s};
        range.toMs = *parsed;
    }
    range.fromMs = range.toMs - kDayMs;
    if (!from.isEmpty()) {
        const auto parsed = StatsApi::parseTime(from, nowMs);
        if (!parsed)
            throw ApiError{
                400,
                u"'%1' is not a time: use now-15m, now-7d, 2026-11-25 or 2026-11-25T10:00:00Z"_s
                    .arg(from),
                u"from"_s};
        range.fromMs = *parsed;
    }
    if (range.fromMs >= range.toMs)
        throw ApiError{400, u"to must be after from"_s, u"to"_s};
    if (range.toMs - range.fromMs > kMaxRangeMs)
        throw ApiError{400, u"the range may span at most 400 days"_s, u"from"_s};
    return range;
}

int boundedInteger(const HttpRequest &request, const QString &name, int fallback, int minimum,
                   int maximum)
{
    const QString text = parameter(request, name);
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum || value > maximum)
        throw ApiError{
            400, u"%1 must be a whole number from %2 to %3"_s.arg(name).arg(minimum).arg(maximum),
            name};
    return value;
}

QString choice(const HttpRequest &request, const QString &name, const QStringList &allowed)
{
    QString value = parameter(request, name);
    if (value.isEmpty())
        return allowed.constFirst();
    if (!allowed.contains(value))
        throw ApiError{400, u"%1 must be one of: %2"_s.arg(name, allowed.join(u", ")), name};
    return value;
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

StatsApi::StatsApi(QueryRunner &runner, RequestStats::Options options, Clock clock)
    : m_runner(runner)
    , m_options(options)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{}

std::optional<qint64> StatsApi::parseTime(const QString &text, qint64 nowMs)
{
    static const QRegularExpression relative(u"^now(?:-(\\d{1,6})([smhd]))?$"_s);
    if (const auto match = relative.match(text); match.hasMatch()) {
        if (match.captured(1).isEmpty())
            return nowMs;
        const qint64 amount = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 unitMs = unit == u's'   ? 1000
                              : unit == u'm' ? 60'000
                              : unit == u'h' ? kHourMs
                                             : kDayMs;
        return nowMs - amount * unitMs;
    }
    if (const QDate date = QDate::fromString(text, Qt::ISODate);
        date.isValid() && text.size() == 10)
        return QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (time.isValid()
        && (text.endsWith(u'Z') || text.contains(QRegularExpression(u"[+-]\\d\\d:?\\d\\d$"_s))))
        return time.toMSecsSinceEpoch();
    return std::nullopt; // a time without a zone is ambiguous: refuse rather than guess
}

void StatsApi::registerRoutes(Router &router)
{
    using Read = QFuture<HttpResponse> (StatsApi::*)(const HttpRequest &);
    const struct {
        QString path, summary;
        Read read;
    } routes[] = {
        {u"/api/v1/stats/summary"_s,
         u"Requests, status ratios, no-go flag and latency per endpoint"_s, &StatsApi::summary},
        {u"/api/v1/stats/timeline"_s,
         u"Requests by status class and latency percentiles per minute, hour or day"_s,
         &StatsApi::timeline},
        {u"/api/v1/stats/geography"_s, u"Weather requests per cache cell (JSON or GeoJSON)"_s,
         &StatsApi::geography},
        {u"/api/v1/stats/users"_s, u"Requests per token subject with first/last seen and errors"_s,
         &StatsApi::users},
    };
    // The same read polled by a board's viewers is read once (SharedAnswers).
    for (const auto &route : routes)
        router.add("GET", route.path, route.summary,
                   [this, read = route.read](const HttpRequest &r, const RouteParams &) {
                       return m_shared.answer(r.target,
                                              [this, read, &r] { return (this->*read)(r); });
                   });
}

QFuture<HttpResponse> StatsApi::summary(const HttpRequest &request)
{
    const StatsScope range = statsScope(request, m_clock());
    const bool inMinutes = answeredInMinutes(range.fromMs, range.toMs);
    return m_runner.run([range, inMinutes, options = m_options](MetricsQuery &query) {
        RequestStats stats(query.database(), options, range.replica);
        std::optional<StatsSummary> summary;
        if (inMinutes)
            summary = stats.summaryOfMinutes(range.fromMs, range.toMs);
        if (!summary) // a longer, older or busier range: whole hours from the roll-ups
            summary = stats.summary(range.fromMs, range.toMs);
        return HttpResponse::json(StatsJson::summary(*summary));
    });
}

QFuture<HttpResponse> StatsApi::timeline(const HttpRequest &request)
{
    const StatsScope range = statsScope(request, m_clock());
    const QString bucket = choice(request, u"bucket"_s, {u"hour"_s, u"day"_s, u"minute"_s});
    const QString endpoint = parameter(request, u"endpoint"_s);
    if (bucket == u"minute" && range.toMs - range.fromMs > kMaxMinuteRangeMs)
        throw ApiError{400, u"minute buckets cover at most 24 hours; ask for hours"_s, u"bucket"_s};
    const bool minutes = bucket == u"minute" && minutesCover(range.fromMs);
    return m_runner.run([range, minutes, bucket, endpoint,
                         options = m_options](MetricsQuery &query) -> HttpResponse {
        RequestStats stats(query.database(), options, range.replica);
        std::optional<QList<TimelineBucket>> buckets;
        if (minutes)
            buckets = stats.minuteTimeline(range.fromMs, range.toMs, endpoint);
        // Minutes no longer kept, or too many rows of them: hours, as the answer says.
        const QString answered = buckets ? bucket : bucket == u"day" ? bucket : u"hour"_s;
        if (!buckets)
            buckets =
                stats.timeline(range.fromMs, range.toMs, answered == u"day" ? 24 : 1, endpoint);
        // The range the buckets cover (whole minutes, hours or days), which the caller shows.
        return HttpResponse::json(StatsJson::timeline(
            *buckets, iso(buckets->constFirst().startMs),
            iso(buckets->constLast().startMs + timelineBucketMs(answered)), answered, endpoint));
    });
}

bool StatsApi::minutesCover(qint64 fromMs) const
{
    // An hour's margin: a range must not begin among the minutes a retention pass is deleting.
    return fromMs >= m_clock() - m_options.minutesKeptMs + kHourMs;
}

bool StatsApi::answeredInMinutes(qint64 fromMs, qint64 toMs) const
{
    return toMs - fromMs <= RequestStats::kMinuteRangeMs && minutesCover(fromMs);
}

QFuture<HttpResponse> StatsApi::geography(const HttpRequest &request)
{
    const StatsScope range = statsScope(request, m_clock());
    const QString format = choice(request, u"format"_s, {u"json"_s, u"geojson"_s});
    // A month of worldwide traffic touches ~100k cells: the answer stays bounded.
    const int limit = boundedInteger(request, u"limit"_s, 10'000, 1, 100'000);
    return m_runner.run([range, format, limit, options = m_options](MetricsQuery &query) {
        const QList<CellCount> cells = RequestStats(query.database(), options, range.replica)
                                           .busiestCells(range.fromMs, range.toMs, limit);
        if (format == u"geojson")
            return HttpResponse::bytes(GeographyJson::featureCollection(cells),
                                       "application/geo+json");
        return HttpResponse::bytes(GeographyJson::cells(cells, iso(range.fromMs), iso(range.toMs)),
                                   "application/json");
    });
}

QFuture<HttpResponse> StatsApi::users(const HttpRequest &request)
{
    const StatsScope range = statsScope(request, m_clock());
    const int limit = boundedInteger(request, u"limit"_s, 100, 1, 10'000);
    const bool inMinutes = answeredInMinutes(range.fromMs, range.toMs);
    return m_runner.run([range, limit, inMinutes, options = m_options](MetricsQuery &query) {
        RequestStats stats(query.database(), options, range.replica);
        std::optional<QList<UserActivity>> users;
        if (inMinutes)
            users = stats.usersOfMinutes(range.fromMs, range.toMs, limit);
        if (!users) // whole hours from the roll-ups
            users = stats.users(range.fromMs, range.toMs, limit);
        return HttpResponse::json(StatsJson::users(*users, iso(range.fromMs), iso(range.toMs)));
    });
}

} // namespace isobar
