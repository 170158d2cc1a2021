// The upload API tells its owner about a changed store on the owner's own thread: the owner
// (ApiServer) answers by reading its SQLite connection, which must never be used from two
// threads at once (Qt opens it without a mutex). It once ran on the application's main thread.

#include "MetricsDatabase.h"
#include "TestSupport.h"
#include "ingest/UploadApi.h"

#include <QFile>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {
// PUT /api/upload of a small UKHSA fixture, as cases.json.
HttpRequest casesUpload()
{
    QFile fixture(test::fixturesDir()
                  + u"/metrics/COVID-19_cases_casesByDay_CTRY_E92000001_all_all_default.json"_s);
    HttpRequest request;
    request.method = "PUT";
    request.path = u"/api/upload"_s;
    request.query = QUrlQuery(u"filename=cases.json"_s);
    request.headers.insert("content-type", "application/json");
    if (fixture.open(QIODevice::ReadOnly))
        request.body = fixture.readAll();
    return request;
}
} // namespace

class TestUploadApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void changedRunsOnTheOwnersThread()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"store.db"_s);
        {
            MetricsDatabase store;
            QVERIFY2(store.open(path), qPrintable(store.errorString()));
        }

        // The owner lives on a thread of its own, as ApiServer does on the server's.
        QThread owner;
        owner.start();
        QObject context;
        context.moveToThread(&owner);
        std::atomic<QThread *> toldOn{nullptr};
        std::unique_ptr<UploadApi> api;
        Router router;
        QMetaObject::invokeMethod(
            &context,
            [&] {
                api = std::make_unique<UploadApi>(path, UploadApi::Options{true, 4},
                                                  [&toldOn] { toldOn = QThread::currentThread(); });
                api->registerRoutes(router);
            },
            Qt::BlockingQueuedConnection);

        const HttpRequest request = casesUpload();
        QVERIFY(!request.body.isEmpty());
        const QFuture<HttpResponse> answer = router.dispatch(request).toFuture();
        QTRY_VERIFY_WITH_TIMEOUT(answer.isFinished(), 30'000);
        QCOMPARE(answer.result().status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(toldOn.load() != nullptr, 30'000);
        QCOMPARE(toldOn.load(), &owner);

        QMetaObject::invokeMethod(
            &context, [&] { api.reset(); }, Qt::BlockingQueuedConnection);
        owner.quit();
        owner.wait();
    }

    void aStoreBusyWithAnotherWriterIs503()
    {
        // `isobar ingest` of a large file beside the server holds SQLite's write lock: past the
        // busy timeout an upload gets 503 with Retry-After (the server's trouble, not the
        // file's), and the same file loads once the lock is let go.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"busy.db"_s);
        MetricsDatabase other;
        QVERIFY2(other.open(path), qPrintable(other.errorString()));
        UploadApi api(path, UploadApi::Options{true, 4}, [] {});
        Router router;
        api.registerRoutes(router);
        const HttpRequest request = casesUpload();
        QVERIFY(!request.body.isEmpty());

        QSqlQuery lock(other.connection());
        QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
        QFuture<HttpResponse> answer = router.dispatch(request).toFuture();
        QTRY_VERIFY_WITH_TIMEOUT(answer.isFinished(), 60'000);
        QCOMPARE(answer.result().status, 503);
        QCOMPARE(answer.result().header("Retry-After"),
                 QByteArray::number(MetricsDatabase::kBusyTimeoutMs / 1000));
        QVERIFY2(answer.result().body.contains("cases.json"), answer.result().body.constData());

        QVERIFY(lock.exec(u"COMMIT"_s));
        answer = router.dispatch(request).toFuture();
        QTRY_VERIFY_WITH_TIMEOUT(answer.isFinished(), 60'000);
        QCOMPARE(answer.result().status, 200);
    }
};

QTEST_GUILESS_MAIN(TestUploadApi)
#include "TestUploadApi.moc"
