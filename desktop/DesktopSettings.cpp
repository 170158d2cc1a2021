#include "DesktopSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QStandardPaths>

namespace isobar {

namespace {

// Reads an integer setting, keeping `fallback` when the stored value is not a number in range
// (a hand-edited file must not start a server on port 0 or with a zero TTL).
int boundedInteger(const QSettings &settings, const QString &key, int fallback, int minimum,
                   int maximum)
{
    bool ok = false;
    const int value = settings.value(key, fallback).toInt(&ok);
    return ok && value >= minimum && value <= maximum ? value : fallback;
}

} // namespace

QString DesktopSettings::defaultDatabasePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("isobar.db"));
}

DesktopSettings DesktopSettings::load(QSettings &settings)
{
    DesktopSettings s;
    s.databasePath = settings.value(u"database/path"_qs, defaultDatabasePath()).toString();
    s.recentDatabases = settings.value(u"database/recent"_qs).toStringList();
    while (s.recentDatabases.size() > kMaxRecentDatabases)
        s.recentDatabases.removeLast();

    s.bindAddress = settings.value(u"server/bind"_qs, s.bindAddress).toString();
    s.port = quint16(boundedInteger(settings, u"server/port"_qs, s.port, 1, 65535));
    s.authMode =
        settings.value(u"server/auth"_qs).toString() == u"oidc" ? AuthMode::Oidc : AuthMode::None;
    s.oidcIssuer = QUrl(settings.value(u"server/oidcIssuer"_qs).toString());
    s.oidcAudience = settings.value(u"server/oidcAudience"_qs).toString();
    s.startServerOnLaunch = settings.value(u"server/startOnLaunch"_qs, false).toBool();
    s.keepServerInTray = settings.value(u"server/keepInTray"_qs, false).toBool();

    const QUrl upstream(settings.value(u"weather/accuWeatherUrl"_qs).toString());
    if (upstream.isValid() && !upstream.scheme().isEmpty())
        s.accuWeatherUrl = upstream;
    s.cellSizeMetres =
        boundedInteger(settings, u"weather/cellSizeMetres"_qs, s.cellSizeMetres, 10, 1'000'000);
    s.currentTtlSeconds =
        boundedInteger(settings, u"weather/ttlCurrent"_qs, s.currentTtlSeconds, 1, 7 * 86400);
    s.hourlyTtlSeconds =
        boundedInteger(settings, u"weather/ttlHourly"_qs, s.hourlyTtlSeconds, 1, 7 * 86400);
    s.dailyTtlSeconds =
        boundedInteger(settings, u"weather/ttlDaily"_qs, s.dailyTtlSeconds, 1, 30 * 86400);

    s.operationsServerUrl = QUrl(settings.value(u"operations/serverUrl"_qs).toString());
    return s;
}

void DesktopSettings::save(QSettings &settings) const
{
    settings.setValue(u"database/path"_qs, databasePath);
    settings.setValue(u"database/recent"_qs, recentDatabases);
    settings.setValue(u"server/bind"_qs, bindAddress);
    settings.setValue(u"server/port"_qs, port);
    settings.setValue(u"server/auth"_qs,
                      authMode == AuthMode::Oidc ? QStringLiteral("oidc") : QStringLiteral("none"));
    settings.setValue(u"server/oidcIssuer"_qs, oidcIssuer.toString());
    settings.setValue(u"server/oidcAudience"_qs, oidcAudience);
    settings.setValue(u"server/startOnLaunch"_qs, startServerOnLaunch);
    settings.setValue(u"server/keepInTray"_qs, keepServerInTray);
    settings.setValue(u"weather/accuWeatherUrl"_qs, accuWeatherUrl.toString());
    settings.setValue(u"weather/cellSizeMetres"_qs, cellSizeMetres);
    settings.setValue(u"weather/ttlCurrent"_qs, currentTtlSeconds);
    settings.setValue(u"weather/ttlHourly"_qs, hourlyTtlSeconds);
    settings.setValue(u"weather/ttlDaily"_qs, dailyTtlSeconds);
    settings.setValue(u"operations/serverUrl"_qs, operationsServerUrl.toString());
}

void DesktopSettings::rememberDatabase(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recentDatabases.removeAll(absolute);
    recentDatabases.prepend(absolute);
    while (recentDatabases.size() > kMaxRecentDatabases)
        recentDatabases.removeLast();
}

QString DesktopSettings::problem() const
{
    if (QHostAddress(bindAddress).isNull())
        return QStringLiteral("Bind address: '%1' is not an IP address").arg(bindAddress);
    if (!accuWeatherUrl.isValid() || accuWeatherUrl.scheme().isEmpty())
        return QStringLiteral("AccuWeather URL: '%1' is not a URL").arg(accuWeatherUrl.toString());
    if (authMode == AuthMode::Oidc && (!oidcIssuer.isValid() || oidcIssuer.scheme().isEmpty()))
        return QStringLiteral("OIDC issuer: an issuer URL is needed when tokens are checked");
    if (databasePath.isEmpty())
        return QStringLiteral("Database: no file chosen");
    return {};
}

ServerConfig DesktopSettings::serverConfig(std::function<QString()> accuWeatherKey) const
{
    ServerConfig config;
    config.bind = QHostAddress(bindAddress);
    config.port = port;
    config.databasePath = databasePath;
    config.upstream.baseUrl = accuWeatherUrl;
    // As for `isobar serve`, the environment wins over the settings file (a demo, a sandbox),
    // for this run only: nothing of it is written back.
    if (const QUrl url(qEnvironmentVariable("ISOBAR_ACCUWEATHER_URL"));
        url.isValid() && !url.scheme().isEmpty())
        config.upstream.baseUrl = url;
    if (const int envPort = qEnvironmentVariableIntValue("ISOBAR_PORT");
        envPort > 0 && envPort < 65536)
        config.port = quint16(envPort);
    config.weather.cellSizeMetres = cellSizeMetres;
    config.weather.currentTtlSeconds = currentTtlSeconds;
    config.weather.hourlyTtlSeconds = hourlyTtlSeconds;
    config.weather.dailyTtlSeconds = dailyTtlSeconds;
    config.auth.enabled = authMode == AuthMode::Oidc;
    config.auth.issuer = oidcIssuer;
    config.auth.audience = oidcAudience;
    config.accuWeatherKey = std::move(accuWeatherKey);
    return config;
}

} // namespace isobar
