// bench_weather_economy: how many AccuWeather calls a day of watch traffic costs, against the
// fewest this workload could cost with the same configuration (bench/run-weather.sh).
//
//   bench_weather_economy --cities FILE [--requests N] [--seed N] [--sigma-m M]
//                         [--hourly-share F] [--daily-share F] [--examples N]
//                         [--replicas N] [--redis-url URL]
//
// The workload: N requests spread uniformly over one simulated day (sorted by time), each at a
// city drawn in proportion to its population, offset from the centre by a normal distribution
// (sigma 3 km north and east). Most ask for current conditions (what /prcpt reads); a share ask
// for hourly or daily forecasts.
//
// The replay runs the real AccuWeatherClient and WeatherCache with their default options
// against an in-process AccuWeatherSandbox over loopback HTTP, all on an injected clock that
// jumps to each request's time. Upstream latency is taken as zero: after each request the
// event loop runs until its answer and any background refresh have landed, so a refresh is
// stored at the instant it was asked for, as the minimum below assumes.
//
// The minimum comes from the same request stream, computed without the cache: one geoposition
// call per distinct cell, and per location key (the sandbox's key function at the cell centre,
// which is what goes upstream) and product, one call per TTL window in which it was asked for,
// windows defined the way the cache refreshes: a call at t is fresh until t + TTL, the next
// request at or after that starts a new window. The TTL is the cache's, shortened by the
// sandbox's Expires where that is shorter (the hourly forecast's is not; none is).
//
// With --replicas N the requests are dealt in turn to N replicas, each with its own client and
// cache, as a load balancer would; with --redis-url too, they share a second level in Redis
// (SharedWeatherCache) as `isobar serve --redis-url` does. The minimum stays the one process's.
//
// Prints calls per 1,000 requests by endpoint, the minimum and the ratio, the cache's hit
// ratio, and the reduction against the original service's 2,000 calls per 1,000 requests.
// When a key cost more calls than its minimum, a few examples show when, to find out why.

#include "Cities.h"
#include "Durations.h"
#include "cache/RedisClient.h"
#include "cache/SharedWeatherCache.h"
#include "weather/AccuWeatherClient.h"
#include "weather/AccuWeatherSandbox.h"
#include "weather/GridCell.h"
#include "weather/SandboxWeather.h"
#include "weather/WeatherCache.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

using isobar::bench::City;
using isobar::bench::readCities;

constexpr double kMetresPerDegree = 111'320.0;
// 2024-06-03 00:00 UTC: a fixed day, so every run replays the same traffic.
constexpr qint64 kDayStartMs = 1'717'372'800'000;
const QString kSandboxKey = u"bench-weather-economy-key"_s;

struct Request {
    qint64 atMs = 0;
    double latitude = 0;
    double longitude = 0;
    WeatherProduct product = WeatherProduct::Current;
};

std::vector<Request> makeWorkload(const std::vector<City> &cities, qint64 count, quint64 seed,
                                  double sigmaMetres, double hourlyShare, double dailyShare)
{
    std::mt19937_64 random(seed);
    const std::vector<double> weights = populations(cities);
    std::discrete_distribution<int> pickCity(weights.begin(), weights.end());
    std::normal_distribution<double> offset(0.0, sigmaMetres);
    std::uniform_int_distribution<qint64> pickTime(0, kDayMs - 1);
    std::uniform_real_distribution<double> pickProduct(0.0, 1.0);
    std::vector<Request> requests(static_cast<size_t>(count));
    for (Request &request : requests) {
        const City &city = cities[size_t(pickCity(random))];
        const double north = offset(random), east = offset(random);
        request.latitude = std::clamp(city.latitude + north / kMetresPerDegree, -90.0, 90.0);
        const double cosine = std::max(std::cos(city.latitude * M_PI / 180.0), 1e-6);
        request.longitude = city.longitude + east / (kMetresPerDegree * cosine);
        if (request.longitude > 180)
            request.longitude -= 360;
        if (request.longitude < -180)
            request.longitude += 360;
        request.atMs = kDayStartMs + pickTime(random);
        const double p = pickProduct(random);
        request.product = p < hourlyShare                ? WeatherProduct::Hourly
                          : p < hourlyShare + dailyShare ? WeatherProduct::Daily
                                                         : WeatherProduct::Current;
    }
    std::sort(requests.begin(), requests.end(),
              [](const Request &a, const Request &b) { return a.atMs < b.atMs; });
    return requests;
}

