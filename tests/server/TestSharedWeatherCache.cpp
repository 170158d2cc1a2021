#include "RedisServer.h"
#include "cache/RedisClient.h"
#include "cache/SharedWeatherCache.h"
#include "weather/AccuWeatherClient.h"
#include "weather/AccuWeatherSandbox.h"
#include "weather/WeatherCache.h"

#include <QScopeGuard>
#include <QTest>

using namespace isobar;
using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"sandbox-test-key-2b8e41"_s;

// One `isobar serve` replica's weather path: its own client, memory cache and Redis connection.
struct Replica {
    std::unique_ptr<AccuWeatherClient> client;
    std::unique_ptr<RedisClient> redis;
    std::unique_ptr<SharedWeatherCache> fleet;
    std::unique_ptr<WeatherCache> cache;

    Replica(quint16 sandboxPort, const QString &redisUrl, const QByteArray &id,
            qint64 dailyBudget = 0, int lockMs = SharedWeatherCache::Options{}.lockMs)
    {
        AccuWeatherClient::Options upstream;
        upstream.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(sandboxPort));
        upstream.dailyBudget = dailyBudget;
        client = std::make_unique<AccuWeatherClient>(upstream, [] { return kKey; });
        RedisClient::Options options;
        options.url = QUrl(redisUrl);
        options.reconnectMinMs = 20;
        options.reconnectMaxMs = 100;
        // These tests count upstream calls: a loaded machine must not turn a slow Redis answer
        // into a fallback call (TestRedisClient covers the deadline).
        options.commandTimeoutMs = 10'000;
        redis = std::make_unique<RedisClient>(options);
        redis->start();
        SharedWeatherCache::Options shared;
        shared.replicaId = id;
        shared.lockMs = lockMs;
        fleet = std::make_unique<SharedWeatherCache>(*redis, shared);
        cache = std::make_unique<WeatherCache>(WeatherCache::Options{}, *client);
        cache->shareThrough(fleet.get());
        client->shareBudget([this](qint64 day) { return fleet->spendBudget(day); });
    }
    QFuture<WeatherAnswer> current(double latitude, double longitude)
    {
        return cache->lookup(WeatherQuery{latitude, longitude, WeatherProduct::Current, true, {}})
            .toFuture();
    }
};

// Every answer, once all have come (the client's deadlines bound the wait).
QList<WeatherAnswer> answersOf(const QList<QFuture<WeatherAnswer>> &futures)
{
    const bool all = QTest::qWaitFor(
        [&] {
            return std::all_of(futures.begin(), futures.end(),
                               [](const QFuture<WeatherAnswer> &f) { return f.isFinished(); });
        },
        60'000);
    if (!all)
        return {}; // the callers compare counts: missing answers fail them
    QList<WeatherAnswer> answers;
    for (const QFuture<WeatherAnswer> &future : futures)
        answers << future.result();
    return answers;
}

} // namespace

