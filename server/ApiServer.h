#pragma once

#include "ServerConfig.h"
#include "http/HttpServer.h"
#include "metrics/MetricsApi.h"
#include "metrics/QueryRunner.h"
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
    // Stops accepting, answers what is in flight, then emits stopped().
    void stop();

    quint16 port() const { return m_http.port(); }
    QString url() const;
    QString errorString() const { return m_error; }
    const Router &router() const { return m_http.router(); }
    MetricsApi *metricsApi() { return m_metrics.get(); }
    ResponseCache *responseCache() { return m_cache.get(); }
    WeatherCache *weatherCache() { return m_weather.get(); }
    AccuWeatherClient *upstream() { return m_upstream.get(); }
    // Re-reads the store's data version now (after an in-process ingest, say).
    void refreshDataVersion();

Q_SIGNALS:
    void stopped();

private:
    void registerSystemRoutes();

    ServerConfig m_config;
    HttpServer m_http;
    std::unique_ptr<MetricsDatabase> m_database; // the writer connection; it also migrates
    std::unique_ptr<QueryRunner> m_runner;
    std::unique_ptr<ResponseCache> m_cache;
    std::unique_ptr<MetricsApi> m_metrics;
    QTimer m_dataVersionPoll;
    std::unique_ptr<WeatherLocationStore> m_locations;
    std::unique_ptr<AccuWeatherClient> m_upstream;
    std::unique_ptr<WeatherCache> m_weather;
    std::unique_ptr<WatchApi> m_watch;
    QString m_error;
};

} // namespace isobar
