// AccuWeather's answers on arbitrary bytes: an upstream on a local port (Isobar's own HTTP
// server) answers one of the four calls with the fuzzer's bytes and the others as AccuWeather
// does (../shared fixtures, tests/fixtures/accuweather), and a watch route asks for a cell no
// earlier input used, so every input goes through the client, the cache and the route's
// answer. A malformed upstream answer must become a 502, never a crash or a 500.
#include "FuzzSupport.h"
#include "http/HttpServer.h"

#include <QFile>
#include <cstdio>
#include <cstdlib>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {

struct Upstream {
    HttpServer http{HttpLimits{}};
    QByteArray fuzzed;     // the body of the call under test
    QString fuzzedPattern; // which call that is
};

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ISOBAR_SOURCE_DIR "/tests/fixtures/accuweather/") + name);
    if (!file.open(QIODevice::ReadOnly))
        abort();
    return file.readAll();
}

const QList<std::pair<QString, QByteArray>> &calls()
{
    // The live current-conditions endpoint answers an array holding the observation.
    static const QList<std::pair<QString, QByteArray>> list = {
        {u"/locations/v1/cities/geoposition/search"_s, fixture(u"location_data.json"_s)},
        {u"/currentconditions/v1/<key>"_s, '[' + fixture(u"current_condition_data.json"_s) + ']'},
        {u"/forecasts/v1/daily/5day/<key>"_s, fixture(u"daily_forecast_data.json"_s)},
        {u"/forecasts/v1/hourly/12hour/<key>"_s, fixture(u"hourly_forecast_data.json"_s)},
    };
    return list;
}

Upstream &upstream()
{
    static Upstream *up = [] {
        auto *u = new Upstream;
        for (const auto &[pattern, body] : calls()) {
            u->http.router().add(
                "GET", pattern, {},
                [u, pattern = pattern, body = body](const HttpRequest &, const RouteParams &) {
                    return readyResponse(HttpResponse::bytes(
                        pattern == u->fuzzedPattern ? u->fuzzed : body, "application/json"));
                });
        }
        if (!u->http.listen(QHostAddress::LocalHost, 0))
            abort();
        return u;
    }();
    return *up;
}

const ApiServer &server()
{
    static QTemporaryDir dir;
    static const ApiServer *api = [] {
        fuzz::ensureApplication();
        const quint16 port = upstream().http.port();
        return fuzz::startServer(dir, [port](ServerConfig &config) {
            config.upstream.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
            config.upstream.maxRetries = 0;
        });
    }();
    return *api;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const QList<QByteArray> routes = {"/prcpt?lt=%1&lg=%2", "/uvidx?lt=%1&lg=%2",
                                             "/api/v1/weather/current?lat=%1&lon=%2",
                                             "/api/v1/weather/forecast/daily?lat=%1&lon=%2",
                                             "/api/v1/weather/forecast/hourly?lat=%1&lon=%2"};
    const ApiServer &api = server();
    Upstream &up = upstream();
    // The first byte picks the call that gets the bytes and the route that asks.
    up.fuzzedPattern = calls().at(data[0] % calls().size()).first;
    up.fuzzed = fuzz::bytes(data + 1, size - 1);
    // A new ~1 km cell for every input: 0.02 degrees apart, row by row over the globe.
    static int cell = 0;
    ++cell;
    const double latitude = -80 + 0.02 * (cell / 18'000 % 8'000);
    const double longitude = -179 + 0.02 * (cell % 18'000);
    HttpRequest request;
    request.method = "GET";
    request.target = QString::fromLatin1(routes.at((data[0] / 4) % routes.size()))
                         .arg(latitude, 0, 'f', 4)
                         .arg(longitude, 0, 'f', 4)
                         .toLatin1();
    const qsizetype queryAt = request.target.indexOf('?');
    request.path = QString::fromLatin1(request.target.first(queryAt));
    request.query.setQuery(QString::fromLatin1(request.target.sliced(queryAt + 1)));
    request.peer = QHostAddress::LocalHost;
    request.peerText = u"127.0.0.1"_s;
    const QFuture<HttpResponse> answer = api.router().dispatch(request).toFuture();
    if (!fuzz::waitFor(answer, 30'000)) {
        fprintf(stderr, "no answer within 30 s\n");
        abort();
    }
    const HttpResponse response = answer.result();
    if (response.status != 200 && response.status != 502) {
        fprintf(stderr, "status %d: %s\n", response.status, response.body.left(500).constData());
        abort();
    }
    return 0;
}
