#include "ApiServer.h"

#include "MetricsDatabase.h"
#include "MetricsQuery.h"
#include "PostgresqlDeadline.h"
#include "SchemaMigrations.h"
#include "StoreError.h"
#include "WeatherLocationStore.h"
#include "metrics/UkhsaWire.h"
#include "monitoring/CallerNames.h"
#include "monitoring/LogFormat.h"
#include "monitoring/MonitoringReads.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlQuery>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcServer, "isobar.server")
Q_LOGGING_CATEGORY(lcAccess, "isobar.access")

} // namespace

ApiServer::ApiServer(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_http(m_config.http)
{
    connect(&m_http, &HttpServer::drained, this, [this] {
        m_dropoff.reset(); // a file being loaded is rolled back, to be taken again later
        m_runner.reset();  // waits for running queries
        if (m_recorder)
            m_recorder->stop(); // writes what is still queued
        // Statements go before their connection: a PostgreSQL one deallocates itself on the
        // server, through a connection that must still be there.
        if (m_weather)
            m_weather->useStore(nullptr);
        m_locations.reset();
        if (m_database)
            m_database->close();
        Q_EMIT stopped();
    });
}

ApiServer::~ApiServer() = default;

bool ApiServer::start()
{
    m_database = std::make_unique<MetricsDatabase>();
    if (!m_database->open(m_config.databasePath)) {
        m_error = m_database->errorString();
        return false;
    }
    m_runner = std::make_unique<QueryRunner>(m_config.databasePath, m_config.queryThreads,
                                             m_config.maxQueuedQueries, m_config.queryTimeoutMs);
    MetricsApi::Options options;
    options.maxPlots = m_config.maxPlots;
    options.maxRowsPerRequest = m_config.maxRowsPerRequest;
    m_cache = std::make_unique<ResponseCache>(
        ResponseCache::Limits{m_config.responseCacheEntries, m_config.responseCacheBytes});
    m_metrics = std::make_unique<MetricsApi>(*m_runner, options, m_cache.get());
    m_publicApi =
        std::make_unique<PublicTimeseriesApi>(*m_runner, m_config.publicApiMount, m_cache.get());
    m_geographies = std::make_unique<GeographiesApi>(*m_runner, m_cache.get());
    m_maps = std::make_unique<MapsApi>(*m_runner, m_config.maxRowsPerRequest, m_cache.get());
    m_weatherAlerts = std::make_unique<WeatherAlertsApi>(*m_runner);
    m_subplots = std::make_unique<SubplotApi>(
        *m_runner, SubplotApi::Limits{m_config.maxPlots, m_config.maxRowsPerRequest},
        m_cache.get());
    m_bulkDownloads = std::make_unique<BulkDownloadsApi>(*m_runner, m_config.maxRowsPerRequest);
    m_dualCategory = std::make_unique<DualCategoryApi>(
        *m_runner, DualCategoryApi::Limits{m_config.maxPlots, m_config.maxRowsPerRequest},
        m_cache.get());
    refreshDataVersion();
    connect(&m_dataVersionPoll, &QTimer::timeout, this, &ApiServer::refreshDataVersion);
    m_dataVersionPoll.start(m_config.dataVersionPollMs);
    listenForIngests();

    if (!startAuth())
        return false;

    m_locations = std::make_unique<WeatherLocationStore>(m_database->connection());
    m_upstream = std::make_unique<AccuWeatherClient>(m_config.upstream, m_config.accuWeatherKey);
    m_weather = std::make_unique<WeatherCache>(m_config.weather, *m_upstream, m_locations.get());
    if (!startFleet())
        return false;
    m_watch = std::make_unique<WatchApi>(*m_weather, m_config.publicApiMount != u"/");
    m_upload = std::make_unique<UploadApi>(
        m_config.databasePath,
        UploadApi::Options{m_config.uploadEnabled, m_config.maxQueuedUploads},
        [this] { refreshDataVersion(); });
    if (!m_config.dropoff.location.isEmpty()) {
        m_dropoff = std::make_unique<DropoffPoint>(m_config.databasePath, m_config.dropoff,
                                                   m_config.replicaName(),
                                                   [this] { refreshDataVersion(); });
        QString error;
        if (!m_dropoff->start(&error)) {
            m_error = u"dropoff: "_s + error;
            return false;
        }
    }
    m_ingestRuns = std::make_unique<IngestRunsApi>(*m_runner, [this] { return dropoffHealth(); });

    if (m_config.captureRequests)
        m_recorder = std::make_unique<RequestRecorder>(m_config.databasePath, m_config.recorder,
                                                       m_config.replicaName());
    RequestStats::Options stats = m_config.stats;
    stats.minutesKeptMs = qint64(m_config.recorder.minuteRetentionDays) * kDayMs;
    m_stats = std::make_unique<StatsApi>(*m_runner, stats);
    m_http.setObserver([this](const HttpRequest &request, const HttpResponse &response,
                              qint64 micros) { observe(request, response, micros); });

    m_renders.reset(new RenderQueue(m_config.maxQueuedRenders));
    if (QCoreApplication::instance())
        m_renders->moveToThread(QCoreApplication::instance()->thread());
    m_chartCache = std::make_unique<ResponseCache>(
        ResponseCache::Limits{m_config.chartCacheEntries, m_config.chartCacheBytes});
    m_charts = std::make_unique<ChartsApi>(
        *m_runner, *m_renders, m_chartCache.get(),
        ChartsApi::Limits{m_config.maxPlots, m_config.maxRowsPerRequest});

    ReplicaProbes::Checks checks;
    checks.storeProblem = [this] { return m_runner->storeProblem(); };
    checks.signingKeysProblem = [this] {
        return !m_signingKeys || m_signingKeys->stats().keys > 0
                   ? QString()
                   : u"no signing keys from the OpenID Connect provider yet"_s;
    };
    checks.keysTried = [this] { return !m_signingKeys || m_firstKeyFetch.isFinished(); };
    m_probes = std::make_unique<ReplicaProbes>(std::move(checks));
    m_probes->registerRoutes(m_http.router());
    registerSystemRoutes();
    m_charts->registerRoutes(m_http.router());
    m_stats->registerRoutes(m_http.router());
    m_metrics->registerRoutes(m_http.router());
    m_publicApi->registerRoutes(m_http.router());
    m_geographies->registerRoutes(m_http.router());
    m_maps->registerRoutes(m_http.router());
    m_weatherAlerts->registerRoutes(m_http.router());
    m_subplots->registerRoutes(m_http.router());
    m_bulkDownloads->registerRoutes(m_http.router());
    m_dualCategory->registerRoutes(m_http.router());
    m_watch->registerRoutes(m_http.router());
    m_upload->registerRoutes(m_http.router());
    m_ingestRuns->registerRoutes(m_http.router());

    m_limiter = std::make_unique<RateLimiter>(m_config.rateLimit);
    if (m_fleetRateLimit && m_limiter->enabled())
        m_limiter->shareAcrossFleet([fleet = m_fleetRateLimit.get()](const QString &caller) {
            return fleet->count(caller);
        });
    collectPrometheusFamilies();
    m_prometheus.registerRoute(m_http.router());
    m_pipeline = std::make_unique<RequestPipeline>(m_http.router(), m_authenticator.get(),
                                                   *m_limiter, CorsPolicy(m_config.corsOrigins));
    m_http.setDispatcher([pipeline = m_pipeline.get()](const HttpRequest &request) {
        return pipeline->handle(request);
    });

    if (!m_http.listen(m_config.bind, m_config.port)) {
        m_error = u"cannot listen on %1:%2: %3"_s.arg(m_config.bind.toString())
                      .arg(m_config.port)
                      .arg(m_http.errorString());
        return false;
    }
    if (m_config.metricsPort) {
        // Scrapers get /metrics alone on their own port (localhost by default), without tokens.
        m_prometheusHttp = std::make_unique<HttpServer>(m_config.http);
        m_prometheus.registerRoute(m_prometheusHttp->router());
        if (!m_prometheusHttp->listen(m_config.metricsBind, m_config.metricsPort)) {
            m_error =
                u"cannot listen for metrics on %1:%2: %3"_s.arg(m_config.metricsBind.toString())
                    .arg(m_config.metricsPort)
                    .arg(m_prometheusHttp->errorString());
            return false;
        }
    }
    qCInfo(lcServer).noquote() << "event=listening url=" + url();
    return true;
}

bool ApiServer::startAuth()
{
    const AuthConfig &auth = m_config.auth;
    if (!auth.enabled) {
        qCWarning(lcServer).noquote() << "event=auth_disabled warning=\"--no-auth: every route is "
                                         "open to anyone who can reach this port\"";
        return true;
    }
    QString why;
    if (auth.issuer.isEmpty()) {
        m_error = u"no OpenID Connect issuer: set --oidc-issuer (ISOBAR_OIDC_ISSUER), "
                  "or --no-auth to run without token checks (development only)"_s;
        return false;
    }
    if (!OidcKeyProvider::isAcceptableUrl(auth.issuer, &why)
        || (!auth.jwksUrl.isEmpty() && !OidcKeyProvider::isAcceptableUrl(auth.jwksUrl, &why))) {
        m_error = u"OpenID Connect: %1"_s.arg(why);
        return false;
    }
    if (auth.audience.isEmpty()) {
        m_error = u"no token audience: set --oidc-audience (ISOBAR_OIDC_AUDIENCE) to the "
                  "audience your provider puts in access tokens for this API"_s;
        return false;
    }
    const QStringList supported = JwtVerifier::supportedAlgorithms();
    if (auth.algorithms.isEmpty()) {
        m_error =
            u"--oidc-algorithms: the list is empty (supported: %1)"_s.arg(supported.join(u", "));
        return false;
    }
    for (const QString &algorithm : auth.algorithms) {
        if (!supported.contains(algorithm)) {
            m_error = u"--oidc-algorithms: '%1' is not supported (supported: %2)"_s.arg(
                algorithm, supported.join(u", "));
            return false;
        }
    }
    OidcKeyProvider::Options keys;
    keys.issuer = auth.issuer;
    keys.jwksUrl = auth.jwksUrl;
    keys.refreshIntervalSeconds = auth.jwksRefreshSeconds;
    keys.minRefreshGapSeconds = auth.jwksMinRefreshGapSeconds;
    m_signingKeys = std::make_unique<OidcKeyProvider>(keys);
    TokenRequirements requirements;
    requirements.issuer = auth.issuer.toString();
    requirements.audience = auth.audience;
    requirements.algorithms = auth.algorithms;
    requirements.leewaySeconds = auth.leewaySeconds;
    m_authenticator = std::make_unique<Authenticator>(JwtVerifier(requirements), *m_signingKeys,
                                                      auth.maxCachedTokens);
    if (!auth.localAdminToken.isEmpty())
        m_authenticator->trustLocalToken(auth.localAdminToken, u"desktop"_s);
    // Keys arrive in the background: until then tokens are refused, never waited for.
    m_firstKeyFetch = m_signingKeys->start();
    return true;
}

bool ApiServer::startFleet()
{
    if (m_config.redisUrl.isEmpty())
        return true;
    if (const QString problem = RedisClient::checkUrl(m_config.redisUrl); !problem.isEmpty()) {
        m_error = u"--redis-url: %1"_s.arg(problem);
        return false;
    }
    RedisClient::Options redis;
    redis.url = m_config.redisUrl;
    redis.commandTimeoutMs = m_config.redisTimeoutMs;
    if (!m_config.redisPasswordFile.isEmpty()) {
        QFile secret(m_config.redisPasswordFile);
        if (!secret.open(QIODevice::ReadOnly)) {
            m_error = u"--redis-password-file: cannot read %1: %2"_s.arg(m_config.redisPasswordFile,
                                                                         secret.errorString());
            return false;
        }
        redis.password = secret.readAll().trimmed();
    }
    SharedWeatherCache::Options shared;
    shared.replicaId = m_config.replicaName().toUtf8();
    m_redis = std::make_unique<RedisClient>(redis);
    m_fleet = std::make_unique<SharedWeatherCache>(*m_redis, shared);
    m_weather->shareThrough(m_fleet.get());
    m_fleetRateLimit = std::make_unique<FleetRateLimit>(
        *m_redis, FleetRateLimit::Options{m_config.rateLimit.ratePerSecond,
                                          m_config.rateLimit.burst, "isobar:rate:"});
    m_upstream->shareBudget(
        [fleet = m_fleet.get()](qint64 day) { return fleet->spendBudget(day); });
    // In the background: until Redis answers, this replica serves from its own cache.
    m_redis->start();
    return true;
}

QJsonObject ApiServer::fleetHealth() const
{
    if (!m_redis)
        return QJsonObject{{u"redis"_s, u"off"_s}};
    const RedisClient::Stats redis = m_redis->stats();
    QJsonObject health{{u"redis"_s, redis.connected ? u"ok"_s : u"unavailable"_s}};
    if (!redis.connected)
        health.insert(u"error"_s, redis.lastError);
    return health;
}

QJsonObject ApiServer::dropoffHealth() const
{
    return m_dropoff ? m_dropoff->health() : QJsonObject{{u"status"_s, u"off"_s}};
}

QJsonObject ApiServer::authHealth() const
{
    if (!m_authenticator) {
        return QJsonObject{
            {u"mode"_s, u"disabled"_s},
            {u"warning"_s, u"--no-auth: tokens are not checked; every route is open"_s}};
    }
    const OidcKeyProvider::Stats keys = m_signingKeys->stats();
    QJsonObject health{{u"mode"_s, u"oidc"_s},
                       {u"issuer"_s, m_config.auth.issuer.toString()},
                       {u"signing_keys"_s, keys.keys},
                       {u"key_refreshes"_s, double(keys.refreshes)},
                       {u"key_refresh_failures"_s, double(keys.failures)}};
    // Only whether the last refresh failed: its reason (the provider's address, a TLS or
    // network error) is for the server's log, which has it, not for a public document.
    health.insert(u"last_refresh"_s, keys.lastError.isEmpty() ? u"ok"_s : u"failed"_s);
    return health;
}

void ApiServer::observe(const HttpRequest &request, const HttpResponse &response, qint64 micros)
{
    const ExchangeNotes &notes = response.notes;
    // 404s and the connection guard's refusals matched no route: they count as one endpoint.
    const QString route = notes.route.isEmpty() ? u"(unmatched)"_s : notes.route;
    if (m_config.accessLog)
        logAccess(request, response, route, micros);
    // A monitoring client's marked reads are logged, but left out of the stats they read.
    if (!m_config.recordMonitoring && isMonitoringRead(request, route))
        return;
    m_traffic.count(route, request.method, response.status, micros);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    m_audience.countCaller(notes.subject.isEmpty() ? request.peerText : notes.subject, nowMs);
    if (notes.hasCell)
        m_audience.countPosition(notes.cellLatitude, notes.cellLongitude);
    if (!m_recorder)
        return;
    RequestEvent event;
    event.timeMs = nowMs;
    event.method = request.method;
    event.route = route;
    event.status = response.status;
    event.durationUs = micros;
    event.responseBytes = response.body.size();
    // Without a verified subject: what a refused request presented; "anonymous" where tokens
    // are checked (a public route); the client's address where they are not.
    event.subject = !notes.subject.isEmpty()     ? notes.subject
                    : !notes.presented.isEmpty() ? notes.presented
                    : m_authenticator            ? QString::fromUtf16(CallerNames::kAnonymous)
                                                 : CallerNames::address(request.peerText);
    event.client = request.peerText;
    if (notes.hasCell)
        event.cell = CellBounds{notes.cellLatitude, notes.cellLongitude, notes.cellHalfLatitude,
                                notes.cellHalfLongitude};
    event.cacheOutcome = notes.cacheOutcome;
    m_recorder->record(std::move(event));
}

void ApiServer::logAccess(const HttpRequest &request, const HttpResponse &response,
                          const QString &route, qint64 micros) const
{
    // A proxy's id (nginx's $request_id, an ingress's) joins this line to the proxy's own; a
    // request without one gets one here. Only ids that are plainly ids are taken over.
    static const QRegularExpression kId(u"^[A-Za-z0-9._:-]{1,128}$"_s);
    QString id = QString::fromLatin1(request.header("x-request-id"));
    if (!kId.match(id).hasMatch())
        id = QString::number(QRandomGenerator::global()->generate64(), 16);
    const QString &subject = response.notes.subject;
    qCInfo(lcAccess).noquote().nospace()
        << "event=request request_id=" << id
        << " method=" << logformat::value(QString::fromLatin1(request.method))
        << " path=" << logformat::value(request.path) << " route=" << logformat::value(route)
        << " status=" << response.status
        << " duration_ms=" << QString::number(double(micros) / 1000, 'f', 3)
        << " bytes=" << response.body.size()
        << " user=" << logformat::value(subject.isEmpty() ? u"-"_s : subject)
        << " client=" << logformat::value(request.peerText);
}

void ApiServer::collectPrometheusFamilies()
{
    m_prometheus.add([this](PrometheusText &out) { m_probes->writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) { m_http.writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) { m_traffic.writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) {
        m_audience.writePrometheus(out, QDateTime::currentMSecsSinceEpoch());
    });
    m_prometheus.add([this](PrometheusText &out) { m_weather->writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) { m_upstream->writePrometheus(out); });
    if (m_authenticator) {
        m_prometheus.add([this](PrometheusText &out) {
            m_signingKeys->writePrometheus(out);
            m_authenticator->writePrometheus(out);
        });
    }
    m_prometheus.add([this](PrometheusText &out) { m_limiter->writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) { m_upload->writePrometheus(out); });
    if (m_dropoff)
        m_prometheus.add([this](PrometheusText &out) { m_dropoff->writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) { m_charts->writePrometheus(out); });
    m_prometheus.add([this](PrometheusText &out) {
        ResponseCache::writePrometheus(
            out, {{u"metrics"_s, m_cache.get()}, {u"charts"_s, m_chartCache.get()}});
    });
    if (m_recorder)
        m_prometheus.add([this](PrometheusText &out) { m_recorder->writePrometheus(out); });
    if (m_fleet)
        m_prometheus.add([this](PrometheusText &out) { m_fleet->writePrometheus(out); });
}

void ApiServer::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_probes)
        m_probes->setDraining();
    qCInfo(lcServer).noquote().nospace()
        << "event=shutting_down delay_ms=" << m_config.shutdownDelayMs;
    if (m_config.shutdownDelayMs <= 0)
        return drain();
    m_shutdownDelay.setSingleShot(true);
    connect(&m_shutdownDelay, &QTimer::timeout, this, &ApiServer::drain);
    m_shutdownDelay.start(m_config.shutdownDelayMs);
}