enum Endpoint { Geoposition, Current, Hourly, Daily, kEndpoints };
const char *const kEndpointNames[kEndpoints] = {"geoposition", "current", "hourly", "daily"};

Endpoint endpointOf(WeatherProduct product)
{
    switch (product) {
    case WeatherProduct::Current:
        return Current;
    case WeatherProduct::Hourly:
        return Hourly;
    case WeatherProduct::Daily:
        return Daily;
    }
    return Current;
}

// What the sandbox announces in Expires for each product (AccuWeatherSandbox.cpp); the cache
// keeps the shorter of this and its own TTL.
qint64 sandboxLifetimeMs(WeatherProduct product)
{
    switch (product) {
    case WeatherProduct::Current:
        return qint64(10) * 60'000;
    case WeatherProduct::Hourly:
        return qint64(60) * 60'000;
    case WeatherProduct::Daily:
        return qint64(6) * 60 * 60'000;
    }
    return 0;
}

qint64 cacheTtlMs(const WeatherCache::Options &options, WeatherProduct product)
{
    switch (product) {
    case WeatherProduct::Current:
        return options.currentTtlSeconds * 1000;
    case WeatherProduct::Hourly:
        return options.hourlyTtlSeconds * 1000;
    case WeatherProduct::Daily:
        return options.dailyTtlSeconds * 1000;
    }
    return 0;
}

// Entry of the minimum's bookkeeping for one (product, location key).
struct Window {
    qint64 freshUntilMs = 0;
    std::vector<qint64> starts; // when each window began: the calls the minimum allows
};

struct Minimum {
    qint64 calls[kEndpoints] = {};
    qsizetype cells = 0;
    qsizetype keys = 0;
    QHash<QString, Window> windows; // "<endpoint>|<key>"
};

QString windowKey(Endpoint endpoint, const QString &locationKey)
{
    return QLatin1String(kEndpointNames[endpoint]) + u'|' + locationKey;
}

Minimum minimumFor(const std::vector<Request> &requests, const WeatherCache::Options &options)
{
    Minimum minimum;
    QHash<GridCell, QString> keyOfCell;
    QSet<QString> keys;
    for (const Request &request : requests) {
        const GridCell cell =
            GridCell::locate(request.latitude, request.longitude, options.cellSizeMetres);
        auto known = keyOfCell.find(cell);
        if (known == keyOfCell.end())
            known = keyOfCell.insert(
                cell, SandboxArea::at(cell.centreLatitude, cell.centreLongitude).key());
        keys.insert(*known);
        const Endpoint endpoint = endpointOf(request.product);
        Window &window = minimum.windows[windowKey(endpoint, *known)];
        if (request.atMs >= window.freshUntilMs) {
            const qint64 ttl =
                std::min(cacheTtlMs(options, request.product), sandboxLifetimeMs(request.product));
            window.freshUntilMs = request.atMs + ttl;
            window.starts.push_back(request.atMs);
            ++minimum.calls[endpoint];
        }
    }
    minimum.cells = keyOfCell.size();
    minimum.calls[Geoposition] = minimum.cells;
    minimum.keys = keys.size();
    return minimum;
}

// One replica of the fleet: its own upstream client and cache, and, with Redis, its own
// connection to the shared level.
struct Replica {
    std::unique_ptr<AccuWeatherClient> client;
    std::unique_ptr<RedisClient> redis;
    std::unique_ptr<SharedWeatherCache> fleet;
    std::unique_ptr<WeatherCache> cache;
};

// Every call the sandbox answered, by path, with the simulated time it came in: read from the
// sandbox's own log line, so the count is what the upstream saw, not what the client thinks.
qint64 g_now = kDayStartMs;
QHash<QString, std::vector<qint64>> g_callsByPath;
const QRegularExpression kCallLine(uR"(event=sandbox_call endpoint=(\w+) path=(\S+))"_s);
QtMessageHandler g_previousHandler = nullptr;

