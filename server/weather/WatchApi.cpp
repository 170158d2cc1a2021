#include "WatchApi.h"

#include "LengthUnits.h"
#include "http/ApiError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <cmath>

namespace isobar {

namespace {

// The value of a finite number parameter within [minimum, maximum], or why not.
std::optional<double> coordinate(const QUrlQuery &query, const QString &name, double minimum,
                                 double maximum, QString *problem)
{
    const QString text = query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
    if (text.isEmpty()) {
        *problem = QStringLiteral("field required");
        return std::nullopt;
    }
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        *problem = QStringLiteral("value is not a valid number");
        return std::nullopt;
    }
    if (value < minimum || value > maximum) {
        *problem =
            QStringLiteral("ensure this value is between %1 and %2").arg(minimum).arg(maximum);
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
        return QStringLiteral("the weather service did not answer in time");
    case UpstreamError::Kind::QuotaExceeded:
    case UpstreamError::Kind::BudgetSpent:
        return QStringLiteral("weather temporarily unavailable: upstream quota reached");
    case UpstreamError::Kind::QueueFull:
        return QStringLiteral("weather temporarily unavailable: too many requests");
    default:
        return QStringLiteral("the weather service failed");
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
            ? HttpResponse::json(QJsonObject{{u"message"_qs, messageFor(answer.error)}}, status)
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
    return QJsonObject{{u"name"_qs, location.name},
                       {u"country"_qs, location.country},
                       {u"time_zone"_qs, location.timeZone}};
}

// A query's position, units and language for the /api/v1 routes (problem+json on error).
WeatherQuery v1Query(const QUrlQuery &query, WeatherProduct product)
{
    WeatherQuery q;
    q.product = product;
    QString problem;
    const auto lat = coordinate(query, u"lat"_qs, -90, 90, &problem);
    if (!lat)
        throw ApiError{400, u"lat: "_qs + problem, u"lat"_qs};
    const auto lon = coordinate(query, u"lon"_qs, -180, 180, &problem);
    if (!lon)
        throw ApiError{400, u"lon: "_qs + problem, u"lon"_qs};
    q.latitude = *lat;
    q.longitude = *lon;
    const QString units = query.queryItemValue(u"units"_qs).trimmed().toLower();
    if (!units.isEmpty() && units != u"metric" && units != u"imperial")
        throw ApiError{400, QStringLiteral("units must be metric or imperial, got '%1'").arg(units),
                       u"units"_qs};
    q.metric = units != u"imperial";
    static const QRegularExpression languageShape(QStringLiteral("^[a-z]{2,3}(-[a-z]{2,4})?$"));
    q.language = query.queryItemValue(u"lang"_qs).trimmed().toLower();
    if (!q.language.isEmpty() && !languageShape.match(q.language).hasMatch())
        throw ApiError{
            400, QStringLiteral("lang must look like 'en' or 'en-gb', got '%1'").arg(q.language),
            u"lang"_qs};
    return q;
}

} // namespace

WatchApi::WatchApi(WeatherCache &cache)
    : m_cache(cache)
{}

void WatchApi::registerRoutes(Router &router)
{
    router.add(
        "GET", u"/"_qs, u"Service name and version (Meteo French API compatible)"_qs,
        [](const HttpRequest &, const RouteParams &) {
            return readyResponse(HttpResponse::json(QJsonObject{
                {u"name"_qs, u"isobar"_qs}, {u"version"_qs, QStringLiteral(ISOBAR_VERSION)}}));
        });
    router.add(
        "GET", u"/prcpt"_qs, u"Visibility and past-hour precipitation in metres at a position"_qs,
        [this](const HttpRequest &r, const RouteParams &) { return compatibility(r, false); });
    router.add(
        "GET", u"/uvidx"_qs, u"UV index at a position"_qs,
        [this](const HttpRequest &r, const RouteParams &) { return compatibility(r, true); });
    router.add("GET", u"/api/v1/weather/current"_qs,
               u"Current weather at a position, compact for watches"_qs,
               [this](const HttpRequest &r, const RouteParams &) { return current(r); });
    router.add("GET", u"/api/v1/weather/forecast/daily"_qs,
               u"Daily forecast (1-5 days) at a position"_qs,
               [this](const HttpRequest &r, const RouteParams &) {
                   return forecast(r, WeatherProduct::Daily);
               });
    router.add("GET", u"/api/v1/weather/forecast/hourly"_qs,
               u"Hourly forecast (1-12 hours) at a position"_qs,
               [this](const HttpRequest &r, const RouteParams &) {
                   return forecast(r, WeatherProduct::Hourly);
               });
}

QFuture<HttpResponse> WatchApi::compatibility(const HttpRequest &request, bool uvIndex)
{
    QJsonObject invalid;
    QString problem;
    const auto lat = coordinate(request.query, u"lt"_qs, -90, 90, &problem);
    if (!lat)
        invalid.insert(u"lt"_qs, QJsonArray{problem});
    const auto lon = coordinate(request.query, u"lg"_qs, -180, 180, &problem);
    if (!lon)
        invalid.insert(u"lg"_qs, QJsonArray{problem});
    if (!invalid.isEmpty())
        return readyResponse(
            HttpResponse::json(QJsonObject{{u"message"_qs, u"Invalid query parameters"_qs},
                                           {u"detail"_qs, QJsonObject{{u"query"_qs, invalid}}}},
                               400));

    WeatherQuery query;
    query.latitude = *lat;
    query.longitude = *lon;
    return m_cache.lookup(query).then(
        [request, uvIndex, observer = m_observer](const WeatherAnswer &answer) {
            if (observer)
                observer(request, answer);
            if (!answer.ok)
                return upstreamFailure(answer, true);
            const QJsonObject observation = answer.document.object();
            QJsonObject body;
            if (uvIndex) {
                const QJsonValue uv = observation.value(u"UVIndex");
                if (!uv.isDouble())
                    return unexpectedUpstreamAnswer();
                body.insert(u"uvidx"_qs, uv.toInt());
            } else {
                const QJsonObject visibility = measure(observation, "Visibility", "Metric");
                QJsonObject precipitation = measure(observation, "Precip1hr", "Metric");
                if (precipitation.isEmpty())
                    precipitation = observation.value(u"PrecipitationSummary")
                                        .toObject()
                                        .value(u"PastHour")
                                        .toObject()
                                        .value(u"Metric")
                                        .toObject();
                const auto vis = toMetres(visibility.value(u"Value").toDouble(NAN),
                                          visibility.value(u"Unit").toString());
                const auto prcpt = toMetres(precipitation.value(u"Value").toDouble(NAN),
                                            precipitation.value(u"Unit").toString());
                if (!vis || !prcpt)
                    return unexpectedUpstreamAnswer();
                body.insert(u"vis"_qs, *vis);
                body.insert(u"prcpt"_qs, *prcpt);
            }
            HttpResponse response = HttpResponse::json(body);
            addCacheHeaders(response, answer);
            return response;
        });
}

QFuture<HttpResponse> WatchApi::current(const HttpRequest &request)
{
    const WeatherQuery query = v1Query(request.query, WeatherProduct::Current);
    const char *system = query.metric ? "Metric" : "Imperial";
    return m_cache.lookup(query).then([request, system,
                                       observer = m_observer](const WeatherAnswer &answer) {
        if (observer)
            observer(request, answer);
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
            {u"location"_qs, locationJson(answer.location)},
            {u"observed_at"_qs, o.value(u"LocalObservationDateTime")},
            {u"text"_qs, o.value(u"WeatherText")},
            {u"icon"_qs, o.value(u"WeatherIcon")},
            {u"is_day"_qs, o.value(u"IsDayTime")},
            {u"temperature"_qs, value("Temperature")},
            {u"feels_like"_qs, value("RealFeelTemperature")},
            {u"humidity"_qs, o.value(u"RelativeHumidity")},
            {u"wind"_qs, QJsonObject{{u"speed"_qs, windSpeed.value(u"Value")},
                                     {u"direction_degrees"_qs, direction.value(u"Degrees")},
                                     {u"direction"_qs, direction.value(u"English")}}},
            {u"uv_index"_qs, o.value(u"UVIndex")},
            {u"uv_text"_qs, o.value(u"UVIndexText")},
            {u"visibility"_qs, value("Visibility")},
            {u"precipitation_1h"_qs, value("Precip1hr")},
            {u"units"_qs, QJsonObject{{u"system"_qs, QString::fromLatin1(system).toLower()},
                                      {u"temperature"_qs, unit("Temperature")},
                                      {u"speed"_qs, windSpeed.value(u"Unit")},
                                      {u"distance"_qs, unit("Visibility")},
                                      {u"precipitation"_qs, unit("Precip1hr")}}},
        });
        addCacheHeaders(response, answer);
        return response;
    });
}