void ApiServer::drain()
{
    m_dataVersionPoll.stop();
    m_http.drain();
}

void ApiServer::listenForIngests()
{
    // Replicas on one PostgreSQL store hear of another's ingest as it commits; the poll stays
    // for a notification lost with a connection.
    if (QSqlDriver *driver = m_database->connection().driver();
        m_database->isPostgresql()
        && driver->subscribeToNotification(QLatin1String(MetricsDatabase::kDataChangedChannel)))
        connect(driver, &QSqlDriver::notification, this, &ApiServer::refreshDataVersion);
}

bool ApiServer::reopenLostStore()
{
    // Only PostgreSQL loses a connection (a restart, a failover, an idle timeout). What hangs
    // on it goes first: the location store's statements, then the listening.
    m_weather->useStore(nullptr);
    m_locations.reset();
    m_database->close();
    if (!m_database->open(m_config.databasePath)) {
        qCWarning(lcServer).noquote()
            << "event=store_connection_lost error=" << m_database->errorString();
        return false;
    }
    m_locations = std::make_unique<WeatherLocationStore>(m_database->connection());
    m_weather->useStore(m_locations.get());
    listenForIngests();
    qCInfo(lcServer).noquote() << "event=store_reconnected";
    return true;
}

void ApiServer::refreshDataVersion()
{
    if (!m_database)
        return;
    qint64 version = -1;
    if (m_database->isOpen()) {
        // On the event loop, which a silent store must not hold for long.
        const PostgresqlDeadline deadline(m_database->connection(),
                                          PostgresqlDeadline::kEventLoopTimeoutMs);
        version = m_database->dataVersion();
    }
    // The server's own connection, lost, is opened again while the server runs, so the poll
    // brings back what hangs on it. Not before the store answers a probe on the query runner's
    // thread: opening it here while the store is silent would hold every connection for
    // libpq's connect_timeout at each poll.
    if (version < 0 && m_dataVersionPoll.isActive() && m_database->isConnectionLost()
        && !m_reconnecting) {
        m_reconnecting = true;
        m_runner->storeProblem().then(this, [this](const QString &problem) {
            m_reconnecting = false;
            if (problem.isEmpty() && m_database->isConnectionLost() && reopenLostStore())
                refreshDataVersion();
        });
    }
    // -1 (unreadable) empties the caches too: nothing is served from a store that cannot be read.
    m_cache->setDataVersion(version);
    if (m_probes)
        m_probes->noteStore(version >= 0);
    if (m_chartCache)
        m_chartCache->setDataVersion(version); // new data, new charts
}

