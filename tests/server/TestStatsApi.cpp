#include "MetricsDatabase.h"
#include "api/QueryRunner.h"
#include "monitoring/StatsApi.h"

#include <QScopeGuard>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

// The stats routes on a real store through a real query pool, in process: what only the API
// layer decides (which reads run) is seen here, where the pool can be held still.
class TestStatsApi : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_store;

    static HttpRequest get(const QByteArray &target)
    {
        HttpRequest request;
        request.method = "GET";
        request.target = target;
        const qsizetype query = target.indexOf('?');
        request.path = QString::fromLatin1(target.left(query));
        if (query >= 0)
            request.query = QUrlQuery(QString::fromLatin1(target.mid(query + 1)));
        return request;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"stats.db"_s);
        MetricsDatabase db; // creates and migrates the store the pool then reads
        QVERIFY2(db.open(m_store), qPrintable(db.errorString()));
    }

    void identicalRequestsInFlightShareOneRead()
    {
        QSemaphore release; // outlives the runner, whose destructor waits for the held job
        QueryRunner runner(m_store, 1, 100, 10'000);
        StatsApi stats(runner, {});
        Router router;
        stats.registerRoutes(router);

        // The pool's one thread is held: every read asked for meanwhile waits in its queue.
        const auto unblock = qScopeGuard([&release] { release.release(); }); // a failed check
        QFuture<HttpResponse> held = runner.run([&release](MetricsQuery &) {
            release.acquire();
            return HttpResponse();
        });
        QList<QFuture<HttpResponse>> answers;
        for (int i = 0; i < 10; ++i)
            answers << router.dispatch(get("/api/v1/stats/summary?from=now-1h")).toFuture();
        answers << router.dispatch(get("/api/v1/stats/users?from=now-1h")).toFuture();
        // The held job, one summary read for ten requests, one users read.
        QCOMPARE(runner.inFlight(), 3);
        release.release();

        for (const QFuture<HttpResponse> &answer : answers)
            QTRY_VERIFY_WITH_TIMEOUT(answer.isFinished(), 10'000);
        QVERIFY(held.isFinished());
        for (const QFuture<HttpResponse> &answer : answers)
            QCOMPARE(answer.result().status, 200);
        for (int i = 1; i < 10; ++i)
            QCOMPARE(answers[i].result().body, answers[0].result().body);
        QVERIFY(answers[10].result().body != answers[0].result().body);

        // Once answered, the next request reads again (it is not served a stored answer).
        QFuture<HttpResponse> later =
            router.dispatch(get("/api/v1/stats/summary?from=now-1h")).toFuture();
        QCOMPARE(runner.inFlight(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(later.isFinished(), 10'000);
        QCOMPARE(later.result().status, 200);
    }

    void aRefusedRequestIsNotShared()
    {
        QueryRunner runner(m_store, 1, 100, 10'000);
        StatsApi stats(runner, {});
        Router router;
        stats.registerRoutes(router);
        const HttpResponse refused =
            router.dispatch(get("/api/v1/stats/summary?from=yesterday-ish")).toFuture().result();
        QCOMPARE(refused.status, 400);
        QCOMPARE(runner.inFlight(), 0);
        QFuture<HttpResponse> good =
            router.dispatch(get("/api/v1/stats/summary?from=now-1h")).toFuture();
        QTRY_VERIFY_WITH_TIMEOUT(good.isFinished(), 10'000);
        QCOMPARE(good.result().status, 200);
    }
};

QTEST_GUILESS_MAIN(TestStatsApi)
#include "TestStatsApi.moc"
