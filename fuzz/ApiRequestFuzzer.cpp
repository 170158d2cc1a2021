// Every route's query and body readers on arbitrary requests: the whole API (ApiServer, on a
// store holding some of the sample data, weather from the sandbox) answers each request the
// fuzzer makes up. An input is "METHOD TARGET", a line feed, then the body; a bare target is a
// GET. Bad input must get a 4xx naming what is wrong: a 500 means a reader let something
// through that a handler could not take, and fails the run.
#include "FuzzSupport.h"
#include "weather/AccuWeatherSandbox.h"

#include <cstdio>
#include <cstdlib>

using namespace isobar;
using namespace Qt::StringLiterals;

namespace {
const ApiServer &server()
{
    static QTemporaryDir dir;
    static const ApiServer *api = [] {
        fuzz::ensureApplication();
        auto *sandbox = new AccuWeatherSandbox(u"fuzz-key"_s); // never destroyed (FuzzSupport.h)
        if (!sandbox->listen(QHostAddress::LocalHost, 0))
            abort();
        return fuzz::startServer(dir, [sandbox](ServerConfig &config) {
            config.upstream.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(sandbox->port()));
        });
    }();
    return *api;
}

HttpRequest requestOf(const QByteArray &input)
{
    HttpRequest request;
    const qsizetype lineEnd = input.indexOf('\n');
    const QByteArray line = lineEnd < 0 ? input : input.first(lineEnd);
    request.body = lineEnd < 0 ? QByteArray() : input.sliced(lineEnd + 1);
    const qsizetype space = line.indexOf(' ');
    request.method = space < 0 ? QByteArray("GET") : line.first(space);
    request.target = space < 0 ? line : line.sliced(space + 1);
    const qsizetype queryAt = request.target.indexOf('?');
    request.path = QString::fromUtf8(queryAt < 0 ? request.target : request.target.first(queryAt));
    if (queryAt >= 0)
        request.query.setQuery(QString::fromUtf8(request.target.sliced(queryAt + 1)));
    request.headers.insert("content-type", "application/json");
    request.headers.insert("host", "fuzz.local");
    request.peer = QHostAddress::LocalHost;
    request.peerText = u"127.0.0.1"_s;
    return request;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const HttpRequest request = requestOf(fuzz::bytes(data, size));
    if (!request.path.startsWith(u'/'))
        return 0; // the HTTP layer takes nothing else (HttpRequestParser)
    const QFuture<HttpResponse> answer = server().router().dispatch(request).toFuture();
    if (!fuzz::waitFor(answer, 30'000)) {
        fprintf(stderr, "no answer within 30 s\n");
        abort();
    }
    const HttpResponse response = answer.result();
    if (response.status == 500 || response.status < 100 || response.status > 599) {
        fprintf(stderr, "status %d: %s\n", response.status, response.body.left(500).constData());
        abort();
    }
    return 0;
}
