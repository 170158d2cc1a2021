#include "WatchApi.h"

#include "LengthUnits.h"
#include "http/ApiError.h"
#include "http/JsonBytes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The value of a finite number parameter within [minimum, maximum], or why not.
std::optional<double> coordinate(const QUrlQuery &query, const QString &name, double minimum,
                                 double maximum, QString *problem)
{
    const QString text = query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
    if (text.isEmpty()) {
        *problem = u"field required"_s;
        return std::nullopt;
    }
    // Through Latin-1: QByteArray reads a C-locale number as QString does (anything outside
    // Latin-1 is no digit in either), in a seventh of the time, and this runs per watch request.
    bool ok = false;
    const double value = text.toLatin1().toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        *problem = u"value is not a valid number"_s;
        return std::nullopt;
    }
    if (value < minimum || value > maximum) {
        *problem = u"ensure this value is between %1 and %2"_s.arg(minimum).arg(maximum);
        return std::nullopt;
    }
    return value;
}

// Statuses and bodies for upstream trouble: the watch learns what, never internals.
int statusFor(const UpstreamError &error)
{
    switch (error.kind) {
    case UpstreamError::Kind::Timeout:
        return 504;
    case UpstreamError::Kind::QuotaExceeded:
    case UpstreamError::Kind::BudgetSpent:
    case UpstreamError::Kind::QueueFull:
        return 503;
    default:
        return 502;
    }
}

QString messageFor(const UpstreamError &error)
{
    switch (error.kind) {
    case UpstreamError::Kind::Timeout:
        return u"the weather service did not answer in time"_s;
    case UpstreamError::Kind::QuotaExceeded:
    case UpstreamError::Kind::BudgetSpent:
        return u"weather temporarily unavailable: upstream quota reached"_s;
    case UpstreamError::Kind::QueueFull:
        return u"weather temporarily unavailable: too many requests"_s;
    default:
        return u"the weather service failed"_s;
    }
}

// Tells monitoring which cache cell the request fell in (never the position itself).
void noteCell(HttpResponse &response, const WeatherAnswer &answer)
{
    const GridCell &cell = answer.cell;
    if (cell.north <= cell.south)
        return; // no cell: the request never got that far
    ExchangeNotes &notes = response.notes;
    notes.hasCell = true;
    notes.cellLatitude = cell.centreLatitude;
    notes.cellLongitude = cell.centreLongitude;
    notes.cellHalfLatitude = (cell.north - cell.south) / 2;
    // A cell across the antimeridian has west > east: its width wraps through 180.
    notes.cellHalfLongitude =
        (cell.east >= cell.west ? cell.east - cell.west : cell.east - cell.west + 360) / 2;
}

HttpResponse upstreamFailure(const WeatherAnswer &answer, bool compatibilityShape)
{
    const int status = statusFor(answer.error);
    HttpResponse response =
        compatibilityShape
            ? HttpResponse::json(QJsonObject{{u"message"_s, messageFor(answer.error)}}, status)
            : HttpResponse::problem(status, messageFor(answer.error));
    noteCell(response, answer);
    if (answer.retryAfterSeconds > 0)
        response.setHeader("Retry-After", QByteArray::number(answer.retryAfterSeconds));
    response.setHeader("Cache-Control", "no-store");
    return response;
}

HttpResponse unexpectedUpstreamAnswer()
{
    WeatherAnswer answer;
    answer.error = UpstreamError{UpstreamError::Kind::BadResponse, {}};
    return upstreamFailure(answer, true);
}

void addCacheHeaders(HttpResponse &response, const WeatherAnswer &answer)
{
    response.setHeader("Cache-Control",
                       "public, max-age=" + QByteArray::number(answer.freshSeconds));
    response.setHeader("Age", QByteArray::number(answer.ageSeconds));
    response.setHeader("X-Isobar-Cache", answer.outcome == CacheOutcome::Hit    ? "hit"
                                         : answer.outcome == CacheOutcome::Miss ? "miss"
                                                                                : "stale");
    noteCell(response, answer);
    response.notes.cacheOutcome = answer.outcome == CacheOutcome::Hit    ? "hit"
                                  : answer.outcome == CacheOutcome::Miss ? "miss"
                                                                         : "stale";
    if (answer.outcome == CacheOutcome::Stale)
        response.setHeader("Warning", answer.revalidationFailed ? "111 - \"Revalidation Failed\""
                                                                : "110 - \"Response is Stale\"");
}

QJsonObject measure(const QJsonObject &observation, const char *field, const char *system)
{
    return observation.value(QLatin1String(field))
        .toObject()
        .value(QLatin1String(system))
        .toObject();
}

