#include "ServerSettings.h"

#include <QHostAddress>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QByteArray kConfigEnvironment = "ISOBAR_CONFIG";
const QString kConfigFlag = u"config"_s;
// Units of the ranges below, as 64-bit numbers so that no product of them overflows an int.
constexpr qint64 kDaySeconds = 86'400;
constexpr qint64 kKibibyte = 1024;

// A field of a ServerConfig, for reading (const) and writing alike.
template <typename Field> using Access = std::function<Field &(ServerConfig &)>;

template <typename Field> const Field &field(const Access<Field> &access, const ServerConfig &c)
{
    return access(const_cast<ServerConfig &>(c)); // read only: the access itself never writes
}

ServerSetting row(const char *flag, const char *environment, const char *iniKey,
                  const char *valueName, const char *description)
{
    return ServerSetting{flag, environment, iniKey, valueName, description, {}, {}, 0, 0};
}

// A whole number of `unit`s within [minimum, maximum], stored as that many units in a field of
// any arithmetic type (a percentage as a ratio: unit 0.01; milliseconds as microseconds: 1000).
template <typename Field>
ServerSetting scaled(ServerSetting s, qint64 minimum, qint64 maximum, double unit,
                     const Access<Field> &access)
{
    s.read = [access, unit](const ServerConfig &c) {
        return QString::number(qint64(std::llround(double(field(access, c)) / unit)));
    };
    s.minimum = minimum;
    s.maximum = maximum;
    s.write = [access, minimum, maximum, unit](ServerConfig &c, const QString &text) {
        bool ok = false;
        const qint64 number = text.trimmed().toLongLong(&ok);
        if (!ok || number < minimum || number > maximum)
            return u"must be a whole number from %1 to %2"_s.arg(minimum).arg(maximum);
        access(c) = Field(double(number) * unit);
        return QString();
    };
    return s;
}

template <typename Field>
ServerSetting integer(ServerSetting s, qint64 minimum, qint64 maximum, const Access<Field> &access)
{
    return scaled<Field>(std::move(s), minimum, maximum, 1.0, access);
}

QString switchText(bool on)
{
    return on ? u"true"_s : u"false"_s;
}

// true/false, yes/no, on/off, 1/0; `inverted` for a switch that turns a field off (--no-auth).
ServerSetting onOff(ServerSetting s, const Access<bool> &access, bool inverted = false)
{
    s.read = [access, inverted](const ServerConfig &c) {
        return switchText(field(access, c) != inverted);
    };
    s.write = [access, inverted](ServerConfig &c, const QString &text) {
        const QString value = text.trimmed().toLower();
        static const QStringList yes = {u"true"_s, u"yes"_s, u"on"_s, u"1"_s};
        static const QStringList no = {u"false"_s, u"no"_s, u"off"_s, u"0"_s, QString()};
        if (!yes.contains(value) && !no.contains(value))
            return u"must be true or false"_s;
        access(c) = yes.contains(value) != inverted;
        return QString();
    };
    return s;
}

ServerSetting text(ServerSetting s, const Access<QString> &access)
{
    s.read = [access](const ServerConfig &c) { return field(access, c); };
    s.write = [access](ServerConfig &c, const QString &value) {
        access(c) = value;
        return QString();
    };
    return s;
}

ServerSetting mount(ServerSetting s, const Access<QString> &access)
{
    s.read = [access](const ServerConfig &c) { return field(access, c); };
    s.write = [access](ServerConfig &c, const QString &value) {
        QString problem = PublicTimeseriesApi::checkMount(value.trimmed());
        if (problem.isEmpty())
            access(c) = value.trimmed();
        return problem;
    };
    return s;
}

ServerSetting address(ServerSetting s, const Access<QHostAddress> &access)
{
    s.read = [access](const ServerConfig &c) { return field(access, c).toString(); };
    s.write = [access](ServerConfig &c, const QString &value) {
        const QHostAddress parsed(value.trimmed());
        if (parsed.isNull())
            return u"is not an IP address"_s;
        access(c) = parsed;
        return QString();
    };
    return s;
}

// A URL; `optional` ones may be empty (no issuer configured).
ServerSetting url(ServerSetting s, const Access<QUrl> &access, bool optional)
{
    s.read = [access](const ServerConfig &c) { return field(access, c).toString(); };
    s.write = [access, optional](ServerConfig &c, const QString &value) {
        const QUrl parsed(value.trimmed(), QUrl::StrictMode);
        if (value.trimmed().isEmpty() && optional) {
            access(c) = QUrl();
            return QString();
        }
        if (!parsed.isValid() || parsed.scheme().isEmpty() || parsed.host().isEmpty())
            return u"is not a URL"_s;
        access(c) = parsed;
        return QString();
    };
    return s;
}