void recordCalls(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (qstrcmp(context.category, "isobar.sandbox") == 0) {
        const QRegularExpressionMatch match = kCallLine.match(message);
        if (match.hasMatch()) {
            const QString path = match.captured(2);
            const QString endpoint = match.captured(1);
            const QString key = endpoint == u"geoposition" ? QString() : path.section(u'/', -1);
            g_callsByPath[endpoint + u'|' + key].push_back(g_now);
            return;
        }
    }
    if (qstrcmp(context.category, "isobar.upstream") == 0 && type == QtInfoMsg)
        return; // one line per call: a million-request replay would drown the figures
    g_previousHandler(type, context, message);
}

QString clockTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"HH:mm:ss.zzz"_s);
}

// What the command line asks for.
struct Settings {
    std::vector<City> cities;
    qint64 count = 0;
    QString seed;
    double sigmaMetres = 0;
    double hourlyShare = 0;
    double dailyShare = 0;
    int examples = 0;
    int replicas = 1;
    QUrl redisUrl;
};

// The settings, or nothing after saying what is wrong.
std::optional<Settings> readSettings(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Upstream calls of a simulated day of watch traffic."_s);
    parser.addHelpOption();
    const QCommandLineOption citiesOption(u"cities"_s,
                                          u"Cities CSV (city, lat, lon, population)."_s, u"file"_s);
    const QCommandLineOption requestsOption(u"requests"_s, u"Requests in the day."_s, u"n"_s,
                                            u"1000000"_s);
    const QCommandLineOption seedOption(u"seed"_s, u"Random seed of the workload."_s, u"n"_s,
                                        u"20240603"_s);
    const QCommandLineOption sigmaOption(u"sigma-m"_s, u"Spread around a city centre (m)."_s,
                                         u"m"_s, u"3000"_s);
    const QCommandLineOption hourlyOption(u"hourly-share"_s, u"Share of hourly forecasts."_s,
                                          u"f"_s, u"0.05"_s);
    const QCommandLineOption dailyOption(u"daily-share"_s, u"Share of daily forecasts."_s, u"f"_s,
                                         u"0.05"_s);
    const QCommandLineOption examplesOption(
        u"examples"_s, u"Keys shown when calls exceed their minimum."_s, u"n"_s, u"5"_s);
    const QCommandLineOption replicasOption(
        u"replicas"_s, u"Replicas the requests are dealt to in turn."_s, u"n"_s, u"1"_s);
    const QCommandLineOption redisOption(
        u"redis-url"_s, u"Redis the replicas share their cache through."_s, u"url"_s);
    parser.addOptions({citiesOption, requestsOption, seedOption, sigmaOption, hourlyOption,
                       dailyOption, examplesOption, replicasOption, redisOption});
    parser.process(app);

    Settings settings;
    settings.cities = readCities(parser.value(citiesOption));
    if (settings.cities.empty()) {
        std::fprintf(stderr, "bench_weather_economy: --cities: no cities read from '%s'\n",
                     qPrintable(parser.value(citiesOption)));
        return std::nullopt;
    }
    settings.count = parser.value(requestsOption).toLongLong();
    settings.seed = parser.value(seedOption);
    settings.sigmaMetres = parser.value(sigmaOption).toDouble();
    settings.hourlyShare = parser.value(hourlyOption).toDouble();
    settings.dailyShare = parser.value(dailyOption).toDouble();
    settings.examples = parser.value(examplesOption).toInt();
    settings.replicas = parser.value(replicasOption).toInt();
    settings.redisUrl = QUrl(parser.value(redisOption));
    if (settings.count <= 0 || settings.hourlyShare < 0 || settings.dailyShare < 0
        || settings.hourlyShare + settings.dailyShare > 1 || settings.replicas < 1) {
        std::fprintf(stderr, "bench_weather_economy: bad --requests, shares or --replicas\n");
        return std::nullopt;
    }
    if (parser.isSet(redisOption) && !RedisClient::checkUrl(settings.redisUrl).isEmpty()) {
        std::fprintf(stderr, "bench_weather_economy: --redis-url: %s\n",
                     qPrintable(RedisClient::checkUrl(settings.redisUrl)));
        return std::nullopt;
    }
    return settings;
}