QJsonObject locationJson(const WeatherLocation &location)
{
    return QJsonObject{{u"name"_s, location.name},
                       {u"country"_s, location.country},
                       {u"time_zone"_s, location.timeZone}};
}

// A query's position, units and language for the /api/v1 routes (problem+json on error).
WeatherQuery v1Query(const QUrlQuery &query, WeatherProduct product)
{
    WeatherQuery q;
    q.product = product;
    QString problem;
    const auto lat = coordinate(query, u"lat"_s, -90, 90, &problem);
    if (!lat)
        throw ApiError{400, u"lat: "_s + problem, u"lat"_s};
    const auto lon = coordinate(query, u"lon"_s, -180, 180, &problem);
    if (!lon)
        throw ApiError{400, u"lon: "_s + problem, u"lon"_s};
    q.latitude = *lat;
    q.longitude = *lon;
    const QString units = query.queryItemValue(u"units"_s).trimmed().toLower();
    if (!units.isEmpty() && units != u"metric" && units != u"imperial")
        throw ApiError{400, u"units must be metric or imperial, got '%1'"_s.arg(units), u"units"_s};
    q.metric = units != u"imperial";
    static const QRegularExpression languageShape(u"^[a-z]{2,3}(-[a-z]{2,4})?$"_s);
    q.language = query.queryItemValue(u"lang"_s).trimmed().toLower();
    if (!q.language.isEmpty() && !languageShape.match(q.language).hasMatch())
        throw ApiError{400, u"lang must look like 'en' or 'en-gb', got '%1'"_s.arg(q.language),
                       u"lang"_s};
    return q;
}

// A compatibility route's body from an observation, written as QJsonDocument writes these
// objects (keys sorted); empty when the observation lacks what it needs.
QByteArray compatibilityBodyOf(const QJsonObject &observation, bool uvIndex)
{
    if (uvIndex) {
        const QJsonValue uv = observation.value(u"UVIndex");
        if (!uv.isDouble())
            return {};
        return "{\"uvidx\":" + QByteArray::number(uv.toInt()) + '}';
    }
    const QJsonObject visibility = measure(observation, "Visibility", "Metric");
    QJsonObject precipitation = measure(observation, "Precip1hr", "Metric");
    if (precipitation.isEmpty())
        precipitation = observation.value(u"PrecipitationSummary")
                            .toObject()
                            .value(u"PastHour")
                            .toObject()
                            .value(u"Metric")
                            .toObject();
    const auto vis =
        toMetres(visibility.value(u"Value").toDouble(NAN), visibility.value(u"Unit").toString());
    const auto prcpt = toMetres(precipitation.value(u"Value").toDouble(NAN),
                                precipitation.value(u"Unit").toString());
    if (!vis || !prcpt)
        return {};
    QByteArray body = "{\"prcpt\":";
    JsonBytes::appendNumber(body, *prcpt);
    body += ",\"vis\":";
    JsonBytes::appendNumber(body, *vis);
    body += '}';
    return body;
}

} // namespace

// The bodies by location key, each made once per document version; at most as many as the
// cache has entries.
class WatchApi::CompatibilityBodies
{
public:
    explicit CompatibilityBodies(qsizetype maxEntries)
        : m_maxEntries(maxEntries)
    {}

    // The body of /prcpt or /uvidx for an answer (empty when the document lacks what it needs).
    QByteArray of(const WeatherAnswer &answer, bool uvIndex)
    {
        Made &made = m_made[answer.location.key];
        if (made.fetchedAtMs != answer.fetchedAtMs)
            made = Made{answer.fetchedAtMs, {}, {}};
        QByteArray &kept = uvIndex ? made.uvIndex : made.precipitation;
        if (kept.isEmpty())
            kept = compatibilityBodyOf(answer.document.object(), uvIndex);
        QByteArray body = kept; // shared, not copied; `kept` goes with a clear()
        if (m_made.size() > m_maxEntries)
            m_made.clear(); // made again as watches ask: a bound, not a policy
        return body;
    }

private:
    struct Made {
        qint64 fetchedAtMs = 0; // the document's version
        QByteArray precipitation;
        QByteArray uvIndex;
    };
    QHash<QString, Made> m_made;
    qsizetype m_maxEntries;
};

WatchApi::WatchApi(WeatherCache &cache, bool serveRoot)
    : m_cache(cache)
    , m_serveRoot(serveRoot)
    , m_compatibilityBodies(std::make_shared<CompatibilityBodies>(cache.options().maxEntries))
{}