QString ApiServer::url() const
{
    QString host = m_config.bind.toString();
    if (m_config.bind == QHostAddress::Any || m_config.bind == QHostAddress::AnyIPv4
        || m_config.bind == QHostAddress::AnyIPv6)
        host = u"localhost"_s;
    else if (m_config.bind.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return u"http://%1:%2"_s.arg(host).arg(m_http.port());
}

QFuture<HttpResponse> ApiServer::health()
{
    const QString upstream = m_upstream->health();
    const QJsonObject auth = authHealth();
    const QJsonObject cache = fleetHealth();
    const QJsonObject dropoff = dropoffHealth();
    const QJsonObject requestLog =
        m_recorder ? m_recorder->health() : QJsonObject{{u"status"_s, u"off"_s}};
    // Without Redis the replica still answers (from its own cache), and without its drop-off it
    // still serves what was loaded: degraded but alive, so an orchestrator leaves it running.
    const bool degraded =
        (m_redis && !m_redis->isConnected())
        || (m_dropoff && m_dropoff->status().state == DropoffPoint::Status::State::Unavailable);
    return m_runner->storeProblem().then([=](const QString &problem) {
        QJsonObject database{{u"status"_s, problem.isEmpty() ? u"ok"_s : u"unavailable"_s},
                             {u"schema_version"_s, SchemaMigrations::latestVersion()}};
        if (!problem.isEmpty())
            database.insert(u"error"_s, problem);
        const bool storeOk = problem.isEmpty();
        return HttpResponse::json(
            QJsonObject{
                {u"status"_s, storeOk && !degraded ? u"ok"_s : u"degraded"_s},
                {u"version"_s, QString::fromUtf8(ISOBAR_VERSION)},
                {u"database"_s, database},
                {u"upstream"_s, QJsonObject{{u"accuweather"_s, upstream}}},
                {u"auth"_s, auth},
                {u"cache"_s, cache},
                {u"request_log"_s, requestLog},
                {u"dropoff"_s, dropoff},
            },
            storeOk ? 200 : 503);
    });
}

void ApiServer::registerSystemRoutes()
{
    Router &router = m_http.router();
    // UKHSA's probes answer with their status alone. "/health/" is UKHSA's, "/health" Isobar's.
    auto emptyAnswer = [](int status) {
        return UkhsaWire::viewAnswer(HttpResponse::bytes({}, "text/html; charset=utf-8", status));
    };
    router.add(
        "GET", RequestPipeline::kUkhsaLivenessRoute, u"UKHSA's liveness probe: 200, no body"_s,
        [emptyAnswer](const HttpRequest &, const RouteParams &) {
            return readyResponse(emptyAnswer(200));
        },
        TrailingSlash::Required);
    router.add("GET", RequestPipeline::kUkhsaReadinessRoute,
               u"UKHSA's readiness probe: 200 while the store answers, else 503; no body"_s,
               UkhsaWire::exactSlash(RequestPipeline::kUkhsaReadinessRoute,
                                     [this, emptyAnswer](const HttpRequest &, const RouteParams &) {
                                         return m_runner->storeProblem().then(
                                             [emptyAnswer](const QString &problem) {
                                                 return emptyAnswer(problem.isEmpty() ? 200 : 503);
                                             });
                                     }));
    UkhsaWire::refuseMethodsAsDrf(router, RequestPipeline::kUkhsaLivenessRoute);
    UkhsaWire::refuseMethodsAsDrf(router, RequestPipeline::kUkhsaReadinessRoute);
    router.add("GET", RequestPipeline::kHealthRoute, u"Liveness, version and store status"_s,
               [this](const HttpRequest &, const RouteParams &) { return health(); });
    router.add("GET", u"/openapi.json"_s, u"This API's OpenAPI 3 document"_s,
               [](const HttpRequest &, const RouteParams &) {
                   QFile file(u":/isobar/openapi.json"_s);
                   file.open(QIODevice::ReadOnly);
                   return readyResponse(HttpResponse::bytes(file.readAll(), "application/json"));
               });
}

} // namespace isobar
