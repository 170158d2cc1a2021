#include "DesktopSettings.h"

#include "config/ServerSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// The server settings the desktop stores and its dialog edits, as rows of `serve`'s table.
const QList<const char *> kStoredSettings = {"database",
                                             "bind",
                                             "port",
                                             "no-auth",
                                             "oidc-issuer",
                                             "oidc-audience",
                                             "accuweather-url",
                                             "weather-cell-size",
                                             "weather-ttl-current",
                                             "weather-ttl-hourly",
                                             "weather-ttl-daily"};

// Keys of earlier versions, moved to `serve`'s keys the first time a file is read.
struct RenamedKey {
    const char *old;
    const char *setting;
};
const RenamedKey kRenamedKeys[] = {
    {"database/path", "database"},
    {"server/oidcIssuer", "oidc-issuer"},
    {"server/oidcAudience", "oidc-audience"},
    {"weather/accuWeatherUrl", "accuweather-url"},
    {"weather/cellSizeMetres", "weather-cell-size"},
    {"weather/ttlCurrent", "weather-ttl-current"},
    {"weather/ttlHourly", "weather-ttl-hourly"},
    {"weather/ttlDaily", "weather-ttl-daily"},
};
const QString kOldAuthKey = u"server/auth"_s; // "oidc" or "none"

// The keys the desktop keeps for itself.
const QString kRecentKey = u"database/recent"_s;
const QString kStartOnLaunchKey = u"server/startOnLaunch"_s;
const QString kKeepInTrayKey = u"server/keepInTray"_s;
const QString kOperationsServerKey = u"operations/serverUrl"_s;

QString iniKey(const char *setting)
{
    return QLatin1String(ServerSettings::named(setting).iniKey);
}

// A user's values survive the move; a value already under the new key wins.
void moveOldKeys(QSettings &settings)
{
    for (const auto &[old, setting] : kRenamedKeys) {
        const QString oldKey = QLatin1String(old);
        if (!settings.contains(oldKey))
            continue;
        if (!settings.contains(iniKey(setting)))
            settings.setValue(iniKey(setting), settings.value(oldKey));
        settings.remove(oldKey);
    }
    if (settings.contains(kOldAuthKey)) {
        if (!settings.contains(iniKey("no-auth")))
            settings.setValue(iniKey("no-auth"), settings.value(kOldAuthKey).toString() != u"oidc");
        settings.remove(kOldAuthKey);
    }
}

// `serve`'s defaults, but the store in the user's data folder and no token checks: a local
// tool for one analyst checks tokens only when asked to.
ServerConfig desktopDefaults()
{
    ServerConfig config;
    config.databasePath = DesktopSettings::defaultDatabasePath();
    config.auth.enabled = false;
    return config;
}

// What the dialog calls each stored setting, for its messages.
QString labelOf(const char *setting)
{
    static const QHash<QByteArray, QString> labels = {
        {"database", u"Database"_s},
        {"bind", u"Bind address"_s},
        {"port", u"Port"_s},
        {"no-auth", u"Authentication"_s},
        {"oidc-issuer", u"OIDC issuer"_s},
        {"oidc-audience", u"OIDC audience"_s},
        {"accuweather-url", u"AccuWeather URL"_s},
        {"weather-cell-size", u"Cell size"_s},
        {"weather-ttl-current", u"Current conditions TTL"_s},
        {"weather-ttl-hourly", u"Hourly forecast TTL"_s},
        {"weather-ttl-daily", u"Daily forecast TTL"_s},
    };
    return labels.value(setting);
}

} // namespace

DesktopSettings::DesktopSettings()
{
    takeServer(desktopDefaults());
}

QString DesktopSettings::defaultDatabasePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(u"isobar.db"_s);
}

void DesktopSettings::takeServer(const ServerConfig &config)
{
    databasePath = config.databasePath;
    bindAddress = config.bind.toString();
    port = config.port;
    authMode = config.auth.enabled ? AuthMode::Oidc : AuthMode::None;
    oidcIssuer = config.auth.issuer;
    oidcAudience = config.auth.audience;
    accuWeatherUrl = config.upstream.baseUrl;
    cellSizeMetres = int(config.weather.cellSizeMetres);
    currentTtlSeconds = int(config.weather.currentTtlSeconds);
    hourlyTtlSeconds = int(config.weather.hourlyTtlSeconds);
    dailyTtlSeconds = int(config.weather.dailyTtlSeconds);
}