void WatchApi::registerRoutes(Router &router)
{
    if (m_serveRoot)
        router.add(
            "GET", u"/"_s, u"Service name and version (Meteo French API compatible)"_s,
            [](const HttpRequest &, const RouteParams &) {
                return readyResponse(HttpResponse::json(QJsonObject{
                    {u"name"_s, u"isobar"_s}, {u"version"_s, QString::fromUtf8(ISOBAR_VERSION)}}));
            });
    router.add(
        "GET", u"/prcpt"_s, u"Visibility and past-hour precipitation in metres at a position"_s,
        [this](const HttpRequest &r, const RouteParams &) { return compatibility(r, false); });
    router.add(
        "GET", u"/uvidx"_s, u"UV index at a position"_s,
        [this](const HttpRequest &r, const RouteParams &) { return compatibility(r, true); });
    router.add("GET", u"/api/v1/weather/current"_s,
               u"Current weather at a position, compact for watches"_s,
               [this](const HttpRequest &r, const RouteParams &) { return current(r); });
    router.add("GET", u"/api/v1/weather/forecast/daily"_s,
               u"Daily forecast (1-5 days) at a position"_s,
               [this](const HttpRequest &r, const RouteParams &) {
                   return forecast(r, WeatherProduct::Daily);
               });
    router.add("GET", u"/api/v1/weather/forecast/hourly"_s,
               u"Hourly forecast (1-12 hours) at a position"_s,
               [this](const HttpRequest &r, const RouteParams &) {
                   return forecast(r, WeatherProduct::Hourly);
               });
}

Eventual<HttpResponse> WatchApi::compatibility(const HttpRequest &request, bool uvIndex)
{
    QJsonObject invalid;
    QString problem;
    const auto lat = coordinate(request.query, u"lt"_s, -90, 90, &problem);
    if (!lat)
        invalid.insert(u"lt"_s, QJsonArray{problem});
    const auto lon = coordinate(request.query, u"lg"_s, -180, 180, &problem);
    if (!lon)
        invalid.insert(u"lg"_s, QJsonArray{problem});
    if (!invalid.isEmpty())
        return HttpResponse::json(QJsonObject{{u"message"_s, u"Invalid query parameters"_s},
                                              {u"detail"_s, QJsonObject{{u"query"_s, invalid}}}},
                                  400);

    WeatherQuery query;
    query.latitude = *lat;
    query.longitude = *lon;
    return m_cache.lookup(query).then(
        [bodies = m_compatibilityBodies, uvIndex](const WeatherAnswer &answer) {
            if (!answer.ok)
                return upstreamFailure(answer, true);
            QByteArray body = bodies->of(answer, uvIndex);
            if (body.isEmpty())
                return unexpectedUpstreamAnswer();
            HttpResponse response = HttpResponse::bytes(std::move(body), "application/json");
            addCacheHeaders(response, answer);
            return response;
        });
}

Eventual<HttpResponse> WatchApi::current(const HttpRequest &request)
{
    const WeatherQuery query = v1Query(request.query, WeatherProduct::Current);
    const char *system = query.metric ? "Metric" : "Imperial";
    return m_cache.lookup(query).then([system](const WeatherAnswer &answer) {
        if (!answer.ok)
            return upstreamFailure(answer, false);
        const QJsonObject o = answer.document.object();
        auto value = [&](const char *field) { return measure(o, field, system).value(u"Value"); };
        auto unit = [&](const char *field) { return measure(o, field, system).value(u"Unit"); };
        const QJsonObject wind = o.value(u"Wind").toObject();
        const QJsonObject windSpeed =
            wind.value(u"Speed").toObject().value(QLatin1String(system)).toObject();
        const QJsonObject direction = wind.value(u"Direction").toObject();
        HttpResponse response = HttpResponse::json(QJsonObject{
            {u"location"_s, locationJson(answer.location)},
            {u"observed_at"_s, o.value(u"LocalObservationDateTime")},
            {u"text"_s, o.value(u"WeatherText")},
            {u"icon"_s, o.value(u"WeatherIcon")},
            {u"is_day"_s, o.value(u"IsDayTime")},
            {u"temperature"_s, value("Temperature")},
            {u"feels_like"_s, value("RealFeelTemperature")},
            {u"humidity"_s, o.value(u"RelativeHumidity")},
            {u"wind"_s, QJsonObject{{u"speed"_s, windSpeed.value(u"Value")},
                                    {u"direction_degrees"_s, direction.value(u"Degrees")},
                                    {u"direction"_s, direction.value(u"English")}}},
            {u"uv_index"_s, o.value(u"UVIndex")},
            {u"uv_text"_s, o.value(u"UVIndexText")},
            {u"visibility"_s, value("Visibility")},
            {u"precipitation_1h"_s, value("Precip1hr")},
            {u"units"_s, QJsonObject{{u"system"_s, QString::fromLatin1(system).toLower()},
                                     {u"temperature"_s, unit("Temperature")},
                                     {u"speed"_s, windSpeed.value(u"Unit")},
                                     {u"distance"_s, unit("Visibility")},
                                     {u"precipitation"_s, unit("Precip1hr")}}},
        });
        addCacheHeaders(response, answer);
        return response;
    });
}

