#include "Settings.h"

#include <QSettings>
#include <QThread>

namespace isobar {

namespace {
const QByteArray kConfigEnvironment = "ISOBAR_CONFIG";
}

const QList<SettingSpec> &Settings::serveSpecs()
{
    static const QList<SettingSpec> specs = {
        {"database", "ISOBAR_DATABASE", "storage/database", "file", "isobar.db",
         "SQLite file of the metrics store (created if missing)."},
        {"bind", "ISOBAR_BIND", "server/bind", "address", "127.0.0.1",
         "Address to listen on (0.0.0.0 for all interfaces)."},
        {"port", "ISOBAR_PORT", "server/port", "port", "8080",
         "TCP port to listen on (0: any free port)."},
        {"max-header-bytes", "ISOBAR_MAX_HEADER_BYTES", "limits/max_header_bytes", "bytes", "16384",
         "Largest request line plus headers; larger requests get 413."},
        {"max-body-bytes", "ISOBAR_MAX_BODY_BYTES", "limits/max_body_bytes", "bytes", "1048576",
         "Largest request body; larger bodies get 413 before they are read."},
        {"request-timeout-ms", "ISOBAR_REQUEST_TIMEOUT_MS", "limits/request_timeout_ms", "ms",
         "10000", "Time a client has to send a whole request; slower ones get 408."},
        {"idle-timeout-ms", "ISOBAR_IDLE_TIMEOUT_MS", "limits/idle_timeout_ms", "ms", "30000",
         "Keep-alive connections idle this long are closed."},
        {"first-byte-timeout-ms", "ISOBAR_FIRST_BYTE_TIMEOUT_MS", "limits/first_byte_timeout_ms",
         "ms", "10000", "New connections that have not begun a request by then are closed."},
        {"max-pipelined", "ISOBAR_MAX_PIPELINED", "limits/max_pipelined", "count", "16",
         "Requests read ahead of their responses on one connection."},
        {"max-connections", "ISOBAR_MAX_CONNECTIONS", "limits/max_connections", "count", "2048",
         "Open connections; further ones get 503."},
        {"max-connections-per-address", "ISOBAR_MAX_CONNECTIONS_PER_ADDRESS",
         "limits/max_connections_per_address", "count", "128",
         "Open connections from one client address (IPv6: one /64); further ones get 503."},
        {"listen-backlog", "ISOBAR_LISTEN_BACKLOG", "limits/listen_backlog", "count", "1024",
         "Connections the kernel queues until they are accepted (capped by net.core.somaxconn)."},
        {"query-threads", "ISOBAR_QUERY_THREADS", "limits/query_threads", "count", "0",
         "Threads running store queries (0: one per core)."},
        {"max-queued-queries", "ISOBAR_MAX_QUEUED_QUERIES", "limits/max_queued_queries", "count",
         "256", "Queries waiting for a thread; beyond it requests get 503 with Retry-After."},
        {"max-plots", "ISOBAR_MAX_PLOTS", "limits/max_plots", "count", "10",
         "Plots in one tables/downloads request."},
        {"max-rows", "ISOBAR_MAX_ROWS", "limits/max_rows", "count", "200000",
         "Points one plot may return; larger selections get 400."},
        {"response-cache-entries", "ISOBAR_RESPONSE_CACHE_ENTRIES", "cache/response_entries",
         "count", "10000", "Metrics answers kept for repeated requests (0: no cache)."},
        {"accuweather-url", "ISOBAR_ACCUWEATHER_URL", "weather/accuweather_url", "url",
         "https://dataservice.accuweather.com",
         "AccuWeather API base URL (the sandbox's for offline runs)."},
        {"accuweather-key-placement", "ISOBAR_ACCUWEATHER_KEY_PLACEMENT", "weather/key_placement",
         "bearer|query", "bearer",
         "Send the key as 'Authorization: Bearer' or as the legacy apikey parameter."},
        {"accuweather-timeout-ms", "ISOBAR_ACCUWEATHER_TIMEOUT_MS", "weather/timeout_ms", "ms",
         "5000", "Time one upstream call may take; then 504 (or stale data)."},
        {"accuweather-max-concurrent", "ISOBAR_ACCUWEATHER_MAX_CONCURRENT",
         "weather/max_concurrent", "count", "8",
         "Upstream calls in flight at once; more wait in a queue."},
        {"accuweather-max-queued", "ISOBAR_ACCUWEATHER_MAX_QUEUED", "weather/max_queued", "count",
         "2000", "Upstream calls waiting; beyond it: 503."},
        {"accuweather-daily-budget", "ISOBAR_ACCUWEATHER_DAILY_BUDGET", "weather/daily_budget",
         "calls", "0",
         "Upstream calls allowed per UTC day (0: no limit); when spent, no more calls."},
        {"weather-cell-size", "ISOBAR_WEATHER_CELL_SIZE", "weather/cell_size_m", "metres", "1000",
         "Width of the cells positions are rounded to; one cell, one answer."},
        {"weather-ttl-current", "ISOBAR_WEATHER_TTL_CURRENT", "weather/ttl_current_s", "seconds",
         "600", "How long current conditions stay fresh (upstream Expires wins when sooner)."},
        {"weather-ttl-hourly", "ISOBAR_WEATHER_TTL_HOURLY", "weather/ttl_hourly_s", "seconds",
         "1800", "How long hourly forecasts stay fresh."},
        {"weather-ttl-daily", "ISOBAR_WEATHER_TTL_DAILY", "weather/ttl_daily_s", "seconds", "21600",
         "How long daily forecasts stay fresh."},
        {"weather-max-stale", "ISOBAR_WEATHER_MAX_STALE", "weather/max_stale_s", "seconds", "21600",
         "Oldest answer served while the upstream fails; older: 502/503/504."},
        {"weather-cache-entries", "ISOBAR_WEATHER_CACHE_ENTRIES", "weather/cache_entries", "count",
         "50000", "Weather documents kept in memory (least recently used go first)."},
        {"response-cache-bytes", "ISOBAR_RESPONSE_CACHE_BYTES", "cache/response_bytes", "bytes",
         "67108864", "Memory the cached answers may take."},
        {"oidc-issuer", "ISOBAR_OIDC_ISSUER", "auth/oidc_issuer", "url", "",
         "OpenID Connect issuer whose access tokens are accepted (https; http only on loopback)."},
        {"oidc-audience", "ISOBAR_OIDC_AUDIENCE", "auth/oidc_audience", "audience", "",
         "Audience tokens must name in 'aud' (this API's identifier at the provider)."},
        {"oidc-jwks-url", "ISOBAR_OIDC_JWKS_URL", "auth/oidc_jwks_url", "url", "",
         "Signing keys URL; skips discovery of {issuer}/.well-known/openid-configuration."},
        {"oidc-algorithms", "ISOBAR_OIDC_ALGORITHMS", "auth/oidc_algorithms", "list", "RS256,ES256",
         "Token signature algorithms accepted (comma-separated allow-list)."},
        {"oidc-leeway", "ISOBAR_OIDC_LEEWAY", "auth/oidc_leeway_s", "seconds", "60",
         "Clock skew allowed when checking exp, nbf and iat."},
        {"oidc-jwks-refresh", "ISOBAR_OIDC_JWKS_REFRESH", "auth/oidc_jwks_refresh_s", "seconds",
         "3600",
         "How often signing keys are fetched again (also on an unknown kid, at most every 30 s)."},
        {"no-auth", "ISOBAR_NO_AUTH", "auth/no_auth", nullptr, "false",
         "Development only: check no tokens, every route open (warned at start and in /health)."},
        {"rate-limit", "ISOBAR_RATE_LIMIT", "limits/rate_per_second", "requests", "20",
         "Requests per second per caller (token subject, else client address); 0: no limit."},
        {"rate-burst", "ISOBAR_RATE_BURST", "limits/rate_burst", "requests", "40",
         "Requests a caller may send at once before the rate limit applies; excess gets 429."},
        {"cors-origins", "ISOBAR_CORS_ORIGINS", "server/cors_origins", "list", "",
         "Web origins allowed to call from a browser (comma-separated, * for any); none by "
         "default."},
        {"max-queued-renders", "ISOBAR_MAX_QUEUED_RENDERS", "limits/max_queued_renders", "count",
         "64", "Charts waiting to be drawn; beyond it chart requests get 503 with Retry-After."},
        {"chart-cache-entries", "ISOBAR_CHART_CACHE_ENTRIES", "cache/chart_entries", "count",
         "1000", "Rendered charts kept for identical requests (0: none); new data empties it."},
        {"chart-cache-bytes", "ISOBAR_CHART_CACHE_BYTES", "cache/chart_bytes", "bytes", "67108864",
         "Memory the rendered charts may take."},
        {"request-log", "ISOBAR_REQUEST_LOG", "monitoring/request_log", "true|false", "true",
         "Record every request for the stats API (false: only the live /metrics counters)."},
        {"request-queue", "ISOBAR_REQUEST_QUEUE", "monitoring/queue", "events", "100000",
         "Request events waiting for the log writer; beyond it they are dropped (and counted)."},
        {"request-retention-days", "ISOBAR_REQUEST_RETENTION_DAYS", "monitoring/raw_retention_days",
         "days", "7", "How long single request events are kept."},
        {"rollup-retention-days", "ISOBAR_ROLLUP_RETENTION_DAYS",
         "monitoring/rollup_retention_days", "days", "400",
         "How long the hourly roll-ups behind the stats API are kept."},
        {"no-go-percent", "ISOBAR_NO_GO_PERCENT", "monitoring/no_go_percent", "percent", "80",
         "Share of 2xx answers under which the stats summary flags a no-go."},
        {"latency-objective-ms", "ISOBAR_LATENCY_OBJECTIVE_MS", "monitoring/latency_objective_ms",
         "ms", "200", "Response-time objective per endpoint in the stats summary."},
        {"metrics-port", "ISOBAR_METRICS_PORT", "monitoring/metrics_port", "port", "0",
         "Also serve /metrics, without tokens, on this port for scrapers (0: only on the API "
         "port)."},
        {"metrics-bind", "ISOBAR_METRICS_BIND", "monitoring/metrics_bind", "address", "127.0.0.1",
         "Address of the scrape-only /metrics listener."},
        {"enable-upload", "ISOBAR_ENABLE_UPLOAD", "server/enable_upload", nullptr, "false",
         "Accept PUT /api/upload/ (isobar:admin only) to load CSV/JSON files."},
    };
    return specs;
}

void Settings::addOptions(QCommandLineParser &parser, const QList<SettingSpec> &specs)
{
    parser.addOption(QCommandLineOption(
        QStringLiteral("config"), QStringLiteral("INI file with settings (env ISOBAR_CONFIG)."),
        QStringLiteral("file")));
    for (const SettingSpec &s : specs) {
        if (!s.valueName) {
            parser.addOption(
                QCommandLineOption(QLatin1String(s.flag), QStringLiteral("%1 [env %2]")
                                                              .arg(QLatin1String(s.description),
                                                                   QLatin1String(s.environment))));
            continue;
        }
        parser.addOption(
            QCommandLineOption(QLatin1String(s.flag),
                               QStringLiteral("%1 [env %2, default %3]")
                                   .arg(QLatin1String(s.description), QLatin1String(s.environment),
                                        QLatin1String(s.defaultValue)),
                               QLatin1String(s.valueName)));
    }
}

Settings::Settings(const QCommandLineParser &parser)
    : m_parser(parser)
{
    m_configFile = parser.isSet(QStringLiteral("config"))
                       ? parser.value(QStringLiteral("config"))
                       : qEnvironmentVariable(kConfigEnvironment);
}

const SettingSpec *Settings::spec(const char *flag) const
{
    for (const SettingSpec &s : serveSpecs()) {
        if (qstrcmp(s.flag, flag) == 0)
            return &s;
    }
    qFatal("unknown setting %s", flag);
}

QString Settings::text(const char *flag) const
{
    const SettingSpec *s = spec(flag);
    if (m_parser.isSet(QLatin1String(flag)))
        return s->valueName ? m_parser.value(QLatin1String(flag)) : QStringLiteral("true");
    if (qEnvironmentVariableIsSet(s->environment))
        return qEnvironmentVariable(s->environment);
    if (!m_configFile.isEmpty()) {
        const QSettings ini(m_configFile, QSettings::IniFormat);
        if (ini.contains(QLatin1String(s->iniKey)))
            return ini.value(QLatin1String(s->iniKey)).toString();
    }
    return QLatin1String(s->defaultValue);
}

QString Settings::source(const char *flag) const
{
    const SettingSpec *s = spec(flag);
    if (m_parser.isSet(QLatin1String(flag)))
        return QStringLiteral("--%1").arg(QLatin1String(flag));
    if (qEnvironmentVariableIsSet(s->environment))
        return QLatin1String(s->environment);
    if (!m_configFile.isEmpty()
        && QSettings(m_configFile, QSettings::IniFormat).contains(QLatin1String(s->iniKey)))
        return QStringLiteral("%1 in %2").arg(QLatin1String(s->iniKey), m_configFile);
    return QStringLiteral("default");
}

qint64 Settings::integer(const char *flag, qint64 minimum, qint64 maximum)
{
    const QString value = text(flag);
    bool ok = false;
    const qint64 number = value.toLongLong(&ok);
    if (!ok || number < minimum || number > maximum) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: '%2' must be a whole number from %3 to %4 (from %5)")
                          .arg(QLatin1String(flag), value)
                          .arg(minimum)
                          .arg(maximum)
                          .arg(source(flag));
        return minimum;
    }
    return number;
}

bool Settings::enabled(const char *flag)
{
    const QString value = text(flag).trimmed().toLower();
    if (value == u"true" || value == u"yes" || value == u"on" || value == u"1")
        return true;
    if (value == u"false" || value == u"no" || value == u"off" || value == u"0" || value.isEmpty())
        return false;
    if (m_error.isEmpty())
        m_error = QStringLiteral("%1: '%2' must be true or false (from %3)")
                      .arg(QLatin1String(flag), value, source(flag));
    return false;
}

} // namespace isobar