QFuture<HttpResponse> WatchApi::forecast(const HttpRequest &request, WeatherProduct product)
{
    WeatherQuery query = v1Query(request.query, product);
    const bool daily = product == WeatherProduct::Daily;
    const QString countName = daily ? u"days"_qs : u"hours"_qs;
    const int maximum = daily ? 5 : 12;
    int count = maximum;
    const QString countText = request.query.queryItemValue(countName).trimmed();
    if (!countText.isEmpty()) {
        bool ok = false;
        count = countText.toInt(&ok);
        if (!ok || count < 1 || count > maximum)
            throw ApiError{400,
                           QStringLiteral("%1 must be a whole number from 1 to %2")
                               .arg(countName)
                               .arg(maximum),
                           countName};
    }
    const bool metric = query.metric;
    return m_cache.lookup(query).then([request, daily, count, metric,
                                       observer = m_observer](const WeatherAnswer &answer) {
        if (observer)
            observer(request, answer);
        if (!answer.ok)
            return upstreamFailure(answer, false);
        QJsonArray items;
        QJsonObject units{{u"system"_qs, metric ? u"metric"_qs : u"imperial"_qs}};
        if (daily) {
            const QJsonObject document = answer.document.object();
            const QJsonArray days = document.value(u"DailyForecasts").toArray();
            for (int i = 0; i < days.size() && i < count; ++i) {
                const QJsonObject day = days[i].toObject();
                const QJsonObject temperature = day.value(u"Temperature").toObject();
                units.insert(u"temperature"_qs,
                             temperature.value(u"Maximum").toObject().value(u"Unit"));
                auto half = [&](const char *part) {
                    const QJsonObject p = day.value(QLatin1String(part)).toObject();
                    return QJsonObject{
                        {u"text"_qs, p.value(u"IconPhrase")},
                        {u"icon"_qs, p.value(u"Icon")},
                        {u"precipitation_probability"_qs, p.value(u"PrecipitationProbability")}};
                };
                QJsonValue uv;
                for (const QJsonValue &entry : day.value(u"AirAndPollen").toArray()) {
                    if (entry.toObject().value(u"Name").toString() == u"UVIndex")
                        uv = entry.toObject().value(u"Value");
                }
                items.append(QJsonObject{
                    {u"date"_qs, day.value(u"Date").toString().left(10)},
                    {u"minimum"_qs, temperature.value(u"Minimum").toObject().value(u"Value")},
                    {u"maximum"_qs, temperature.value(u"Maximum").toObject().value(u"Value")},
                    {u"day"_qs, half("Day")},
                    {u"night"_qs, half("Night")},
                    {u"uv_index"_qs, uv},
                });
            }
        } else {
            const QJsonArray hours = answer.document.array();
            for (int i = 0; i < hours.size() && i < count; ++i) {
                const QJsonObject hour = hours[i].toObject();
                const QJsonObject speed = hour.value(u"Wind").toObject().value(u"Speed").toObject();
                units.insert(u"temperature"_qs,
                             hour.value(u"Temperature").toObject().value(u"Unit"));
                units.insert(u"speed"_qs, speed.value(u"Unit"));
                items.append(QJsonObject{
                    {u"time"_qs, hour.value(u"DateTime")},
                    {u"text"_qs, hour.value(u"IconPhrase")},
                    {u"icon"_qs, hour.value(u"WeatherIcon")},
                    {u"temperature"_qs, hour.value(u"Temperature").toObject().value(u"Value")},
                    {u"feels_like"_qs,
                     hour.value(u"RealFeelTemperature").toObject().value(u"Value")},
                    {u"precipitation_probability"_qs, hour.value(u"PrecipitationProbability")},
                    {u"wind_speed"_qs, speed.value(u"Value")},
                    {u"uv_index"_qs, hour.value(u"UVIndex")},
                });
            }
        }
        HttpResponse response = HttpResponse::json(QJsonObject{
            {u"location"_qs, locationJson(answer.location)},
            {u"units"_qs, units},
            {daily ? u"days"_qs : u"hours"_qs, items},
        });
        addCacheHeaders(response, answer);
        return response;
    });
}

} // namespace isobar
