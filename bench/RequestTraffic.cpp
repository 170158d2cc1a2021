#include "RequestTraffic.h"

#include "ApiServer.h"
#include "weather/GridCell.h"

#include <QTemporaryDir>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar::bench {

namespace {

constexpr double kMetresPerDegree = 111'320.0;
constexpr double kCellMetres = 1000; // WeatherCache's default cell size

bool isWeatherRoute(const QString &pattern)
{
    return pattern == u"/prcpt" || pattern == u"/uvidx" || pattern.startsWith(u"/api/v1/weather/");
}

} // namespace

// The routes a running server declares: the real table, not a copy that could drift.
QList<RouteName> liveRoutes(QString *error)
{
    QTemporaryDir dir;
    ServerConfig config;
    config.databasePath = dir.filePath(u"routes.db"_s);
    config.port = 0;
    config.auth.enabled = false;
    config.captureRequests = false;
    config.accuWeatherKey = [] { return QString(); };
    ApiServer server(config);
    if (!server.start()) {
        *error = server.errorString();
        return {};
    }
    QList<RouteName> routes;
    for (const Route &route : server.router().routes())
        routes.append({route.method, route.pattern});
    return routes;
}

RequestTraffic::RequestTraffic(const QList<RouteName> &routes, const std::vector<City> &cities,
                               int subjects, quint64 seed)
    : m_random(seed)
    , m_unmatched(u"(unmatched)"_s)
    , m_admin(u"ops-admin"_s)
{
    for (const RouteName &route : routes)
        (isWeatherRoute(route.pattern) ? m_weather : m_other).append(route);
    // Watches mostly ask for /prcpt (what the original service answered), then the UV index.
    std::vector<double> weights;
    for (const RouteName &route : m_weather)
        weights.push_back(route.pattern == u"/prcpt" ? 5 : route.pattern == u"/uvidx" ? 2 : 1);
    m_weatherPick = std::discrete_distribution<int>(weights.begin(), weights.end());
    const std::vector<double> population = populations(cities);
    std::discrete_distribution<int> pickCity(population.begin(), population.end());
    std::normal_distribution<double> offset(0.0, 3000.0);
    for (int i = 0; i < subjects; ++i) {
        Watch watch;
        watch.city = cities[size_t(pickCity(m_random))];
        watch.latitude = watch.city.latitude + offset(m_random) / kMetresPerDegree;
        watch.longitude =
            watch.city.longitude
            + offset(m_random) / (kMetresPerDegree * std::cos(watch.city.latitude * M_PI / 180));
        watch.subject = u"watch-%1"_s.arg(i, 5, 10, QChar(u'0'));
        watch.client = u"10.%1.%2.%3"_s.arg((i >> 16) & 255).arg((i >> 8) & 255).arg(i & 255);
        m_watches.push_back(watch);
    }
    for (int i = 0; i < 256; ++i)
        m_publicClients.append(u"192.0.2.%1"_s.arg(i));
}

RequestEvent RequestTraffic::next(qint64 timeMs)
{
    RequestEvent event;
    event.timeMs = timeMs;
    const double kind = m_unit(m_random);
    const double outcome = m_unit(m_random);
    if (kind < 0.01) {
        // Scanners and typos: no route matched.
        event.method = "GET";
        event.route = m_unmatched;
        event.status = 404;
        event.durationUs = lognormal(150, 0.5);
        event.responseBytes = 180;
        event.client = m_publicClients[m_random() % m_publicClients.size()];
    } else if (kind < 0.81) {
        const RouteName &route = m_weather[m_weatherPick(m_random)];
        const Watch &watch = m_watches[m_random() % m_watches.size()];
        event.method = route.method;
        event.route = route.pattern;
        event.client = watch.client;
        event.status = weatherStatus(outcome);
        if (event.status == 401) {
            event.durationUs = lognormal(120, 0.4);
            event.responseBytes = 160;
            return event; // no token, no subject, no position read
        }
        event.subject = watch.subject;
        if (event.status == 400) {
            event.durationUs = lognormal(150, 0.4);
            event.responseBytes = 220;
            return event;
        }
        event.cell = cellOf(watch);
        if (event.status >= 500 || event.status == 429) {
            event.cacheOutcome = "miss";
            event.durationUs = lognormal(event.status == 429 ? 150 : 300'000, 0.6);
            event.responseBytes = 200;
        } else {
            const double cache = m_unit(m_random);
            event.cacheOutcome = cache < 0.90 ? "hit" : cache < 0.98 ? "miss" : "stale";
            event.durationUs =
                event.cacheOutcome == "miss" ? lognormal(120'000, 0.7) : lognormal(400, 0.6);
            event.responseBytes = route.pattern.contains(u"forecast") ? 2400 : 140;
        }
    } else {
        // The metrics API, health, OpenAPI, stats: public callers, a few admins.
        const RouteName &route = m_other[m_random() % m_other.size()];
        event.method = route.method;
        event.route = route.pattern;
        const bool admin = route.pattern.startsWith(u"/api/v1/stats")
                           || route.pattern == u"/metrics" || route.method == "PUT";
        if (admin)
            event.subject = m_admin;
        event.client = m_publicClients[m_random() % m_publicClients.size()];
        event.status = outcome < 0.95 ? 200 : outcome < 0.985 ? 400 : outcome < 0.995 ? 404 : 503;
        event.durationUs = lognormal(event.status == 200 ? 2500 : 300, 1.0);
        event.responseBytes = event.status == 200 ? 6000 : 250;
    }
    return event;
}

int RequestTraffic::weatherStatus(double u)
{
    if (u < 0.945)
        return 200;
    if (u < 0.96)
        return 400;
    if (u < 0.975)
        return 401;
    if (u < 0.99)
        return 429;
    return u < 0.995 ? 502 : 503;
}

qint64 RequestTraffic::lognormal(double medianUs, double sigma)
{
    return std::max<qint64>(1, qint64(medianUs * std::exp(sigma * m_normal(m_random))));
}

CellBounds RequestTraffic::cellOf(const Watch &watch)
{
    const bool home = m_unit(m_random) < 0.75;
    const double sigma = home ? 100 : 3000;
    const double originLat = home ? watch.latitude : watch.city.latitude;
    const double originLon = home ? watch.longitude : watch.city.longitude;
    const double lat =
        std::clamp(originLat + sigma * m_normal(m_random) / kMetresPerDegree, -89.9, 89.9);
    double lon =
        originLon
        + sigma * m_normal(m_random) / (kMetresPerDegree * std::cos(originLat * M_PI / 180));
    lon = std::remainder(lon, 360.0);
    const GridCell cell = GridCell::locate(lat, lon, kCellMetres);
    const double width =
        cell.east >= cell.west ? cell.east - cell.west : cell.east - cell.west + 360;
    return CellBounds{cell.centreLatitude, cell.centreLongitude, (cell.north - cell.south) / 2,
                      width / 2};
}

} // namespace isobar::bench
