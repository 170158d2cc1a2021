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
        {"port", "ISOBAR_PORT", "server/port", "port", "8080", "TCP port to listen on (0: any free port)."},
        {"max-header-bytes", "ISOBAR_MAX_HEADER_BYTES", "limits/max_header_bytes", "bytes", "16384",
         "Largest request line plus headers; larger requests get 413."},
        {"max-body-bytes", "ISOBAR_MAX_BODY_BYTES", "limits/max_body_bytes", "bytes", "1048576",
         "Largest request body; larger bodies get 413 before they are read."},
        {"request-timeout-ms", "ISOBAR_REQUEST_TIMEOUT_MS", "limits/request_timeout_ms", "ms", "10000",
         "Time a client has to send a whole request; slower ones get 408."},
        {"idle-timeout-ms", "ISOBAR_IDLE_TIMEOUT_MS", "limits/idle_timeout_ms", "ms", "30000",
         "Keep-alive connections idle this long are closed."},
        {"max-pipelined", "ISOBAR_MAX_PIPELINED", "limits/max_pipelined", "count", "16",
         "Requests read ahead of their responses on one connection."},
        {"max-connections", "ISOBAR_MAX_CONNECTIONS", "limits/max_connections", "count", "2048",
         "Open connections; further ones get 503."},
        {"query-threads", "ISOBAR_QUERY_THREADS", "limits/query_threads", "count", "0",
         "Threads running store queries (0: one per core)."},
        {"max-queued-queries", "ISOBAR_MAX_QUEUED_QUERIES", "limits/max_queued_queries", "count", "256",
         "Queries waiting for a thread; beyond it requests get 503 with Retry-After."},
        {"max-plots", "ISOBAR_MAX_PLOTS", "limits/max_plots", "count", "10", "Plots in one tables/downloads request."},
        {"max-rows", "ISOBAR_MAX_ROWS", "limits/max_rows", "count", "200000",
         "Points one plot may return; larger selections get 400."},
        {"response-cache-entries", "ISOBAR_RESPONSE_CACHE_ENTRIES", "cache/response_entries", "count",
         "10000", "Metrics answers kept for repeated requests (0: no cache)."},
        {"response-cache-bytes", "ISOBAR_RESPONSE_CACHE_BYTES", "cache/response_bytes", "bytes",
         "67108864", "Memory the cached answers may take."},
    };
    return specs;
}

void Settings::addOptions(QCommandLineParser &parser, const QList<SettingSpec> &specs)
{
    parser.addOption(QCommandLineOption(QStringLiteral("config"),
                                        QStringLiteral("INI file with settings (env ISOBAR_CONFIG)."),
                                        QStringLiteral("file")));
    for (const SettingSpec &s : specs) {
        parser.addOption(QCommandLineOption(
            QLatin1String(s.flag),
            QStringLiteral("%1 [env %2, default %3]")
                .arg(QLatin1String(s.description), QLatin1String(s.environment), QLatin1String(s.defaultValue)),
            QLatin1String(s.valueName)));
    }
}

Settings::Settings(const QCommandLineParser &parser)
    : m_parser(parser)
{
    m_configFile = parser.isSet(QStringLiteral("config")) ? parser.value(QStringLiteral("config"))
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
        return m_parser.value(QLatin1String(flag));
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
    if (!m_configFile.isEmpty() && QSettings(m_configFile, QSettings::IniFormat).contains(QLatin1String(s->iniKey)))
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

} // namespace isobar
