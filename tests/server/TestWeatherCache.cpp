#include "MetricsDatabase.h"
#include "WeatherLocationStore.h"
#include "weather/AccuWeatherClient.h"
#include "weather/AccuWeatherSandbox.h"
#include "weather/WatchApi.h"
#include "weather/WeatherCache.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

constexpr qint64 kMinute = 60'000;
constexpr int kBackgroundWorkMs = 30'000; // generous: a loaded machine is slow, never wrong
const QString kKey = u"sandbox-test-key-7f3a9c"_s;

// Spins the event loop until the future is done: the client, the cache and the sandbox all
// live on this thread, as they do in the server.
template <typename T> T await(QFuture<T> future, int timeoutMs = 60000)
{
    QElapsedTimer timer;
    timer.start();
    while (!future.isFinished() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    if (!future.isFinished())
        qFatal("future did not finish within %d ms", timeoutMs);
    return future.result();
}

QStringList g_logLines;
void captureLogs(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logLines << message;
}

} // namespace

class TestWeatherCache : public QObject
{
    Q_OBJECT
private:
    qint64 m_now = 1'700'000'000'000; // a fixed instant: tests move it by hand
    std::unique_ptr<AccuWeatherSandbox> m_sandbox;
    std::unique_ptr<AccuWeatherClient> m_client;
    std::unique_ptr<WeatherCache> m_cache;
    QString m_clientKey = kKey;