ServerConfig DesktopSettings::storedServer(QString *problem) const
{
    // Through the table's rows, so the dialog's values are checked exactly as `serve` checks
    // the same values in its flags or files.
    ServerConfig config = desktopDefaults();
    const std::pair<const char *, QString> values[] = {
        {"database", databasePath},
        {"bind", bindAddress},
        {"port", QString::number(port)},
        {"no-auth", authMode == AuthMode::None ? u"true"_s : u"false"_s},
        {"oidc-issuer", oidcIssuer.toString()},
        {"oidc-audience", oidcAudience},
        {"accuweather-url", accuWeatherUrl.toString()},
        {"weather-cell-size", QString::number(cellSizeMetres)},
        {"weather-ttl-current", QString::number(currentTtlSeconds)},
        {"weather-ttl-hourly", QString::number(hourlyTtlSeconds)},
        {"weather-ttl-daily", QString::number(dailyTtlSeconds)},
    };
    for (const auto &[setting, text] : values) {
        const QString why = ServerSettings::named(setting).write(config, text);
        if (!why.isEmpty() && problem->isEmpty())
            *problem = u"%1: '%2' %3"_s.arg(labelOf(setting), text, why);
    }
    return config;
}

ServerConfig DesktopSettings::runServer(QString *problem) const
{
    ServerConfig config = storedServer(problem);
    QList<const char *> overridable;
    for (const ServerSetting &setting : ServerSettings::all()) {
        if (qstrcmp(setting.flag, "database") != 0)
            overridable << setting.flag;
    }
    // For this run only: nothing of the environment is written back.
    const QString refused =
        ServerSettings::apply(config, SettingSources::environment(), overridable);
    if (problem->isEmpty())
        *problem = refused;
    return config;
}

DesktopSettings DesktopSettings::load(QSettings &settings)
{
    moveOldKeys(settings);
    DesktopSettings s;
    ServerConfig config = desktopDefaults();
    s.storedProblem =
        ServerSettings::apply(config, SettingSources::settingsFile(settings), kStoredSettings);
    s.takeServer(config);

    s.recentDatabases = settings.value(kRecentKey).toStringList();
    while (s.recentDatabases.size() > kMaxRecentDatabases)
        s.recentDatabases.removeLast();
    s.startServerOnLaunch = settings.value(kStartOnLaunchKey, false).toBool();
    s.keepServerInTray = settings.value(kKeepInTrayKey, false).toBool();
    s.operationsServerUrl = QUrl(settings.value(kOperationsServerKey).toString());
    return s;
}

void DesktopSettings::save(QSettings &settings) const
{
    QString refused; // the dialog accepts no refused value; a default stands in for one
    ServerSettings::save(storedServer(&refused), settings, kStoredSettings);
    settings.setValue(kRecentKey, recentDatabases);
    settings.setValue(kStartOnLaunchKey, startServerOnLaunch);
    settings.setValue(kKeepInTrayKey, keepServerInTray);
    settings.setValue(kOperationsServerKey, operationsServerUrl.toString());
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
    if (!storedProblem.isEmpty())
        return storedProblem;
    if (databasePath.isEmpty())
        return u"Database: no file chosen"_s;
    QString problem;
    runServer(&problem);
    if (problem.isEmpty() && authMode == AuthMode::Oidc
        && (!oidcIssuer.isValid() || oidcIssuer.scheme().isEmpty()))
        problem = u"OIDC issuer: an issuer URL is needed when tokens are checked"_s;
    return problem;
}

ServerConfig DesktopSettings::serverConfig(std::function<QString()> accuWeatherKey) const
{
    QString problem; // problem() reports it; the stored value stands in meanwhile
    ServerConfig config = runServer(&problem);
    config.accuWeatherKey = std::move(accuWeatherKey);
    return config;
}

} // namespace isobar