// A comma-separated list; blanks around items and empty items are dropped.
QStringList splitList(const QString &value)
{
    QStringList items;
    for (const QString &item : value.split(u',', Qt::SkipEmptyParts)) {
        if (!item.trimmed().isEmpty())
            items << item.trimmed();
    }
    return items;
}

ServerSetting list(ServerSetting s, const Access<QStringList> &access)
{
    s.read = [access](const ServerConfig &c) { return field(access, c).join(u','); };
    s.write = [access](ServerConfig &c, const QString &value) {
        access(c) = splitList(value);
        return QString();
    };
    return s;
}

// Addresses and subnets, comma-separated, as TrustedProxies takes them.
ServerSetting proxies(ServerSetting s, const Access<TrustedProxies> &access)
{
    s.read = [access](const ServerConfig &c) { return field(access, c).entries().join(u','); };
    s.write = [access](ServerConfig &c, const QString &value) {
        if (const QString bad = TrustedProxies::parse(splitList(value), &access(c)); !bad.isEmpty())
            return u"'%1' is not an address or subnet (such as 10.0.0.0/8)"_s.arg(bad);
        return QString();
    };
    return s;
}

// One of a few words, each standing for a value of the field.
template <typename Field>
ServerSetting choice(ServerSetting s, QList<std::pair<QString, Field>> choices,
                     const Access<Field> &access)
{
    s.read = [access, choices](const ServerConfig &c) {
        for (const auto &[name, value] : choices) {
            if (value == field(access, c))
                return name;
        }
        return QString();
    };
    s.write = [access, choices](ServerConfig &c, const QString &text) {
        QStringList names;
        for (const auto &[name, value] : choices) {
            if (name == text.trimmed()) {
                access(c) = value;
                return QString();
            }
            names << name;
        }
        return u"must be %1"_s.arg(names.join(u" or "));
    };
    return s;
}

} // namespace