    void build(AccuWeatherClient::Options upstream = {}, WeatherCache::Options options = {},
               WeatherLocationStore *store = nullptr)
    {
        m_cache.reset();
        m_client.reset();
        upstream.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(m_sandbox->port()));
        upstream.retryBaseDelayMs = 10;
        m_client = std::make_unique<AccuWeatherClient>(
            upstream, [this] { return m_clientKey; }, [this] { return m_now; });
        m_cache =
            std::make_unique<WeatherCache>(options, *m_client, store, [this] { return m_now; });
    }
    WeatherAnswer current(double lat, double lon)
    {
        return await(
            m_cache->lookup(WeatherQuery{lat, lon, WeatherProduct::Current, true, {}}).toFuture());
    }
    // HTTP attempts the client has started. It counts one as it starts it, inside the lookup
    // that asked for it, so a call not counted right after a lookup was never made.
    qint64 attempts() const
    {
        qint64 total = 0;
        for (const AccuWeatherClient::EndpointStats &endpoint : m_client->stats().endpoints)
            total += endpoint.calls;
        return total;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<AccuWeatherSandbox>(kKey);
        QVERIFY(m_sandbox->listen(QHostAddress::LocalHost, 0));
        m_sandbox->setClock([this] { return m_now; });
        qInstallMessageHandler(captureLogs);
    }
    void init()
    {
        m_now += kMinute * 60 * 24; // a new day for every test: budgets and quotas start afresh
        m_clientKey = kKey;
        m_sandbox->setFaultPlan({});
        m_sandbox->resetCounts();
        build();
    }
    void cleanupTestCase()
    {
        qInstallMessageHandler(nullptr);
        // The key must not have reached any log line in any test.
        for (const QString &line : std::as_const(g_logLines))
            QVERIFY2(!line.contains(kKey), qPrintable(line));
        QVERIFY(!g_logLines.isEmpty());
    }

    void fiftyConcurrentRequestsMakeOneCall()
    {
        QList<QFuture<WeatherAnswer>> pending;
        for (int i = 0; i < 50; ++i)
            pending << m_cache
                           ->lookup(WeatherQuery{
                               48.8566 + i * 1e-6, 2.3522, WeatherProduct::Current, true, {}})
                           .toFuture();
        for (auto &future : pending) {
            const WeatherAnswer answer = await(future);
            QVERIFY2(answer.ok, qPrintable(answer.error.detail));
        }
        QCOMPARE(m_sandbox->calls("geoposition"), 1);
        QCOMPARE(m_sandbox->calls("current"), 1);
        QVERIFY(m_cache->stats().joinedFlights >= 49);
    }

    void neighbouringCellsShareOneLocationKey()
    {
        const WeatherAnswer a = current(51.5000, -0.1200);
        const WeatherAnswer b = current(51.5000, -0.1000); // ~1.4 km east: another cell, same town
        QVERIFY(a.ok && b.ok);
        QVERIFY(!(a.cell == b.cell));
        QCOMPARE(a.location.key, b.location.key);
        QCOMPARE(m_sandbox->calls("geoposition"), 2);
        QCOMPARE(m_sandbox->calls("current"), 1);
        QCOMPARE(b.outcome, CacheOutcome::Hit);
    }

    void ttlThenStaleWhileRevalidate()
    {
        QCOMPARE(current(40.4168, -3.7038).outcome, CacheOutcome::Miss);
        m_now += 5 * kMinute;
        const WeatherAnswer warm = current(40.4168, -3.7038);
        QCOMPARE(warm.outcome, CacheOutcome::Hit);
        QCOMPARE(warm.ageSeconds, 300);
        QCOMPARE(m_sandbox->calls("current"), 1);

        m_now += 6 * kMinute; // past the 10-minute TTL
        const WeatherAnswer stale = current(40.4168, -3.7038);
        QCOMPARE(stale.outcome, CacheOutcome::Stale);
        QCOMPARE(stale.ageSeconds, 660);
        QVERIFY(!stale.revalidationFailed);
        // One refresh runs in the background. The upstream counts it before the cache has
        // stored its answer: wait for the cache. Lookups meanwhile are stale and join it.
        QTRY_COMPARE_WITH_TIMEOUT(current(40.4168, -3.7038).outcome, CacheOutcome::Hit,
                                  kBackgroundWorkMs);
        QCOMPARE(m_sandbox->calls("current"), 2);
        const WeatherAnswer fresh = current(40.4168, -3.7038);
        QCOMPARE(fresh.outcome, CacheOutcome::Hit);
        QCOMPARE(fresh.ageSeconds, 0);
    }

    void watchBodiesFollowARefreshedDocument()
    {
        // /prcpt's body is made once per document (WatchApi keeps it): a refreshed document must
        // give a new body, not the first one again.
        WatchApi watch(*m_cache);
        Router router;
        watch.registerRoutes(router);
        HttpRequest request;
        request.method = "GET";
        request.path = u"/prcpt"_s;
        request.query = QUrlQuery(u"lt=-22.9068&lg=-43.1729"_s);
        auto body = [&] { return await(router.dispatch(request).toFuture()).body; };
        auto expected = [&](const WeatherAnswer &answer) {
            const QJsonObject observation = answer.document.object();
            const double vis = observation[u"Visibility"][u"Metric"][u"Value"].toDouble() * 1000;
            const double prcpt = observation[u"Precip1hr"][u"Metric"][u"Value"].toDouble() / 1000;
            return QJsonDocument(QJsonObject{{u"prcpt"_s, std::round(prcpt * 1e4) / 1e4},
                                             {u"vis"_s, std::round(vis * 1e4) / 1e4}})
                .toJson(QJsonDocument::Compact);
        };
        const QByteArray first = body();
        QCOMPARE(first, expected(current(-22.9068, -43.1729)));
        // Past the TTL, one refresh at a time, until the sandbox's weather has moved: each
        // refreshed document's body is its own.
        QByteArray refreshed = first;
        for (int step = 0; step < 72 && refreshed == first; ++step) {
            m_now += 20 * kMinute;
            QCOMPARE(current(-22.9068, -43.1729).outcome, CacheOutcome::Stale);
            QTRY_COMPARE_WITH_TIMEOUT(current(-22.9068, -43.1729).outcome, CacheOutcome::Hit,
                                      kBackgroundWorkMs);
            refreshed = expected(current(-22.9068, -43.1729));
            QCOMPARE(body(), refreshed);
        }
        QVERIFY2(refreshed != first, "the sandbox's weather did not change in a day");
    }

    void watchBodiesStayRightPastTheirBound()
    {
        // WatchApi keeps at most as many bodies as the cache has entries, then starts over:
        // the answer that crosses the bound is still whole.
        WeatherCache::Options options;
        options.maxEntries = 2;
        build({}, options);
        WatchApi watch(*m_cache);
        Router router;
        watch.registerRoutes(router);
        const QList<std::pair<double, double>> places = {
            {48.8566, 2.3522}, {35.6762, 139.6503}, {-33.8688, 151.2093}, {-12.0464, -77.0428}};
        for (const auto &[latitude, longitude] : places) {
            HttpRequest request;
            request.method = "GET";
            request.path = u"/uvidx"_s;
            request.query = QUrlQuery(u"lt=%1&lg=%2"_s.arg(latitude).arg(longitude));
            const HttpResponse response = await(router.dispatch(request).toFuture());
            QCOMPARE(response.status, 200);
            const int uv = current(latitude, longitude).document.object()[u"UVIndex"].toInt();
            QCOMPARE(response.body, "{\"uvidx\":" + QByteArray::number(uv) + '}');
        }
    }

    void forecastsHaveTheirOwnTtlAndUnits()
    {
        auto daily = [&](bool metric) {
            return await(
                m_cache->lookup(WeatherQuery{35.6762, 139.6503, WeatherProduct::Daily, metric, {}})
                    .toFuture());
        };
        QVERIFY(daily(true).ok);
        QVERIFY(daily(false).ok);
        QCOMPARE(m_sandbox->calls("daily"), 2); // metric and imperial are separate answers
        m_now += kMinute * 60 * 5;              // 5 h: still fresh for daily (6 h)
        QCOMPARE(daily(true).outcome, CacheOutcome::Hit);
        QCOMPARE(m_sandbox->calls("daily"), 2);
    }

    void upstreamExpiresShortensTheTtl()
    {
        WeatherCache::Options options;
        options.currentTtlSeconds = 3600; // longer than the sandbox's Expires (10 min)
        build({}, options);
        const WeatherAnswer answer = current(-33.8688, 151.2093);
        QVERIFY(answer.ok);
        QVERIFY2(answer.freshSeconds <= 600, qPrintable(QString::number(answer.freshSeconds)));
    }

    void upstreamExpiresOfTheSameLifetimeKeepsTheWholeTtl()
    {
        // The sandbox announces the same 10 minutes as the cache's TTL, but its Expires has
        // whole seconds: fetched at .700, it reads 700 ms shorter. That must not cost a call.
        m_now += 700;
        QCOMPARE(current(-23.5505, -46.6333).outcome, CacheOutcome::Miss);
        m_now += 10 * kMinute - 300;
        const WeatherAnswer answer = current(-23.5505, -46.6333);
        QCOMPARE(answer.outcome, CacheOutcome::Hit);
        QCOMPARE(attempts(), 2); // location and current: the hit started no refresh
        QCOMPARE(m_sandbox->calls("current"), 1);
    }

    void staleIsServedDuringAnOutageUpToTheLimit()
    {
        AccuWeatherClient::Options upstream;
        upstream.maxRetries = 1;
        build(upstream);
        QVERIFY(current(52.52, 13.405).ok);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::ServerError, 1.0, 0});
        m_now += 30 * kMinute;
        QCOMPARE(current(52.52, 13.405).outcome, CacheOutcome::Stale);
        // The refresh fails (after its retry); lookups meanwhile join it.
        QTRY_VERIFY_WITH_TIMEOUT(current(52.52, 13.405).revalidationFailed, kBackgroundWorkMs);
        const WeatherAnswer stale = current(52.52, 13.405);
        QCOMPARE(stale.outcome, CacheOutcome::Stale);
        QVERIFY(stale.revalidationFailed);
        QCOMPARE(stale.ageSeconds, 1800);
        const int callsDuringOutage = m_sandbox->calls("current");
        current(52.52, 13.405); // within the refresh back-off: no new call
        QCOMPARE(m_sandbox->calls("current"), callsDuringOutage);

        m_now += kMinute * 60 * 7; // beyond the 6-hour stale limit
        const WeatherAnswer gone = current(52.52, 13.405);
        QVERIFY(!gone.ok);
        QCOMPARE(gone.error.kind, UpstreamError::Kind::ServerError);
    }

    void quotaExhaustionBacksOff()
    {
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::QuotaExceeded, 1.0, 0});
        const WeatherAnswer refused = current(41.9028, 12.4964);
        QVERIFY(!refused.ok);
        QCOMPARE(refused.error.kind, UpstreamError::Kind::QuotaExceeded);
        QVERIFY(refused.retryAfterSeconds > 0);
        const int calls = m_sandbox->totalCalls();
        m_sandbox->setFaultPlan({});
        QVERIFY(!current(45.4642, 9.19).ok); // another city: still backing off, no call
        QCOMPARE(m_sandbox->totalCalls(), calls);
        QCOMPARE(m_client->health(), u"quota exhausted"_s);
        m_now += kMinute * 60 * 24; // the daily window has reset
        QVERIFY(current(45.4642, 9.19).ok);
    }

    void staleIsServedWhileTheQuotaIsExhausted()
    {
        QVERIFY(current(43.2965, 5.3698).ok);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::QuotaExceeded, 1.0, 0});
        m_now += 20 * kMinute;
        QCOMPARE(current(43.2965, 5.3698).outcome,
                 CacheOutcome::Stale); // its refresh hits the quota
        QTRY_VERIFY_WITH_TIMEOUT(m_client->health() == u"quota exhausted"_s, kBackgroundWorkMs);
        const int calls = m_sandbox->totalCalls();
        const qint64 attempted = attempts();
        m_now += 5 * kMinute; // past the refresh back-off, still within the quota window
        const WeatherAnswer stale = current(43.2965, 5.3698);
        QVERIFY(stale.ok);
        QCOMPARE(stale.outcome, CacheOutcome::Stale);
        QCOMPARE(stale.ageSeconds, 25 * 60);
        // The back-off holds every call, refreshes too: none was even attempted.
        QCOMPARE(attempts(), attempted);
        QCOMPARE(m_sandbox->totalCalls(), calls);
    }

    void cellsOfOneAreaShareOneForecastCall()
    {
        // 50 watches in one town, in different cells, all asking at once: one geoposition call
        // per cell, but one forecast call for the town's location key.
        QList<QFuture<WeatherAnswer>> pending;
        QSet<QString> cells;
        for (int i = 0; i < 50; ++i) {
            const double latitude = 52.2297 + (i % 5) * 0.009;
            const double longitude = 21.0122 + (i / 5 % 3) * 0.014;
            cells << GridCell::locate(latitude, longitude, 1000).id();
            pending << m_cache
                           ->lookup(
                               WeatherQuery{latitude, longitude, WeatherProduct::Hourly, true, {}})
                           .toFuture();
        }
        QSet<QString> keys;
        for (auto &future : pending) {
            const WeatherAnswer answer = await(future);
            QVERIFY2(answer.ok, qPrintable(answer.error.detail));
            QCOMPARE(answer.document.array().size(), 12);
            keys << answer.location.key;
        }
        QCOMPARE(keys.size(), 1);
        QCOMPARE(m_sandbox->calls("geoposition"), int(cells.size()));
        QCOMPARE(m_sandbox->calls("hourly"), 1);
    }

    void keyNeverLeaksWhenItTravelsInTheUrl()
    {
        AccuWeatherClient::Options upstream;
        upstream.keyPlacement = AccuWeatherClient::KeyPlacement::QueryParameter;
        upstream.maxRetries = 0;
        upstream.timeoutMs = 300;
        build(upstream);
        const qsizetype logsBefore = g_logLines.size();
        QList<WeatherAnswer> answers;
        for (const auto fault :
             {AccuWeatherSandbox::Fault::ServerError, AccuWeatherSandbox::Fault::Reset,
              AccuWeatherSandbox::Fault::Malformed, AccuWeatherSandbox::Fault::Delay}) {
            m_sandbox->setFaultPlan({fault, 1.0, 2000});
            answers << current(-1.2921, 36.8219);
        }
        m_sandbox->setFaultPlan({});
        m_clientKey = kKey + u"-revoked"_s;
        answers << current(-1.2921, 36.8219);
        QCOMPARE(answers.size(), 5);
        for (const WeatherAnswer &answer : std::as_const(answers)) {
            QVERIFY(!answer.ok);
            QVERIFY2(!answer.error.detail.contains(kKey), qPrintable(answer.error.detail));
        }
        QVERIFY(g_logLines.size() > logsBefore);
        for (qsizetype i = logsBefore; i < g_logLines.size(); ++i)
            QVERIFY2(!g_logLines[i].contains(kKey), qPrintable(g_logLines[i]));
    }

    void rateLimitIsAShortBackOff()
    {
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::TooManyRequests, 1.0, 0});
        QCOMPARE(current(59.3293, 18.0686).error.kind, UpstreamError::Kind::QuotaExceeded);
        m_sandbox->setFaultPlan({});
        m_now += kMinute;
        QVERIFY(current(59.3293, 18.0686).ok);
    }

    void dailyBudgetIsNeverExceeded()
    {
        AccuWeatherClient::Options upstream;
        upstream.dailyBudget = 3;
        build(upstream);
        QVERIFY(current(50.0755, 14.4378).ok);  // 2 calls: location + current
        QVERIFY(!current(47.4979, 19.0402).ok); // 1 call (location), then the budget is spent
        const WeatherAnswer spent = current(48.2082, 16.3738);
        QCOMPARE(spent.error.kind, UpstreamError::Kind::BudgetSpent);
        QVERIFY(spent.retryAfterSeconds > 0 && spent.retryAfterSeconds <= 86'400);
        QCOMPARE(m_sandbox->totalCalls(), 3);
        QCOMPARE(m_client->stats().budgetLeft, 0);
        m_now += kMinute * 60 * 24;
        QVERIFY(current(48.2082, 16.3738).ok);
    }

    void malformedJsonIsAnUpstreamError()
    {
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::Malformed, 1.0, 0});
        const WeatherAnswer answer = current(55.6761, 12.5683);
        QVERIFY(!answer.ok);
        QCOMPARE(answer.error.kind, UpstreamError::Kind::BadResponse);
        QCOMPARE(m_cache->stats().entries, 0);
    }

    void slowUpstreamTimesOut()
    {
        AccuWeatherClient::Options upstream;
        upstream.timeoutMs = 300;
        build(upstream);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::Delay, 1.0, 3000});
        // Timeout, not the answer the sandbox sends after 3 s: the client gave up first. How
        // soon is a measurement for bench/, not an assertion a loaded machine could fail.
        const WeatherAnswer answer = current(60.1699, 24.9384);
        QCOMPARE(answer.error.kind, UpstreamError::Kind::Timeout);
    }

    void connectionResetIsRetriedThenReported()
    {
        AccuWeatherClient::Options upstream;
        upstream.maxRetries = 2;
        build(upstream);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::Reset, 1.0, 0});
        const WeatherAnswer answer = current(38.7223, -9.1393);
        QCOMPARE(answer.error.kind, UpstreamError::Kind::Network);
        const auto geoposition = int(AccuWeatherClient::Endpoint::Geoposition);
        QCOMPARE(m_client->stats().endpoints[geoposition].calls, 3); // first try and two retries
        QCOMPARE(m_client->stats().retries, 2);
        // Qt's HTTP stack may itself resend a request once when the connection drops before
        // any answer, so the upstream can see up to two requests per attempt, never more.
        QVERIFY(m_sandbox->calls("geoposition") >= 3 && m_sandbox->calls("geoposition") <= 6);
        QCOMPARE(m_sandbox->calls("current"), 0);
    }

    void badKeyIsNotRetried()
    {
        m_clientKey = u"wrong-key"_s;
        const WeatherAnswer answer = current(53.3498, -6.2603);
        QCOMPARE(answer.error.kind, UpstreamError::Kind::Unauthorized);
        QCOMPARE(m_sandbox->totalCalls(), 1);
        QCOMPARE(m_client->health(), u"key rejected by upstream"_s);
        QVERIFY(!answer.error.detail.contains(kKey) && !answer.error.detail.contains("wrong-key"));
    }

    void keyCanTravelAsQueryParameter()
    {
        AccuWeatherClient::Options upstream;
        upstream.keyPlacement = AccuWeatherClient::KeyPlacement::QueryParameter;
        build(upstream);
        QVERIFY(current(37.9838, 23.7275).ok);
    }

    void locationKeysSurviveARestart()
    {
        QTemporaryDir dir;
        MetricsDatabase db;
        QVERIFY(db.open(dir.filePath("weather.db")));
        WeatherLocationStore store(db.connection());
        build({}, {}, &store);
        QVERIFY(current(-34.6037, -58.3816).ok);
        QCOMPARE(store.count(), 1);
        build({}, {}, &store); // a new process, the same store
        m_sandbox->resetCounts();
        QVERIFY(current(-34.6037, -58.3816).ok);
        QCOMPARE(m_sandbox->calls("geoposition"), 0);
        QCOMPARE(m_sandbox->calls("current"), 1);
    }

    void memoryIsBounded()
    {
        WeatherCache::Options options;
        options.maxEntries = 3;
        build({}, options);
        for (int i = 0; i < 6; ++i)
            QVERIFY(current(10.0 + i, 10.0).ok);
        QCOMPARE(m_cache->stats().entries, 3);
        QCOMPARE(m_cache->stats().evictions, 3);
    }
};

QTEST_GUILESS_MAIN(TestWeatherCache)
#include "TestWeatherCache.moc"
