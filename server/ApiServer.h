#pragma once

#include "RequestPipeline.h"
#include "ServerConfig.h"
#include "api/QueryRunner.h"
#include "auth/Authenticator.h"
#include "auth/OidcKeyProvider.h"
#include "auth/RateLimiter.h"
#include "cache/FleetRateLimit.h"
#include "cache/RedisClient.h"
#include "cache/SharedWeatherCache.h"
#include "charts/ChartsApi.h"
#include "charts/RenderQueue.h"
#include "http/HttpServer.h"
#include "ingest/DropoffPoint.h"
#include "ingest/IngestRunsApi.h"
#include "ingest/UploadApi.h"
#include "metrics/BulkDownloadsApi.h"
#include "metrics/DualCategoryApi.h"
#include "metrics/GeographiesApi.h"
#include "metrics/MapsApi.h"
#include "metrics/MetricsApi.h"
#include "metrics/SubplotApi.h"
#include "metrics/WeatherAlertsApi.h"
#include "monitoring/AudienceCounters.h"
#include "monitoring/PrometheusExposition.h"
#include "monitoring/ReplicaProbes.h"
#include "monitoring/RequestRecorder.h"
#include "monitoring/StatsApi.h"
#include "monitoring/TrafficCounters.h"
#include "weather/WatchApi.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace isobar {

class MetricsDatabase;
class WeatherLocationStore;

// The whole API as one object: the listening server, its route table, and the services the
// routes use. `isobar serve` and the desktop both run exactly this.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(ServerConfig config, QObject *parent = nullptr);
    ~ApiServer() override;

    // Opens (and migrates) the store, registers routes, listens. False with errorString().
    bool start();
    // Turns /readyz to 503, keeps answering for --shutdown-delay-ms, then stops accepting,
    // answers what is in flight, and emits stopped(). Once is enough; later calls change nothing.
    void stop();

    quint16 port() const { return m_http.port(); }
    QString url() const;
    QString errorString() const { return m_error; }
    const Router &router() const { return m_http.router(); }
    // The scrape-only listener's port (--metrics-port), 0 when there is none.
    quint16 prometheusPort() const { return m_prometheusHttp ? m_prometheusHttp->port() : 0; }

Q_SIGNALS:
    void stopped();

private:
    bool startAuth();
    bool startFleet();
    QJsonObject fleetHealth() const;
    QJsonObject dropoffHealth() const;
    void collectPrometheusFamilies();
    // Re-reads the store's data version now (after an upload, say).
    void refreshDataVersion();
    // NOTIFY from other replicas' ingests, on PostgreSQL.
    void listenForIngests();
    // Opens the server's own connection again once PostgreSQL dropped it; false (and logged)
    // while the store is still away.
    bool reopenLostStore();
    void registerSystemRoutes();
    // GET /health: 503 when the store cannot be read, "degraded" when a shared part is away.
    QFuture<HttpResponse> health();
    QJsonObject authHealth() const;
    void observe(const HttpRequest &request, const HttpResponse &response, qint64 micros);
    void logAccess(const HttpRequest &request, const HttpResponse &response, const QString &route,
                   qint64 micros) const;
    void drain();

    ServerConfig m_config;
    HttpServer m_http;
    std::unique_ptr<MetricsDatabase> m_database; // the writer connection; it also migrates
    std::unique_ptr<QueryRunner> m_runner;
    std::unique_ptr<ResponseCache> m_cache;
    std::unique_ptr<MetricsApi> m_metrics;
    std::unique_ptr<PublicTimeseriesApi> m_publicApi;
    std::unique_ptr<GeographiesApi> m_geographies;
    std::unique_ptr<MapsApi> m_maps;
    std::unique_ptr<WeatherAlertsApi> m_weatherAlerts;
    std::unique_ptr<SubplotApi> m_subplots;
    std::unique_ptr<BulkDownloadsApi> m_bulkDownloads;
    std::unique_ptr<DualCategoryApi> m_dualCategory;
    QTimer m_dataVersionPoll;
    bool m_reconnecting = false; // the lost store connection waits for a probe's answer
    std::unique_ptr<WeatherLocationStore> m_locations;
    std::unique_ptr<AccuWeatherClient> m_upstream;
    std::unique_ptr<WeatherCache> m_weather;
    std::unique_ptr<RedisClient> m_redis; // null without --redis-url
    std::unique_ptr<SharedWeatherCache> m_fleet;
    std::unique_ptr<FleetRateLimit> m_fleetRateLimit; // the per-caller limit, fleet-wide
    std::unique_ptr<WatchApi> m_watch;
    std::unique_ptr<UploadApi> m_upload;
    std::unique_ptr<DropoffPoint> m_dropoff; // null without --dropoff
    std::unique_ptr<IngestRunsApi> m_ingestRuns;
    std::unique_ptr<OidcKeyProvider> m_signingKeys;
    QFuture<void> m_firstKeyFetch;
    std::unique_ptr<ReplicaProbes> m_probes;
    QTimer m_shutdownDelay;
    bool m_stopping = false;
    std::unique_ptr<Authenticator> m_authenticator;
    std::unique_ptr<RateLimiter> m_limiter;
    std::unique_ptr<RequestPipeline> m_pipeline;
    std::unique_ptr<RequestRecorder> m_recorder;
    TrafficCounters m_traffic;
    AudienceCounters m_audience;
    std::unique_ptr<StatsApi> m_stats;
    PrometheusExposition m_prometheus;
    std::unique_ptr<HttpServer> m_prometheusHttp;
    // Lives on the GUI thread (docs/CHARTS.md), so it is handed back there to be deleted.
    std::unique_ptr<RenderQueue, void (*)(RenderQueue *)> m_renders{
        nullptr, [](RenderQueue *q) { q->deleteLater(); }};
    std::unique_ptr<ResponseCache> m_chartCache;
    std::unique_ptr<ChartsApi> m_charts;
    QString m_error;
};

} // namespace isobar
