#pragma once

#include "ServerConfig.h"

#include <QSettings>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace isobar {

// The desktop's preferences, read from and written to QSettings in one place. The embedded
// server's settings are those of `isobar serve` (ServerSettings): the same INI keys, ranges and
// defaults, except that the desktop's server checks no tokens unless told to. Nothing secret is
// ever kept here: the AccuWeather key goes to the OS keychain (AccuWeatherKeyProvider) and a
// remote server's bearer token lives in memory only.
struct DesktopSettings {
    enum class AuthMode { None, Oidc };
    static constexpr int kMaxRecentDatabases = 8;

    DesktopSettings();

    QString databasePath;
    QStringList recentDatabases; // most recent first

    // The embedded server.
    QString bindAddress;
    quint16 port;
    AuthMode authMode = AuthMode::None;
    QUrl oidcIssuer;
    QString oidcAudience;
    bool startServerOnLaunch = false;
    bool keepServerInTray = false;

    // Weather (the embedded server's upstream and cache).
    QUrl accuWeatherUrl;
    int cellSizeMetres;
    int currentTtlSeconds;
    int hourlyTtlSeconds;
    int dailyTtlSeconds;

    // The server the Operations page watches; empty means the embedded one.
    QUrl operationsServerUrl;

    // A stored value that was refused (naming the setting and the file): the default stands in.
    QString storedProblem;

    // Reads the file, first moving values from the keys of earlier versions to `serve`'s.
    static DesktopSettings load(QSettings &settings);
    void save(QSettings &settings) const;

    // Puts `path` first in the recent list (once), keeping at most kMaxRecentDatabases.
    void rememberDatabase(const QString &path);
    // Why these settings cannot run a server (naming the setting), or an empty string.
    QString problem() const;
    // The embedded server's configuration; the key is looked up by `accuWeatherKey` per call.
    // ISOBAR_* variables (all but ISOBAR_DATABASE: the window and its server share one store)
    // override the stored values for this run, as they do for `isobar serve`.
    ServerConfig serverConfig(std::function<QString()> accuWeatherKey) const;

    // Where a first run keeps its database: the per-user application data folder.
    static QString defaultDatabasePath();

private:
    // The stored values as the server's configuration; `problem` names a value it refuses.
    ServerConfig storedServer(QString *problem) const;
    void takeServer(const ServerConfig &config);
    // `serverConfig` with the problem of an ISOBAR_* variable it refused.
    ServerConfig runServer(QString *problem) const;
};

} // namespace isobar