// The replicas, each with its client and cache, sharing Redis when there is one; false when
// Redis cannot be reached.
bool startReplicas(std::vector<Replica> &replicas, const Settings &settings, quint16 sandboxPort,
                   const WeatherCache::Options &options)
{
    auto clock = [] { return g_now; };
    AccuWeatherClient::Options upstream;
    upstream.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(sandboxPort));
    replicas.resize(static_cast<size_t>(settings.replicas));
    for (size_t r = 0; r < replicas.size(); ++r) {
        Replica &replica = replicas[r];
        replica.client = std::make_unique<AccuWeatherClient>(
            upstream, [] { return kSandboxKey; }, clock);
        replica.cache = std::make_unique<WeatherCache>(options, *replica.client, nullptr, clock);
        if (settings.redisUrl.isEmpty())
            continue;
        RedisClient::Options redis;
        redis.url = settings.redisUrl;
        redis.commandTimeoutMs = 5000; // a loaded machine must not make the bench fall back
        replica.redis = std::make_unique<RedisClient>(redis);
        SharedWeatherCache::Options shared;
        shared.replicaId = "bench-" + QByteArray::number(qulonglong(r));
        shared.keyPrefix = "isobar:bench-economy:";
        replica.fleet = std::make_unique<SharedWeatherCache>(*replica.redis, shared, clock);
        replica.cache->shareThrough(replica.fleet.get());
        replica.redis->start();
    }
    for (const Replica &replica : replicas) {
        QElapsedTimer connecting;
        connecting.start();
        while (replica.redis && !replica.redis->isConnected() && connecting.elapsed() < 10'000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
        if (replica.redis && !replica.redis->isConnected()) {
            std::fprintf(stderr, "bench_weather_economy: cannot reach %s\n",
                         qPrintable(settings.redisUrl.toString()));
            return false;
        }
    }
    if (!settings.redisUrl.isEmpty())
        replicas.front().redis->command({"EVAL",
                                         "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do "
                                         "redis.call('DEL', k) end return 0",
                                         "0", "isobar:bench-economy:*"});
    return true;
}

// How the caches answered the replay.
struct Replay {
    qint64 answeredAtOnce = 0;
    qint64 failed = 0;
    qint64 outcomes[3] = {}; // Hit, Miss, Stale as the answer reports it
    double seconds = 0;
};

// Every request in time order, dealt to the replicas in turn, each run to its answer (and any
// refresh it started) at its own simulated instant.
Replay replay(const std::vector<Request> &requests, const std::vector<Replica> &replicas)
{
    auto upstreamBusy = [&replicas] {
        for (const Replica &replica : replicas) {
            const AccuWeatherClient::Stats stats = replica.client->stats();
            if (stats.inFlight > 0 || stats.queued > 0)
                return true;
        }
        return false;
    };
    Replay result;
    QElapsedTimer wall;
    wall.start();
    qint64 done = 0;
    for (const Request &request : requests) {
        g_now = request.atMs;
        WeatherCache &cache = *replicas[size_t(done % qint64(replicas.size()))].cache;
        QFuture<WeatherAnswer> future =
            cache
                .lookup(
                    WeatherQuery{request.latitude, request.longitude, request.product, true, {}})
                .toFuture();
        const bool atOnce = future.isFinished();
        if (!atOnce || upstreamBusy()) {
            // Block rather than spin: the network runs in Qt's HTTP thread, which needs the
            // core a spinning loop would take.
            while (!future.isFinished() || upstreamBusy())
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            // A reply's continuation (storing the refresh) is posted after the client has
            // counted the call as done: run what is queued, so it lands at this instant.
            for (int i = 0; i < 4; ++i)
                QCoreApplication::processEvents(QEventLoop::AllEvents);
        }
        const WeatherAnswer answer = future.result();
        result.answeredAtOnce += atOnce;
        if (!answer.ok)
            ++result.failed;
        else
            ++result.outcomes[int(answer.outcome)];
        if (++done % 100'000 == 0) {
            std::fprintf(stderr, "  replayed %lld requests, %.1f s\n", done,
                         wall.elapsed() / 1000.0);
        }
    }
    result.seconds = wall.elapsed() / 1000.0;
    return result;
}

