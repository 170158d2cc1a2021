#pragma once

#include "RequestStats.h"
#include "auth/RateLimiter.h"
#include "http/HttpLimits.h"
#include "ingest/DropoffPoint.h"
#include "metrics/PublicTimeseriesApi.h"
#include "monitoring/RequestRecorder.h"
#include "weather/AccuWeatherClient.h"
#include "weather/WeatherCache.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QSysInfo>
#include <QUrl>
#include <functional>

namespace isobar {

using namespace Qt::StringLiterals;

// Who may call: tokens from an OpenID Connect provider, or nobody checked (--no-auth).
struct AuthConfig {
    bool enabled = true;
    QUrl issuer;
    QString audience;
    QUrl jwksUrl; // skips discovery when set
    QStringList algorithms{u"RS256"_s, u"ES256"_s};
    int leewaySeconds = 60;
    int jwksRefreshSeconds = 3600;
    int jwksMinRefreshGapSeconds = 30;
    int maxCachedTokens = 100'000;
    // The desktop's credential for its own embedded server, so that its Operations page reads
    // the stats without a token from the provider: random per start, accepted with every
    // scope as subject "desktop" (Authenticator::trustLocalToken). Never read from settings
    // or the environment, never logged; `isobar serve` leaves it empty.
    QByteArray localAdminToken;
};

// How log events reach stdout/stderr: Qt's text lines, or one JSON object per event on stdout
// for a log shipper (JsonLogWriter).
enum class LogFormat { Text, Json };

// Everything `isobar serve` (and the desktop's embedded server) is configured with.
struct ServerConfig {
    QHostAddress bind = QHostAddress::LocalHost;
    quint16 port = 8080;
    // After SIGTERM: /readyz answers 503 at once, requests are still served this long (while
    // load balancers take the replica out), then open connections drain and the process exits.
    int shutdownDelayMs = 0;
    LogFormat logFormat = LogFormat::Text;
    bool accessLog = false; // one log event per request answered
    QString databasePath = u"isobar.db"_s;
    // Where UKHSA's public API is served: its default path, or "/" when serving it alone.
    QString publicApiMount = QString::fromLatin1(PublicTimeseriesApi::kDefaultMount);
    HttpLimits http;
    int queryThreads = 0; // 0: one per core
    int maxQueuedQueries = 256;
    int queryTimeoutMs = 10'000; // on PostgreSQL: QueryRunner
    int maxPlots = 10;
    int maxRowsPerRequest = 200'000;
    int responseCacheEntries = 10'000;
    qint64 responseCacheBytes = qint64(64) * 1024 * 1024;
    int dataVersionPollMs = 1000; // --store-poll-ms
    AccuWeatherClient::Options upstream;
    WeatherCache::Options weather;
    // Ops monitoring: every request recorded (unless off), stats served, /metrics also on a
    // scrape-only port when metricsPort is set.
    bool captureRequests = true;
    // Count and record monitoring clients' marked stats reads (MonitoringReads.h) too.
    bool recordMonitoring = false;
    RequestRecorder::Options recorder;
    RequestStats::Options stats;
    quint16 metricsPort = 0;
    QHostAddress metricsBind = QHostAddress::LocalHost;
    // Charts: drawn on the GUI thread one at a time; this many may wait, more get 503.
    int maxQueuedRenders = 64;
    // The bytes bound is what holds the memory; the entries bound is set above the distinct
    // charts of a busy board (its series, each in the widths and types its pages ask for):
    // below it, charts asked for in turn evict one another and are drawn again and again.
    int chartCacheEntries = 4000;
    qint64 chartCacheBytes = qint64(64) * 1024 * 1024;
    AuthConfig auth;
    RateLimiter::Options rateLimit;
    QStringList corsOrigins; // none by default: browsers on other origins are refused
    bool uploadEnabled = false;
    int maxQueuedUploads = 4;
    DropoffPoint::Options dropoff; // off without a location
    // The fleet: a Redis the replicas share (none: this replica caches alone), and this
    // replica's name in it (none: the host name).
    QUrl redisUrl;
    QString redisPasswordFile;
    int redisTimeoutMs = 200;
    QString replicaId;
    // Where the AccuWeather key comes from at call time (never logged, never echoed).
    std::function<QString()> accuWeatherKey;

    // This replica's name in the fleet: replicaId, else the host's (a pod's) name.
    QString replicaName() const
    {
        return replicaId.isEmpty() ? QSysInfo::machineHostName() : replicaId;
    }
};

} // namespace isobar
