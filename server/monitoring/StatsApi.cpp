#include "StatsApi.h"

#include "GeographyJson.h"
#include "MetricsQuery.h"
#include "api/QueryRunner.h"
#include "http/ApiError.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

namespace isobar {

namespace {

constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr qint64 kMaxRangeMs = 400 * kDayMs;

struct TimeRange {
    qint64 fromMs;
    qint64 toMs;
};

QString parameter(const HttpRequest &request, const QString &name)
{
    return request.query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
}

// from/to, checked up front: a bad range is the caller's 400, never a query.
TimeRange timeRange(const HttpRequest &request, qint64 nowMs)
{
    const QString to = parameter(request, QStringLiteral("to"));
    const QString from = parameter(request, QStringLiteral("from"));
    TimeRange range{0, nowMs};
    if (!to.isEmpty()) {
        const auto parsed = StatsApi::parseTime(to, nowMs);
        if (!parsed)
            throw ApiError(
                400,
                QStringLiteral(
                    "'%1' is not a time: use now, now-1h, 2026-11-25 or 2026-11-25T10:00:00Z")
                    .arg(to),
                QStringLiteral("to"));
        range.toMs = *parsed;
    }
    range.fromMs = range.toMs - kDayMs;
    if (!from.isEmpty()) {
        const auto parsed = StatsApi::parseTime(from, nowMs);
        if (!parsed)
            throw ApiError(
                400,
                QStringLiteral(
                    "'%1' is not a time: use now-15m, now-7d, 2026-11-25 or 2026-11-25T10:00:00Z")
                    .arg(from),
                QStringLiteral("from"));
        range.fromMs = *parsed;
    }
    if (range.fromMs >= range.toMs)
        throw ApiError(400, QStringLiteral("to must be after from"), QStringLiteral("to"));
    if (range.toMs - range.fromMs > kMaxRangeMs)
        throw ApiError(400, QStringLiteral("the range may span at most 400 days"),
                       QStringLiteral("from"));
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
        throw ApiError(400,
                       QStringLiteral("%1 must be a whole number from %2 to %3")
                           .arg(name)
                           .arg(minimum)
                           .arg(maximum),
                       name);
    return value;
}

QString choice(const HttpRequest &request, const QString &name, const QStringList &allowed)
{
    const QString value = parameter(request, name);
    if (value.isEmpty())
        return allowed.constFirst();
    if (!allowed.contains(value))
        throw ApiError(400, QStringLiteral("%1 must be one of: %2").arg(name, allowed.join(u", ")),
                       name);
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
    static const QRegularExpression relative(QStringLiteral("^now(?:-(\\d{1,6})([smhd]))?$"));
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
        && (text.endsWith(u'Z')
            || text.contains(QRegularExpression(QStringLiteral("[+-]\\d\\d:?\\d\\d$")))))
        return time.toMSecsSinceEpoch();
    return std::nullopt; // a time without a zone is ambiguous: refuse rather than guess
}

void StatsApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/api/v1/stats/summary"),
               QStringLiteral("Requests, status ratios, no-go flag and latency per endpoint"),
               [this](const HttpRequest &r, const RouteParams &) { return summary(r); });
    router.add("GET", QStringLiteral("/api/v1/stats/timeline"),
               QStringLiteral("Requests by status class and latency percentiles per hour or day"),
               [this](const HttpRequest &r, const RouteParams &) { return timeline(r); });
    router.add("GET", QStringLiteral("/api/v1/stats/geography"),
               QStringLiteral("Weather requests per cache cell (JSON or GeoJSON)"),
               [this](const HttpRequest &r, const RouteParams &) { return geography(r); });
    router.add("GET", QStringLiteral("/api/v1/stats/users"),
               QStringLiteral("Requests per token subject with first/last seen and errors"),
               [this](const HttpRequest &r, const RouteParams &) { return users(r); });
}

QFuture<HttpResponse> StatsApi::summary(const HttpRequest &request)
{
    const TimeRange range = timeRange(request, m_clock());
    return m_runner.run([range, options = m_options](MetricsQuery &query) {
        return HttpResponse::json(
            RequestStats(query.database(), options).summary(range.fromMs, range.toMs));
    });
}

QFuture<HttpResponse> StatsApi::timeline(const HttpRequest &request)
{
    const TimeRange range = timeRange(request, m_clock());
    const QString bucket =
        choice(request, QStringLiteral("bucket"), {QStringLiteral("hour"), QStringLiteral("day")});
    const QString endpoint = parameter(request, QStringLiteral("endpoint"));
    return m_runner.run([range, bucket, endpoint, options = m_options](MetricsQuery &query) {
        const QJsonArray buckets =
            RequestStats(query.database(), options)
                .timeline(range.fromMs, range.toMs, bucket == u"day" ? 24 : 1, endpoint);
        QJsonObject answer{{u"from"_qs, iso(range.fromMs)},
                           {u"to"_qs, iso(range.toMs)},
                           {u"bucket"_qs, bucket},
                           {u"buckets"_qs, buckets}};
        if (!endpoint.isEmpty())
            answer.insert(u"endpoint"_qs, endpoint);
        return HttpResponse::json(answer);
    });
}

QFuture<HttpResponse> StatsApi::geography(const HttpRequest &request)
{
    const TimeRange range = timeRange(request, m_clock());
    const QString format = choice(request, QStringLiteral("format"),
                                  {QStringLiteral("json"), QStringLiteral("geojson")});
    // A month of worldwide traffic touches ~100k cells: the answer stays bounded.
    const int limit = boundedInteger(request, QStringLiteral("limit"), 10'000, 1, 100'000);
    return m_runner.run([range, format, limit, options = m_options](MetricsQuery &query) {
        const QList<CellCount> cells =
            RequestStats(query.database(), options).busiestCells(range.fromMs, range.toMs, limit);
        if (format == u"geojson")
            return HttpResponse::bytes(GeographyJson::featureCollection(cells),
                                       "application/geo+json");
        return HttpResponse::bytes(GeographyJson::cells(cells, iso(range.fromMs), iso(range.toMs)),
                                   "application/json");
    });
}

QFuture<HttpResponse> StatsApi::users(const HttpRequest &request)
{
    const TimeRange range = timeRange(request, m_clock());
    const int limit = boundedInteger(request, QStringLiteral("limit"), 100, 1, 10'000);
    return m_runner.run([range, limit, options = m_options](MetricsQuery &query) {
        const QJsonArray users =
            RequestStats(query.database(), options).users(range.fromMs, range.toMs, limit);
        return HttpResponse::json(QJsonObject{
            {u"from"_qs, iso(range.fromMs)}, {u"to"_qs, iso(range.toMs)}, {u"users"_qs, users}});
    });
}

} // namespace isobar