// Calls per endpoint against the minimum, and what the cache says it did.
void printFigures(const AccuWeatherSandbox &sandbox, const std::vector<Replica> &replicas,
                  const Replay &replayed, const Minimum &minimum, const qint64 (&asked)[kEndpoints],
                  qint64 count)
{
    qint64 calls[kEndpoints] = {};
    for (int e = 0; e < kEndpoints; ++e)
        calls[e] = sandbox.calls(QLatin1String(kEndpointNames[e]));
    AccuWeatherClient::Stats clientStats;
    WeatherCache::Stats cacheStats;
    for (const Replica &replica : replicas) {
        clientStats.retries += replica.client->stats().retries;
        const WeatherCache::Stats one = replica.cache->stats();
        cacheStats.hits += one.hits;
        cacheStats.stale += one.stale;
        cacheStats.misses += one.misses;
        cacheStats.joinedFlights += one.joinedFlights;
        cacheStats.evictions += one.evictions;
        cacheStats.entries += one.entries;
        cacheStats.locations += one.locations;
    }
    const double perThousand = 1000.0 / double(count);

    std::printf("replay: %.1f s wall, %.0f requests/s; %lld failed answers; client retries %lld\n",
                replayed.seconds, count / replayed.seconds, replayed.failed, clientStats.retries);
    std::printf("\n%-12s %9s %9s %10s %9s %10s %7s\n", "endpoint", "requests", "calls",
                "calls/1000", "minimum", "min/1000", "ratio");
    qint64 totalCalls = 0, totalMinimum = 0;
    for (int e = 0; e < kEndpoints; ++e) {
        totalCalls += calls[e];
        totalMinimum += minimum.calls[e];
        std::printf("%-12s %9s %9lld %10.2f %9lld %10.2f %7.4f\n", kEndpointNames[e],
                    e == Geoposition ? "-" : qPrintable(QString::number(asked[e])), calls[e],
                    calls[e] * perThousand, minimum.calls[e], minimum.calls[e] * perThousand,
                    minimum.calls[e] ? double(calls[e]) / double(minimum.calls[e]) : 0.0);
    }
    const double ratio = double(totalCalls) / double(totalMinimum);
    std::printf("%-12s %9lld %9lld %10.2f %9lld %10.2f %7.4f\n", "total", count, totalCalls,
                totalCalls * perThousand, totalMinimum, totalMinimum * perThousand, ratio);

    std::printf("\ncache: answered at once %lld of %lld (hit ratio %.4f); the answer said: fresh "
                "%lld, stale with a refresh behind it %lld, fetched %lld\n",
                replayed.answeredAtOnce, count, double(replayed.answeredAtOnce) / double(count),
                replayed.outcomes[0], replayed.outcomes[2], replayed.outcomes[1]);
    std::printf("cache counters: hits %lld, stale %lld, misses %lld, joined flights %lld, "
                "evictions %lld, entries %d, cells %d\n",
                cacheStats.hits, cacheStats.stale, cacheStats.misses, cacheStats.joinedFlights,
                cacheStats.evictions, cacheStats.entries, cacheStats.locations);
    const double reduction = 1.0 - totalCalls * perThousand / 2000.0;
    std::printf("\noriginal service: 2000 calls per 1000 requests; isobar: %.2f -> %.2f%% fewer "
                "(target: at least 90%%) %s\n",
                totalCalls * perThousand, reduction * 100, reduction >= 0.90 ? "MET" : "NOT MET");
    // Not a measurement: what the same day costs once its cells are known, since a cell's
    // location key is kept 30 days (and persisted), so geoposition is bought once a month.
    const double recurring = (totalCalls - calls[Geoposition]) * perThousand;
    std::printf("without the one-off geoposition calls (cells are kept 30 days): %.2f per 1000 "
                "-> %.2f%% fewer; their minimum %.2f\n",
                recurring, (1.0 - recurring / 2000.0) * 100,
                (totalMinimum - minimum.calls[Geoposition]) * perThousand);
    std::printf("calls / theoretical minimum: %.4f (target: at most 1.02) %s\n", ratio,
                ratio <= 1.02 ? "MET" : "NOT MET");
}