// One statement per setting: the table is long because the settings are many, not because the
// function does much.
// NOLINTNEXTLINE(readability-function-size)
const QList<ServerSetting> &ServerSettings::all()
{
    // clang-format off
    static const QList<ServerSetting> settings = {
        text(row("database", "ISOBAR_DATABASE", "storage/database", "store",
                 "The store: a SQLite file (created if missing) or a postgresql:// URL."),
             [](ServerConfig &c) -> QString & { return c.databasePath; }),
        mount(row("public-api-mount", "ISOBAR_PUBLIC_API_MOUNT", "server/public_api_mount", "path",
                  "Where UKHSA's public API is served: /api/public/timeseries/ as UKHSA does, or / "
                  "for a deployment that serves it alone (its root then answers GET /)."),
              [](ServerConfig &c) -> QString & { return c.publicApiMount; }),
        address(row("bind", "ISOBAR_BIND", "server/bind", "address",
                    "Address to listen on (0.0.0.0 for all interfaces)."),
                [](ServerConfig &c) -> QHostAddress & { return c.bind; }),
        integer<quint16>(row("port", "ISOBAR_PORT", "server/port", "port",
                             "TCP port to listen on (0: any free port)."),
                         0, 65535, [](ServerConfig &c) -> quint16 & { return c.port; }),
        integer<int>(row("shutdown-delay-ms", "ISOBAR_SHUTDOWN_DELAY_MS",
                         "server/shutdown_delay_ms", "ms",
                         "After SIGTERM, /readyz fails at once and requests are still answered "
                         "this long (load balancers drop the replica), then connections drain."),
                     0, 600'000, [](ServerConfig &c) -> int & { return c.shutdownDelayMs; }),
        proxies(row("trusted-proxies", "ISOBAR_TRUSTED_PROXIES", "server/trusted_proxies", "list",
                    "Load balancers whose X-Forwarded-For/-Proto/-Host are believed "
                    "(addresses or subnets); none: those headers are ignored."),
                [](ServerConfig &c) -> TrustedProxies & { return c.http.trustedProxies; }),
        choice<LogFormat>(row("log-format", "ISOBAR_LOG_FORMAT", "server/log_format", "text|json",
                              "Log lines as text, or one JSON object per event on stdout (for a "
                              "log shipper)."),
                          {{u"text"_s, LogFormat::Text}, {u"json"_s, LogFormat::Json}},
                          [](ServerConfig &c) -> LogFormat & { return c.logFormat; }),
        onOff(row("access-log", "ISOBAR_ACCESS_LOG", "server/access_log", "true|false",
                  "Log every request answered (route, status, time, caller, request id)."),
              [](ServerConfig &c) -> bool & { return c.accessLog; }),
        // http_parser (Debian build) refuses headers beyond its compiled HTTP_MAX_HEADER_SIZE,
        // 80 KiB.
        integer<qsizetype>(row("max-header-bytes", "ISOBAR_MAX_HEADER_BYTES",
                               "limits/max_header_bytes", "bytes",
                               "Largest request line plus headers; larger requests get 413."),
                           1024, 80 * kKibibyte,
                           [](ServerConfig &c) -> qsizetype & { return c.http.maxHeaderBytes; }),
        integer<qsizetype>(row("max-body-bytes", "ISOBAR_MAX_BODY_BYTES", "limits/max_body_bytes",
                               "bytes",
                               "Largest request body; larger bodies get 413 before they are read."),
                           0, qint64(1) << 30,
                           [](ServerConfig &c) -> qsizetype & { return c.http.maxBodyBytes; }),
        integer<int>(row("request-timeout-ms", "ISOBAR_REQUEST_TIMEOUT_MS",
                         "limits/request_timeout_ms", "ms",
                         "Time a client has to send a whole request; slower ones get 408."),
                     100, 3'600'000,
                     [](ServerConfig &c) -> int & { return c.http.requestTimeoutMs; }),
        integer<int>(row("idle-timeout-ms", "ISOBAR_IDLE_TIMEOUT_MS", "limits/idle_timeout_ms",
                         "ms", "Keep-alive connections idle this long are closed."),
                     100, 3'600'000, [](ServerConfig &c) -> int & { return c.http.idleTimeoutMs; }),
        integer<int>(row("first-byte-timeout-ms", "ISOBAR_FIRST_BYTE_TIMEOUT_MS",
                         "limits/first_byte_timeout_ms", "ms",
                         "New connections that have not begun a request by then are closed."),
                     100, 3'600'000,
                     [](ServerConfig &c) -> int & { return c.http.firstByteTimeoutMs; }),
        integer<int>(row("max-pipelined", "ISOBAR_MAX_PIPELINED", "limits/max_pipelined", "count",
                         "Requests read ahead of their responses on one connection."),
                     1, 1024, [](ServerConfig &c) -> int & { return c.http.maxPipelined; }),
        integer<qsizetype>(row("max-unsent-bytes", "ISOBAR_MAX_UNSENT_BYTES",
                               "limits/max_unsent_bytes", "bytes",
                               "Answers a client has not read yet; past it its further requests "
                               "wait, and one that reads nothing for the idle timeout is "
                               "dropped."),
                           kKibibyte, qint64(1) << 30,
                           [](ServerConfig &c) -> qsizetype & { return c.http.maxUnsentBytes; }),
        integer<qsizetype>(row("kernel-unsent-bytes", "ISOBAR_KERNEL_UNSENT_BYTES",
                               "limits/kernel_unsent_bytes", "bytes",
                               "Of a connection's unsent answers, what the kernel may hold "
                               "(TCP_NOTSENT_LOWAT); bytes in flight do not count."),
                           kKibibyte, qint64(1) << 30, [](ServerConfig &c) -> qsizetype & {
                               return c.http.kernelUnsentBytes;
                           }),
        integer<int>(row("max-connections", "ISOBAR_MAX_CONNECTIONS", "limits/max_connections",
                         "count", "Open connections; further ones get 503."),
                     1, 1'000'000, [](ServerConfig &c) -> int & { return c.http.maxConnections; }),
        integer<int>(row("max-connections-per-address", "ISOBAR_MAX_CONNECTIONS_PER_ADDRESS",
                         "limits/max_connections_per_address", "count",
                         "Open connections from one client address (IPv6: one /64); further "
                         "ones get 503."),
                     1, 1'000'000,
                     [](ServerConfig &c) -> int & { return c.http.maxConnectionsPerAddress; }),
        integer<int>(row("listen-backlog", "ISOBAR_LISTEN_BACKLOG", "limits/listen_backlog",
                         "count",
                         "Connections the kernel queues until they are accepted (capped by "
                         "net.core.somaxconn)."),
                     1, 65535, [](ServerConfig &c) -> int & { return c.http.listenBacklog; }),
        integer<int>(row("query-threads", "ISOBAR_QUERY_THREADS", "limits/query_threads", "count",
                         "Threads running store queries (0: one per core)."),
                     0, 256, [](ServerConfig &c) -> int & { return c.queryThreads; }),
        integer<int>(row("max-queued-queries", "ISOBAR_MAX_QUEUED_QUERIES",
                         "limits/max_queued_queries", "count",
                         "Queries waiting for a thread; beyond it requests get 503 with "
                         "Retry-After."),
                     1, 1'000'000, [](ServerConfig &c) -> int & { return c.maxQueuedQueries; }),
        integer<int>(row("query-timeout-ms", "ISOBAR_QUERY_TIMEOUT_MS",
                         "limits/query_timeout_ms", "ms",
                         "Time a PostgreSQL query may take, a silent server included; beyond it "
                         "the request gets 503 with Retry-After."),
                     100, 3'600'000, [](ServerConfig &c) -> int & { return c.queryTimeoutMs; }),
        integer<int>(row("max-plots", "ISOBAR_MAX_PLOTS", "limits/max_plots", "count",
                         "Plots in one tables/downloads request."),
                     1, 100, [](ServerConfig &c) -> int & { return c.maxPlots; }),
        integer<int>(row("max-rows", "ISOBAR_MAX_ROWS", "limits/max_rows", "count",
                         "Points one plot or bulk-download file may return, values one map "
                         "reads; larger get 400."),
                     1, 100'000'000, [](ServerConfig &c) -> int & { return c.maxRowsPerRequest; }),
        integer<int>(row("response-cache-entries", "ISOBAR_RESPONSE_CACHE_ENTRIES",
                         "cache/response_entries", "count",
                         "Metrics answers kept for repeated requests (0: no cache)."),
                     0, 10'000'000,
                     [](ServerConfig &c) -> int & { return c.responseCacheEntries; }),
        url(row("accuweather-url", "ISOBAR_ACCUWEATHER_URL", "weather/accuweather_url", "url",
                "AccuWeather API base URL (the sandbox's for offline runs)."),
            [](ServerConfig &c) -> QUrl & { return c.upstream.baseUrl; }, false),
        choice<AccuWeatherClient::KeyPlacement>(
            row("accuweather-key-placement", "ISOBAR_ACCUWEATHER_KEY_PLACEMENT",
                "weather/key_placement", "bearer|query",
                "Send the key as 'Authorization: Bearer' or as the legacy apikey parameter."),
            {{u"bearer"_s, AccuWeatherClient::KeyPlacement::BearerHeader},
             {u"query"_s, AccuWeatherClient::KeyPlacement::QueryParameter}},
            [](ServerConfig &c) -> AccuWeatherClient::KeyPlacement & {
                return c.upstream.keyPlacement;
            }),
        integer<int>(row("accuweather-timeout-ms", "ISOBAR_ACCUWEATHER_TIMEOUT_MS",
                         "weather/timeout_ms", "ms",
                         "Time one upstream call may take; then 504 (or stale data)."),
                     100, 600'000, [](ServerConfig &c) -> int & { return c.upstream.timeoutMs; }),
        integer<int>(row("accuweather-max-concurrent", "ISOBAR_ACCUWEATHER_MAX_CONCURRENT",
                         "weather/max_concurrent", "count",
                         "Upstream calls in flight at once; more wait in a queue."),
                     1, 1000, [](ServerConfig &c) -> int & { return c.upstream.maxConcurrent; }),
        integer<int>(row("accuweather-max-queued", "ISOBAR_ACCUWEATHER_MAX_QUEUED",
                         "weather/max_queued", "count", "Upstream calls waiting; beyond it: 503."),
                     1, 1'000'000, [](ServerConfig &c) -> int & { return c.upstream.maxQueued; }),
        integer<qint64>(row("accuweather-daily-budget", "ISOBAR_ACCUWEATHER_DAILY_BUDGET",
                            "weather/daily_budget", "calls",
                            "Upstream calls allowed per UTC day (0: no limit); when spent, no "
                            "more calls."),
                        0, qint64(1) << 40,
                        [](ServerConfig &c) -> qint64 & { return c.upstream.dailyBudget; }),
        integer<double>(row("weather-cell-size", "ISOBAR_WEATHER_CELL_SIZE", "weather/cell_size_m",
                            "metres",
                            "Width of the cells positions are rounded to; one cell, one answer."),
                        10, 1'000'000,
                        [](ServerConfig &c) -> double & { return c.weather.cellSizeMetres; }),
        integer<qint64>(row("weather-ttl-current", "ISOBAR_WEATHER_TTL_CURRENT",
                            "weather/ttl_current_s", "seconds",
                            "How long current conditions stay fresh (upstream Expires wins when "
                            "sooner)."),
                        1, 7 * kDaySeconds,
                        [](ServerConfig &c) -> qint64 & { return c.weather.currentTtlSeconds; }),
        integer<qint64>(row("weather-ttl-hourly", "ISOBAR_WEATHER_TTL_HOURLY",
                            "weather/ttl_hourly_s", "seconds",
                            "How long hourly forecasts stay fresh."),
                        1, 7 * kDaySeconds,
                        [](ServerConfig &c) -> qint64 & { return c.weather.hourlyTtlSeconds; }),
        integer<qint64>(row("weather-ttl-daily", "ISOBAR_WEATHER_TTL_DAILY", "weather/ttl_daily_s",
                            "seconds", "How long daily forecasts stay fresh."),
                        1, 30 * kDaySeconds,
                        [](ServerConfig &c) -> qint64 & { return c.weather.dailyTtlSeconds; }),
        integer<qint64>(row("weather-max-stale", "ISOBAR_WEATHER_MAX_STALE", "weather/max_stale_s",
                            "seconds",
                            "Oldest answer served while the upstream fails; older: 502/503/504."),
                        0, 30 * kDaySeconds,
                        [](ServerConfig &c) -> qint64 & { return c.weather.maxStaleSeconds; }),
        integer<int>(row("weather-cache-entries", "ISOBAR_WEATHER_CACHE_ENTRIES",
                         "weather/cache_entries", "count",
                         "Weather documents kept in memory (least recently used go first)."),
                     1, 100'000'000, [](ServerConfig &c) -> int & { return c.weather.maxEntries; }),
        integer<int>(row("store-poll-ms", "ISOBAR_STORE_POLL_MS", "cache/store_poll_ms", "ms",
                         "How often cached answers are checked against data loaded by another "
                         "process (replicas on PostgreSQL are also told at once)."),
                     100, 3'600'000, [](ServerConfig &c) -> int & { return c.dataVersionPollMs; }),
        integer<qint64>(row("response-cache-bytes", "ISOBAR_RESPONSE_CACHE_BYTES",
                            "cache/response_bytes", "bytes", "Memory the cached answers may take."),
                        0, qint64(1) << 40,
                        [](ServerConfig &c) -> qint64 & { return c.responseCacheBytes; }),
        url(row("oidc-issuer", "ISOBAR_OIDC_ISSUER", "auth/oidc_issuer", "url",
                "OpenID Connect issuer whose access tokens are accepted (https; http only on "
                "loopback)."),
            [](ServerConfig &c) -> QUrl & { return c.auth.issuer; }, true),
        text(row("oidc-audience", "ISOBAR_OIDC_AUDIENCE", "auth/oidc_audience", "audience",
                 "Audience tokens must name in 'aud' (this API's identifier at the provider)."),
             [](ServerConfig &c) -> QString & { return c.auth.audience; }),
        url(row("oidc-jwks-url", "ISOBAR_OIDC_JWKS_URL", "auth/oidc_jwks_url", "url",
                "Signing keys URL; skips discovery of {issuer}/.well-known/openid-configuration."),
            [](ServerConfig &c) -> QUrl & { return c.auth.jwksUrl; }, true),
        list(row("oidc-algorithms", "ISOBAR_OIDC_ALGORITHMS", "auth/oidc_algorithms", "list",
                 "Token signature algorithms accepted (comma-separated allow-list)."),
             [](ServerConfig &c) -> QStringList & { return c.auth.algorithms; }),
        integer<int>(row("oidc-leeway", "ISOBAR_OIDC_LEEWAY", "auth/oidc_leeway_s", "seconds",
                         "Clock skew allowed when checking exp, nbf and iat."),
                     0, 3600, [](ServerConfig &c) -> int & { return c.auth.leewaySeconds; }),
        integer<int>(row("oidc-jwks-refresh", "ISOBAR_OIDC_JWKS_REFRESH",
                         "auth/oidc_jwks_refresh_s", "seconds",
                         "How often signing keys are fetched again (also on an unknown kid, at "
                         "most every 30 s)."),
                     60, 7 * kDaySeconds,
                     [](ServerConfig &c) -> int & { return c.auth.jwksRefreshSeconds; }),
        onOff(row("no-auth", "ISOBAR_NO_AUTH", "auth/no_auth", nullptr,
                  "Development only: check no tokens, every route open (warned at start and in "
                  "/health)."),
              [](ServerConfig &c) -> bool & { return c.auth.enabled; }, true),
        integer<double>(row("rate-limit", "ISOBAR_RATE_LIMIT", "limits/rate_per_second",
                            "requests",
                            "Requests per second per caller (token subject, else client "
                            "address), for the whole fleet with --redis-url; /health is "
                            "exempt; 0: no limit."),
                        0, 1'000'000,
                        [](ServerConfig &c) -> double & { return c.rateLimit.ratePerSecond; }),
        integer<double>(row("rate-burst", "ISOBAR_RATE_BURST", "limits/rate_burst", "requests",
                            "Requests a caller may send at once before the rate limit applies; "
                            "excess gets 429."),
                        1, 1'000'000, [](ServerConfig &c) -> double & { return c.rateLimit.burst; }),
        list(row("cors-origins", "ISOBAR_CORS_ORIGINS", "server/cors_origins", "list",
                 "Web origins allowed to call from a browser (comma-separated, * for any); none "
                 "by default."),
             [](ServerConfig &c) -> QStringList & { return c.corsOrigins; }),
        integer<int>(row("max-queued-renders", "ISOBAR_MAX_QUEUED_RENDERS",
                         "limits/max_queued_renders", "count",
                         "Charts waiting, being drawn or being compressed; beyond it chart "
                         "requests get 503 with Retry-After."),
                     1, 100'000, [](ServerConfig &c) -> int & { return c.maxQueuedRenders; }),
        integer<int>(row("chart-cache-entries", "ISOBAR_CHART_CACHE_ENTRIES",
                         "cache/chart_entries", "count",
                         "Rendered charts kept for identical requests (0: none); new data "
                         "empties it."),
                     0, 1'000'000, [](ServerConfig &c) -> int & { return c.chartCacheEntries; }),
        integer<qint64>(row("chart-cache-bytes", "ISOBAR_CHART_CACHE_BYTES", "cache/chart_bytes",
                            "bytes", "Memory the rendered charts may take."),
                        0, qint64(1) << 40,
                        [](ServerConfig &c) -> qint64 & { return c.chartCacheBytes; }),
        onOff(row("request-log", "ISOBAR_REQUEST_LOG", "monitoring/request_log", "true|false",
                  "Record every request for the stats API (false: only the live /metrics "
                  "counters)."),
              [](ServerConfig &c) -> bool & { return c.captureRequests; }),
        onOff(row("record-monitoring", "ISOBAR_RECORD_MONITORING", "monitoring/record_monitoring",
                  "true|false",
                  "Also count and record the stats reads that monitoring clients mark with "
                  "X-Isobar-Monitor (the desktop's Operations page does); false keeps them out "
                  "of the stats they read."),
              [](ServerConfig &c) -> bool & { return c.recordMonitoring; }),
        integer<int>(row("request-queue", "ISOBAR_REQUEST_QUEUE", "monitoring/queue", "events",
                         "Request events waiting for the log writer; beyond it they are dropped "
                         "(and counted)."),
                     1000, 10'000'000,
                     [](ServerConfig &c) -> int & { return c.recorder.queueCapacity; }),
        integer<int>(row("minute-retention-days", "ISOBAR_MINUTE_RETENTION_DAYS",
                         "monitoring/minute_retention_days", "days",
                         "How long the per-minute roll-ups behind short stats ranges are kept."),
                     1, 3650,
                     [](ServerConfig &c) -> int & { return c.recorder.minuteRetentionDays; }),
        integer<int>(row("rollup-retention-days", "ISOBAR_ROLLUP_RETENTION_DAYS",
                         "monitoring/rollup_retention_days", "days",
                         "How long the hourly roll-ups behind the stats API are kept."),
                     1, 36500,
                     [](ServerConfig &c) -> int & { return c.recorder.rollupRetentionDays; }),
        scaled<double>(row("no-go-percent", "ISOBAR_NO_GO_PERCENT", "monitoring/no_go_percent",
                           "percent",
                           "Share of 2xx answers under which the stats summary flags a no-go."),
                       0, 100, 0.01,
                       [](ServerConfig &c) -> double & { return c.stats.noGoSuccessRatio; }),
        scaled<qint64>(row("latency-objective-ms", "ISOBAR_LATENCY_OBJECTIVE_MS",
                           "monitoring/latency_objective_ms", "ms",
                           "Response-time objective per endpoint in the stats summary."),
                       1, 600'000, 1000,
                       [](ServerConfig &c) -> qint64 & { return c.stats.objectiveUs; }),
        integer<qint64>(row("stats-minute-rows", "ISOBAR_STATS_MINUTE_ROWS",
                            "monitoring/stats_minute_rows", "rows",
                            "The most per-minute roll-up rows a short range's stats read; a "
                            "busier range is answered in whole hours."),
                        1000, 1'000'000'000,
                        [](ServerConfig &c) -> qint64 & { return c.stats.maxMinuteRows; }),
        integer<quint16>(row("metrics-port", "ISOBAR_METRICS_PORT", "monitoring/metrics_port",
                             "port",
                             "Also serve /metrics, without tokens, on this port for scrapers (0: "
                             "only on the API port)."),
                         0, 65535, [](ServerConfig &c) -> quint16 & { return c.metricsPort; }),
        address(row("metrics-bind", "ISOBAR_METRICS_BIND", "monitoring/metrics_bind", "address",
                    "Address of the scrape-only /metrics listener."),
                [](ServerConfig &c) -> QHostAddress & { return c.metricsBind; }),
        onOff(row("enable-upload", "ISOBAR_ENABLE_UPLOAD", "server/enable_upload", nullptr,
                  "Accept PUT /api/upload/ (isobar:admin only) to load CSV/JSON files."),
              [](ServerConfig &c) -> bool & { return c.uploadEnabled; }),
        text(row("dropoff", "ISOBAR_DROPOFF", "ingest/dropoff", "folder|url",
                 "Where the data team drops .csv/.json files to load: a folder, or "
                 "s3://bucket/prefix (endpoint, region and credentials from the AWS_* "
                 "variables). Each new file is loaded once, by one replica; none: off."),
             [](ServerConfig &c) -> QString & { return c.dropoff.location; }),
        integer<int>(row("dropoff-poll-ms", "ISOBAR_DROPOFF_POLL_MS", "ingest/dropoff_poll_ms",
                         "ms", "How often the drop-off is looked at for new files."),
                     100, kDaySeconds * 1000,
                     [](ServerConfig &c) -> int & { return c.dropoff.pollMs; }),
        integer<int>(row("dropoff-settle-ms", "ISOBAR_DROPOFF_SETTLE_MS",
                         "ingest/dropoff_settle_ms", "ms",
                         "A dropped file is read once its size and time have not changed for "
                         "this long (a folder; S3 shows only complete objects)."),
                     0, kDaySeconds * 1000,
                     [](ServerConfig &c) -> int & { return c.dropoff.settleMs; }),
        integer<qint64>(row("dropoff-max-file-bytes", "ISOBAR_DROPOFF_MAX_FILE_BYTES",
                            "ingest/dropoff_max_file_bytes", "bytes",
                            "Largest dropped file loaded; a larger one is rejected and kept."),
                        kKibibyte, qint64(64) << 30,
                        [](ServerConfig &c) -> qint64 & { return c.dropoff.maxFileBytes; }),
        url(row("redis-url", "ISOBAR_REDIS_URL", "fleet/redis_url", "url",
                "Redis the replicas share as their weather cache (redis://host:port/db); none: "
                "each replica caches alone."),
            [](ServerConfig &c) -> QUrl & { return c.redisUrl; }, true),
        text(row("redis-password-file", "ISOBAR_REDIS_PASSWORD_FILE", "fleet/redis_password_file",
                 "file", "File holding the Redis password (a mounted secret)."),
             [](ServerConfig &c) -> QString & { return c.redisPasswordFile; }),
        integer<int>(row("redis-timeout-ms", "ISOBAR_REDIS_TIMEOUT_MS", "fleet/redis_timeout_ms",
                         "ms",
                         "How long a Redis command may take; beyond it the replica answers "
                         "without the fleet (it calls upstream alone)."),
                     10, 60'000, [](ServerConfig &c) -> int & { return c.redisTimeoutMs; }),
        text(row("replica-id", "ISOBAR_REPLICA_ID", "fleet/replica_id", "name",
                 "This replica's name in the fleet (none: the host name, a pod's name)."),
             [](ServerConfig &c) -> QString & { return c.replicaId; }),
    };
    // clang-format on
    return settings;
}

const ServerSetting &ServerSettings::named(const char *flag)
{
    for (const ServerSetting &s : all()) {
        if (qstrcmp(s.flag, flag) == 0)
            return s;
    }
    qFatal("unknown setting %s", flag);
}

namespace {

// The rows `flags` names, in the table's order; all of them for an empty list.
QList<const ServerSetting *> selected(const QList<const char *> &flags)
{
    QList<const ServerSetting *> rows;
    for (const ServerSetting &s : ServerSettings::all()) {
        if (flags.isEmpty() || std::any_of(flags.begin(), flags.end(), [&s](const char *flag) {
                return qstrcmp(s.flag, flag) == 0;
            }))
            rows << &s;
    }
    if (!flags.isEmpty() && rows.size() != flags.size())
        qFatal("unknown setting among the %lld named", qlonglong(flags.size()));
    return rows;
}

} // namespace

void ServerSettings::addOptions(QCommandLineParser &parser, const QList<const char *> &flags)
{
    parser.addOption(QCommandLineOption(
        kConfigFlag, u"INI file with settings (env ISOBAR_CONFIG)."_s, u"file"_s));
    for (const ServerSetting *s : selected(flags)) {
        if (!s->valueName) {
            parser.addOption(QCommandLineOption(
                QLatin1String(s->flag), u"%1 [env %2]"_s.arg(QLatin1String(s->description),
                                                             QLatin1String(s->environment))));
            continue;
        }
        parser.addOption(QCommandLineOption(
            QLatin1String(s->flag),
            u"%1 [env %2, default %3]"_s.arg(QLatin1String(s->description),
                                             QLatin1String(s->environment), s->defaultText()),
            QLatin1String(s->valueName)));
    }
}

QString ServerSettings::apply(ServerConfig &config, const SettingSources &sources,
                              const QList<const char *> &flags)
{
    QString firstRefusal;
    for (const ServerSetting *s : selected(flags)) {
        const std::optional<SettingSources::Value> value = sources.find(*s);
        if (!value)
            continue;
        // A refused value leaves the field as it was; the others are still taken.
        if (const QString why = s->write(config, value->text);
            !why.isEmpty() && firstRefusal.isEmpty())
            firstRefusal = u"%1: '%2' %3 (from %4)"_s.arg(QLatin1String(s->flag), value->text, why,
                                                          value->source);
    }
    return firstRefusal;
}

void ServerSettings::save(const ServerConfig &config, QSettings &ini,
                          const QList<const char *> &flags)
{
    for (const ServerSetting *s : selected(flags))
        ini.setValue(QLatin1String(s->iniKey), s->read(config));
}

SettingSources SettingSources::commandLine(const QCommandLineParser &parser)
{
    SettingSources sources;
    sources.m_parser = &parser;
    sources.m_environment = true;
    const QString file = parser.isSet(kConfigFlag) ? parser.value(kConfigFlag)
                                                   : qEnvironmentVariable(kConfigEnvironment);
    if (!file.isEmpty()) {
        sources.m_ownIni = std::make_shared<QSettings>(file, QSettings::IniFormat);
        sources.m_ini = sources.m_ownIni.get();
    }
    return sources;
}

SettingSources SettingSources::environment()
{
    SettingSources sources;
    sources.m_environment = true;
    return sources;
}

SettingSources SettingSources::settingsFile(QSettings &ini)
{
    SettingSources sources;
    sources.m_ini = &ini;
    return sources;
}

std::optional<SettingSources::Value> SettingSources::find(const ServerSetting &setting) const
{
    const QLatin1String flag(setting.flag);
    if (m_parser && m_parser->optionNames().contains(flag) && m_parser->isSet(flag))
        return Value{setting.valueName ? m_parser->value(flag) : u"true"_s, u"--%1"_s.arg(flag)};
    if (m_environment && qEnvironmentVariableIsSet(setting.environment))
        return Value{qEnvironmentVariable(setting.environment), QLatin1String(setting.environment)};
    if (m_ini && m_ini->contains(QLatin1String(setting.iniKey))) {
        // QSettings reads an unquoted `a, b` in an INI file as a list, whose toString() is
        // empty: joined again, it is the text that was written.
        const QVariant value = m_ini->value(QLatin1String(setting.iniKey));
        return Value{value.typeId() == QMetaType::QStringList ? value.toStringList().join(u',')
                                                              : value.toString(),
                     u"%1 in %2"_s.arg(QLatin1String(setting.iniKey), m_ini->fileName())};
    }
    return std::nullopt;
}

} // namespace isobar
