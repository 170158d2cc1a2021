#pragma once

#include "ServerConfig.h"

#include <QSettings>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace isobar {

// The desktop's preferences, read from and written to QSettings in one place. Nothing secret is
// ever kept here: the AccuWeather key goes to the OS keychain (AccuWeatherKeyProvider) and a
// remote server's bearer token lives in memory only.
struct DesktopSettings {
    enum class AuthMode { None, Oidc };
    static constexpr int kMaxRecentDatabases = 8;

    QString databasePath;
    QStringList recentDatabases; // most recent first

    // The embedded server.
    QString bindAddress = QStringLiteral("127.0.0.1");
    quint16 port = 8080;
    AuthMode authMode = AuthMode::None;
    QUrl oidcIssuer;
    QString oidcAudience;
    bool startServerOnLaunch = false;
    bool keepServerInTray = false;

    // Weather (the embedded server's upstream and cache).
    QUrl accuWeatherUrl = QUrl(QStringLiteral("https://dataservice.accuweather.com"));
    int cellSizeMetres = 1000;
    int currentTtlSeconds = 600;
    int hourlyTtlSeconds = 1800;
    int dailyTtlSeconds = 6 * 3600;

    // The server the Operations page watches; empty means the embedded one.
    QUrl operationsServerUrl;

    static DesktopSettings load(QSettings &settings);
    void save(QSettings &settings) const;

    // Puts `path` first in the recent list (once), keeping at most kMaxRecentDatabases.
    void rememberDatabase(const QString &path);
    // Why these settings cannot run a server (naming the setting), or an empty string.
    QString problem() const;
    // The embedded server's configuration; the key is looked up by `accuWeatherKey` per call.
    // ISOBAR_PORT and ISOBAR_ACCUWEATHER_URL, when set, override the stored values.
    ServerConfig serverConfig(std::function<QString()> accuWeatherKey) const;

    // Where a first run keeps its database: the per-user application data folder.
    static QString defaultDatabasePath();
};

} // namespace isobar