class TestSharedWeatherCache : public QObject
{
    Q_OBJECT
    std::unique_ptr<AccuWeatherSandbox> m_sandbox;
    RedisServer m_redis;

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<AccuWeatherSandbox>(kKey);
        QVERIFY(m_sandbox->listen(QHostAddress::LocalHost, 0));
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
    }
    void init()
    {
        m_sandbox->resetCounts();
        QVERIFY(m_redis.restart()); // an empty Redis for every test
    }

    // The fleet's promise: a city's watches cost one call per entry, however many replicas.
    void requestsForANewCellOverTwoReplicasCostOneCallEach()
    {
        Replica paris(m_sandbox->port(), m_redis.url(), "paris-1");
        Replica lyon(m_sandbox->port(), m_redis.url(), "paris-2");
        QTRY_VERIFY_WITH_TIMEOUT(paris.redis->isConnected() && lyon.redis->isConnected(), 10'000);
        QList<QFuture<WeatherAnswer>> pending;
        for (int i = 0; i < 200; ++i) {
            Replica &replica = i % 2 ? lyon : paris;
            pending << replica.current(48.8566 + i * 1e-7, 2.3522);
        }
        const QList<WeatherAnswer> answers = answersOf(pending);
        QCOMPARE(answers.size(), pending.size());
        for (const WeatherAnswer &answer : answers)
            QVERIFY2(answer.ok, qPrintable(answer.error.detail));
        QCOMPARE(m_sandbox->calls(u"geoposition"_s), 1);
        QCOMPARE(m_sandbox->calls(u"current"_s), 1);
        // One replica called, the other read its answer from the fleet.
        const SharedWeatherCache::Stats a = paris.fleet->stats(), b = lyon.fleet->stats();
        QCOMPARE(a.calls + b.calls, 2);
        QVERIFY(a.hits + a.waits + b.hits + b.waits >= 2);
        QCOMPARE(a.fallbacks + b.fallbacks, 0);
    }

    // A replica started later finds what the fleet already knows: no call at all.
    void aLaterReplicaAnswersFromTheFleet()
    {
        Replica first(m_sandbox->port(), m_redis.url(), "us-west-1");
        QTRY_VERIFY_WITH_TIMEOUT(first.redis->isConnected(), 10'000);
        QVERIFY(answersOf({first.current(37.7749, -122.4194)}).value(0).ok);
        const int calls = m_sandbox->totalCalls();

        Replica second(m_sandbox->port(), m_redis.url(), "us-west-2");
        QTRY_VERIFY_WITH_TIMEOUT(second.redis->isConnected(), 10'000);
        const WeatherAnswer answer = answersOf({second.current(37.7749, -122.4194)}).value(0);
        QVERIFY(answer.ok);
        QCOMPARE(m_sandbox->totalCalls(), calls);
        QCOMPARE(second.fleet->stats().hits, 2); // the location key and the document
    }

    // The day's budget is the fleet's: two replicas of a 5-call budget make 5 calls, not 10.
    void theDailyBudgetHoldsAcrossTheFleet()
    {
        Replica paris(m_sandbox->port(), m_redis.url(), "paris-1", 5);
        Replica lyon(m_sandbox->port(), m_redis.url(), "paris-2", 5);
        QTRY_VERIFY_WITH_TIMEOUT(paris.redis->isConnected() && lyon.redis->isConnected(), 10'000);
        int refused = 0;
        for (int city = 0; city < 8; ++city) {
            Replica &replica = city % 2 ? lyon : paris;
            // A city each time: a location key and a document, two calls.
            const WeatherAnswer answer =
                answersOf({replica.current(10.0 + city * 5, 20.0)}).value(0);
            if (!answer.ok) {
                QCOMPARE(answer.error.kind, UpstreamError::Kind::BudgetSpent);
                ++refused;
            }
        }
        QCOMPARE(m_sandbox->totalCalls(), 5);
        QVERIFY(refused >= 5);
        QCOMPARE(paris.client->stats().budgetLeft, 0);
    }

    // The lock holder's call fails: the others learn it when the lock goes, not when it would
    // have lapsed (two minutes here, past the answers' one-minute backstop).
    void aFailedCallDoesNotHoldTheOthersUntilTheLockLapses()
    {
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::ServerError, 1.0, 0});
        const auto healthy = qScopeGuard([this] { m_sandbox->setFaultPlan({}); });
        Replica paris(m_sandbox->port(), m_redis.url(), "paris-1", 0, 120'000);
        Replica lyon(m_sandbox->port(), m_redis.url(), "paris-2", 0, 120'000);
        QTRY_VERIFY_WITH_TIMEOUT(paris.redis->isConnected() && lyon.redis->isConnected(), 10'000);
        QList<QFuture<WeatherAnswer>> pending;
        for (int i = 0; i < 20; ++i)
            pending << (i % 2 ? lyon : paris).current(-33.8688, 151.2093);
        const QList<WeatherAnswer> answers = answersOf(pending);
        QCOMPARE(answers.size(), pending.size());
        for (const WeatherAnswer &answer : answers)
            QVERIFY(!answer.ok);
    }

    // Redis down: every request is still answered, each replica calling for itself.
    void withoutRedisEachReplicaCallsForItself()
    {
        m_redis.kill();
        Replica paris(m_sandbox->port(), m_redis.url(), "paris-1");
        Replica lyon(m_sandbox->port(), m_redis.url(), "paris-2");
        const QList<WeatherAnswer> answers =
            answersOf({paris.current(45.764, 4.8357), lyon.current(45.764, 4.8357)});
        QCOMPARE(answers.size(), 2);
        QVERIFY(answers[0].ok && answers[1].ok);
        QCOMPARE(m_sandbox->calls(u"current"_s), 2);
        QCOMPARE(paris.fleet->stats().fallbacks + lyon.fleet->stats().fallbacks, 4);

        // Redis back: the replicas rejoin and share again.
        QVERIFY2(m_redis.start(), qPrintable(m_redis.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(paris.redis->isConnected() && lyon.redis->isConnected(), 10'000);
        QVERIFY(answersOf({paris.current(43.2965, 5.3698)}).value(0).ok);
        const int calls = m_sandbox->totalCalls();
        QVERIFY(answersOf({lyon.current(43.2965, 5.3698)}).value(0).ok);
        QCOMPARE(m_sandbox->totalCalls(), calls);
    }
};

QTEST_MAIN(TestSharedWeatherCache)
#include "TestSharedWeatherCache.moc"
