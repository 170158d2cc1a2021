#include "ServeCommand.h"

#include "ServerThread.h"
#include "Settings.h"
#include "ShutdownSignals.h"
#include "credentials/AccuWeatherKeyProvider.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QThread>
#include <QUrl>
#include <sys/resource.h>
#include <unistd.h>

namespace isobar {

namespace {

constexpr int kRenderNiceness = 10; // a Linux nice value: 0 normal, 19 lowest

QStringList commaList(const QString &text)
{
    QStringList items;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
        if (!item.trimmed().isEmpty())
            items << item.trimmed();
    }
    return items;
}

} // namespace

int runServeCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serve the Isobar REST API without a window (for containers and VMs).\n"
        "Settings: flag > ISOBAR_* environment variable > --config INI file > default."));
    parser.addHelpOption();
    Settings::addOptions(parser, Settings::serveSpecs());
    parser.process(arguments);

    QTextStream err(stderr);
    Settings settings(parser);
    ServerConfig config;
    config.databasePath = settings.text("database");
    config.bind = QHostAddress(settings.text("bind"));
    if (config.bind.isNull()) {
        err << "isobar serve: --bind: '" << settings.text("bind") << "' is not an IP address\n";
        return 2;
    }
    config.port = quint16(settings.integer("port", 0, 65535));
    // http_parser (Debian build) refuses headers beyond its compiled HTTP_MAX_HEADER_SIZE, 80 KiB.
    config.http.maxHeaderBytes = settings.integer("max-header-bytes", 1024, 80 * 1024);
    config.http.maxBodyBytes = settings.integer("max-body-bytes", 0, qint64(1) << 30);
    config.http.requestTimeoutMs = int(settings.integer("request-timeout-ms", 100, 3'600'000));
    config.http.idleTimeoutMs = int(settings.integer("idle-timeout-ms", 100, 3'600'000));
    config.http.firstByteTimeoutMs = int(settings.integer("first-byte-timeout-ms", 100, 3'600'000));
    config.http.maxPipelined = int(settings.integer("max-pipelined", 1, 1024));
    config.http.maxConnections = int(settings.integer("max-connections", 1, 1'000'000));
    config.http.maxConnectionsPerAddress =
        int(settings.integer("max-connections-per-address", 1, 1'000'000));
    config.http.listenBacklog = int(settings.integer("listen-backlog", 1, 65535));
    const int threads = int(settings.integer("query-threads", 0, 256));
    config.queryThreads = threads > 0 ? threads : QThread::idealThreadCount();
    config.maxQueuedQueries = int(settings.integer("max-queued-queries", 1, 1'000'000));
    config.maxPlots = int(settings.integer("max-plots", 1, 100));
    config.maxRowsPerRequest = int(settings.integer("max-rows", 1, 100'000'000));
    config.responseCacheEntries = int(settings.integer("response-cache-entries", 0, 10'000'000));
    config.responseCacheBytes = settings.integer("response-cache-bytes", 0, qint64(1) << 40);
    config.upstream.baseUrl = QUrl(settings.text("accuweather-url"));
    const QString placement = settings.text("accuweather-key-placement");
    if (!config.upstream.baseUrl.isValid() || config.upstream.baseUrl.scheme().isEmpty()) {
        err << "isobar serve: --accuweather-url: '" << settings.text("accuweather-url")
            << "' is not a URL\n";
        return 2;
    }
    if (placement != u"bearer" && placement != u"query") {
        err << "isobar serve: --accuweather-key-placement: '" << placement
            << "' must be bearer or query\n";
        return 2;
    }
    config.upstream.keyPlacement = placement == u"query"
                                       ? AccuWeatherClient::KeyPlacement::QueryParameter
                                       : AccuWeatherClient::KeyPlacement::BearerHeader;
    config.upstream.timeoutMs = int(settings.integer("accuweather-timeout-ms", 100, 600'000));
    config.upstream.maxConcurrent = int(settings.integer("accuweather-max-concurrent", 1, 1000));
    config.upstream.maxQueued = int(settings.integer("accuweather-max-queued", 1, 1'000'000));
    config.upstream.dailyBudget = settings.integer("accuweather-daily-budget", 0, qint64(1) << 40);
    config.weather.cellSizeMetres = double(settings.integer("weather-cell-size", 10, 1'000'000));
    config.weather.currentTtlSeconds = settings.integer("weather-ttl-current", 1, 7 * 86400);
    config.weather.hourlyTtlSeconds = settings.integer("weather-ttl-hourly", 1, 7 * 86400);
    config.weather.dailyTtlSeconds = settings.integer("weather-ttl-daily", 1, 30 * 86400);
    config.weather.maxStaleSeconds = settings.integer("weather-max-stale", 0, 30 * 86400);
    config.weather.maxEntries = int(settings.integer("weather-cache-entries", 1, 100'000'000));
    config.auth.enabled = !settings.enabled("no-auth");
    config.auth.issuer = QUrl(settings.text("oidc-issuer"));
    config.auth.audience = settings.text("oidc-audience");
    config.auth.jwksUrl = QUrl(settings.text("oidc-jwks-url"));
    config.auth.algorithms = commaList(settings.text("oidc-algorithms"));
    config.auth.leewaySeconds = int(settings.integer("oidc-leeway", 0, 3600));
    config.auth.jwksRefreshSeconds = int(settings.integer("oidc-jwks-refresh", 60, 7 * 86400));
    config.rateLimit.ratePerSecond = double(settings.integer("rate-limit", 0, 1'000'000));
    config.rateLimit.burst = double(settings.integer("rate-burst", 1, 1'000'000));
    config.corsOrigins = commaList(settings.text("cors-origins"));
    config.uploadEnabled = settings.enabled("enable-upload");
    config.maxQueuedRenders = int(settings.integer("max-queued-renders", 1, 100'000));
    config.chartCacheEntries = int(settings.integer("chart-cache-entries", 0, 1'000'000));
    config.chartCacheBytes = settings.integer("chart-cache-bytes", 0, qint64(1) << 40);
    config.captureRequests = settings.enabled("request-log");
    config.recorder.queueCapacity = int(settings.integer("request-queue", 1000, 10'000'000));
    config.recorder.rawRetentionDays = int(settings.integer("request-retention-days", 1, 3650));
    config.recorder.rollupRetentionDays = int(settings.integer("rollup-retention-days", 1, 36500));
    config.stats.noGoSuccessRatio = double(settings.integer("no-go-percent", 0, 100)) / 100.0;
    config.stats.objectiveUs = settings.integer("latency-objective-ms", 1, 600'000) * 1000;
    config.metricsPort = quint16(settings.integer("metrics-port", 0, 65535));
    config.metricsBind = QHostAddress(settings.text("metrics-bind"));
    if (config.metricsBind.isNull()) {
        err << "isobar serve: --metrics-bind: '" << settings.text("metrics-bind")
            << "' is not an IP address\n";
        return 2;
    }
    if (!settings.error().isEmpty()) {
        err << "isobar serve: " << settings.error() << '\n';
        return 2;
    }

    // The key is looked up once, here: a mounted file, the environment, or (on a desktop
    // session, where a Secret Service can answer) the OS keychain. Only its source is shown.
    const AccuWeatherKeyProvider::Resolution key =
        AccuWeatherKeyProvider().resolve(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
    if (!key.problem.isEmpty()) {
        err << "isobar serve: AccuWeather key: " << key.problem << '\n';
        return 1;
    }
    QTextStream(stdout) << "AccuWeather key: "
                        << (key.key.isEmpty()
                                ? QStringLiteral("none (weather routes will answer 502)")
                                : key.where)
                        << '\n';
    config.accuWeatherKey = [secret = key.key] { return secret; };

    // The HTTP loop gets its own thread; this (main) thread keeps the event loop that renders
    // charts and watches for signals.
    ServerThread server(config);
    if (!server.start()) {
        err << "isobar serve: " << server.errorString() << '\n';
        return 1;
    }
    // Before the "listening" line: whoever waits for it may send SIGTERM at once, and this
    // thread, lowered in priority below, could reach a later line long after.
    watchShutdownSignals(&server, [&server] { server.stop(); });
    QObject::connect(&server, &ServerThread::stopped, qApp, [] { QCoreApplication::exit(0); });
    // Headless, this (main) thread only draws charts; the HTTP loop and the query pool run on
    // threads created before this line, at normal priority. On two cores a burst of renders
    // would otherwise take CPU from watches' answers: charts are batch work, answers are not.
    // Threads made from here on (the render queue's encoders) inherit the lower priority.
    if (setpriority(PRIO_PROCESS, pid_t(gettid()), kRenderNiceness) != 0)
        qWarning("isobar serve: cannot lower the render thread's priority");
    QTextStream out(stdout);
    out << "Isobar API listening on " << server.url() << "/  (Ctrl+C to stop)\n";
    if (server.metricsPort())
        out << "Prometheus metrics on http://" << settings.text("metrics-bind") << ':'
            << server.metricsPort() << "/metrics\n";
    out << Qt::flush;
    return QCoreApplication::exec();
}

} // namespace isobar