// Where the excess went: keys that cost more calls than their minimum, a few shown in full.
void printExcess(const Minimum &minimum, int examples)
{
    int shown = 0;
    qint64 excessKeys = 0;
    for (auto it = g_callsByPath.cbegin(); it != g_callsByPath.cend(); ++it) {
        if (it.key().startsWith(u"geoposition|"))
            continue;
        const auto window = minimum.windows.constFind(it.key());
        const size_t allowed = window == minimum.windows.cend() ? 0 : window->starts.size();
        if (it->size() <= allowed)
            continue;
        ++excessKeys;
        if (shown++ >= examples)
            continue;
        QStringList actual, expected;
        for (qint64 at : *it)
            actual << clockTime(at);
        if (window != minimum.windows.cend()) {
            for (qint64 at : window->starts)
                expected << clockTime(at);
        }
        std::printf("excess %s: %zu calls, minimum %zu\n  calls at   %s\n  windows at %s\n",
                    qPrintable(it.key()), it->size(), allowed, qPrintable(actual.join(u' ')),
                    qPrintable(expected.join(u' ')));
    }
    if (excessKeys)
        std::printf("%lld (endpoint, key) pairs cost more calls than their minimum\n", excessKeys);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::optional<Settings> settings = readSettings(app);
    if (!settings)
        return 2;

    QElapsedTimer wall;
    wall.start();
    const std::vector<Request> requests =
        makeWorkload(settings->cities, settings->count, settings->seed.toULongLong(),
                     settings->sigmaMetres, settings->hourlyShare, settings->dailyShare);
    const WeatherCache::Options options; // the defaults `isobar serve` runs with
    const Minimum minimum = minimumFor(requests, options);
    qint64 asked[kEndpoints] = {};
    for (const Request &request : requests)
        ++asked[endpointOf(request.product)];
    std::printf("workload: %lld requests over 24 h, %zu cities weighted by population, sigma %.0f "
                "m, seed %s\n",
                settings->count, settings->cities.size(), settings->sigmaMetres,
                qPrintable(settings->seed));
    std::printf("  current %lld, hourly %lld, daily %lld (metric); %lld distinct cells, %lld "
                "location keys\n",
                asked[Current], asked[Hourly], asked[Daily], qint64(minimum.cells),
                qint64(minimum.keys));
    std::printf("cache: %.0f m cells; TTL current %lld s, hourly %lld s, daily %lld s (defaults)\n",
                options.cellSizeMetres, options.currentTtlSeconds, options.hourlyTtlSeconds,
                options.dailyTtlSeconds);
    std::printf("workload and minimum computed in %.1f s\n", wall.elapsed() / 1000.0);
    std::fflush(stdout);

    g_previousHandler = qInstallMessageHandler(recordCalls);
    AccuWeatherSandbox sandbox(kSandboxKey);
    sandbox.setClock([] { return g_now; });
    if (!sandbox.listen(QHostAddress::LocalHost, 0)) {
        std::fprintf(stderr, "bench_weather_economy: sandbox cannot listen: %s\n",
                     qPrintable(sandbox.errorString()));
        return 1;
    }
    std::vector<Replica> replicas;
    if (!startReplicas(replicas, *settings, sandbox.port(), options))
        return 1;
    std::printf("replicas: %d, %s\n", settings->replicas,
                settings->redisUrl.isEmpty() ? "each with its own cache only"
                                             : "sharing a second level in Redis");

    const Replay replayed = replay(requests, replicas);
    printFigures(sandbox, replicas, replayed, minimum, asked, settings->count);
    printExcess(minimum, settings->examples);
    return 0;
}