Eventual<HttpResponse> WatchApi::forecast(const HttpRequest &request, WeatherProduct product)
{
    WeatherQuery query = v1Query(request.query, product);
    const bool daily = product == WeatherProduct::Daily;
    const QString countName = daily ? u"days"_s : u"hours"_s;
    const int maximum = daily ? 5 : 12;
    int count = maximum;
    const QString countText = request.query.queryItemValue(countName).trimmed();
    if (!countText.isEmpty()) {
        bool ok = false;
        count = countText.toInt(&ok);
        if (!ok || count < 1 || count > maximum)
            throw ApiError{400,
                           u"%1 must be a whole number from 1 to %2"_s.arg(countName).arg(maximum),
                           countName};
    }
    const bool metric = query.metric;
    return m_cache.lookup(query).then([daily, count, metric](const WeatherAnswer &answer) {
        if (!answer.ok)
            return upstreamFailure(answer, false);
        QJsonArray items;
        QJsonObject units{{u"system"_s, metric ? u"metric"_s : u"imperial"_s}};
        if (daily) {
            const QJsonObject document = answer.document.object();
            const QJsonArray days = document.value(u"DailyForecasts").toArray();
            for (int i = 0; i < days.size() && i < count; ++i) {
                const QJsonObject day = days[i].toObject();
                const QJsonObject temperature = day.value(u"Temperature").toObject();
                units.insert(u"temperature"_s,
                             temperature.value(u"Maximum").toObject().value(u"Unit"));
                auto half = [&](const char *part) {
                    const QJsonObject p = day.value(QLatin1String(part)).toObject();
                    return QJsonObject{
                        {u"text"_s, p.value(u"IconPhrase")},
                        {u"icon"_s, p.value(u"Icon")},
                        {u"precipitation_probability"_s, p.value(u"PrecipitationProbability")}};
                };
                QJsonValue uv;
                for (const auto &entry : day.value(u"AirAndPollen").toArray()) {
                    if (entry.toObject().value(u"Name").toString() == u"UVIndex")
                        uv = entry.toObject().value(u"Value");
                }
                items.append(QJsonObject{
                    {u"date"_s, day.value(u"Date").toString().left(10)},
                    {u"minimum"_s, temperature.value(u"Minimum").toObject().value(u"Value")},
                    {u"maximum"_s, temperature.value(u"Maximum").toObject().value(u"Value")},
                    {u"day"_s, half("Day")},
                    {u"night"_s, half("Night")},
                    {u"uv_index"_s, uv},
                });
            }
        } else {
            const QJsonArray hours = answer.document.array();
            for (int i = 0; i < hours.size() && i < count; ++i) {
                const QJsonObject hour = hours[i].toObject();
                const QJsonObject speed = hour.value(u"Wind").toObject().value(u"Speed").toObject();
                units.insert(u"temperature"_s,
                             hour.value(u"Temperature").toObject().value(u"Unit"));
                units.insert(u"speed"_s, speed.value(u"Unit"));
                items.append(QJsonObject{
                    {u"time"_s, hour.value(u"DateTime")},
                    {u"text"_s, hour.value(u"IconPhrase")},
                    {u"icon"_s, hour.value(u"WeatherIcon")},
                    {u"temperature"_s, hour.value(u"Temperature").toObject().value(u"Value")},
                    {u"feels_like"_s,
                     hour.value(u"RealFeelTemperature").toObject().value(u"Value")},
                    {u"precipitation_probability"_s, hour.value(u"PrecipitationProbability")},
                    {u"wind_speed"_s, speed.value(u"Value")},
                    {u"uv_index"_s, hour.value(u"UVIndex")},
                });
            }
        }
        HttpResponse response = HttpResponse::json(QJsonObject{
            {u"location"_s, locationJson(answer.location)},
            {u"units"_s, units},
            {daily ? u"days"_s : u"hours"_s, items},
        });
        addCacheHeaders(response, answer);
        return response;
    });
}

} // namespace isobar
