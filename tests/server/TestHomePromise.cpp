// Work done on other threads answers on the thread that asked, so continuations are attached
// and run on one thread: Qt 6.4 runs a continuation twice (and crashes) when it is attached
// while another thread finishes the future.
#include "http/HomePromise.h"

#include <QTest>
#include <QThread>
#include <stdexcept>

using namespace isobar;

class TestHomePromise : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theAnswerArrivesOnTheCallingThread()
    {
        QThreadPool pool;
        QThread *worker = nullptr;
        QThread *continuedOn = nullptr;
        QFuture<QThread *> answer = runOnPool(pool, [] { return QThread::currentThread(); });
        const QFuture<void> continued = answer.then(QtFuture::Launch::Sync, [&](QThread *ranOn) {
            worker = ranOn;
            continuedOn = QThread::currentThread();
        });
        QTRY_VERIFY_WITH_TIMEOUT(continued.isFinished(), 30'000);
        QVERIFY(worker != QThread::currentThread());
        QCOMPARE(continuedOn, QThread::currentThread());
    }

    // The load that crashed: each answer chained on at once while workers finish others.
    void chainingWhileWorkersFinishRunsEachContinuationOnce()
    {
        QThreadPool pool;
        pool.setMaxThreadCount(4);
        constexpr int kRounds = 5'000;
        int continued = 0;
        QList<QFuture<int>> answers;
        for (int i = 0; i < kRounds; ++i) {
            answers << runOnPool(pool, [i] {
                           return i;
                       }).then(QtFuture::Launch::Sync, [&continued](int value) {
                ++continued;
                return value;
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(answers.constLast().isFinished(), 60'000);
        QTRY_COMPARE_WITH_TIMEOUT(continued, kRounds, 60'000);
        for (int i = 0; i < kRounds; ++i)
            QCOMPARE(answers.at(i).result(), i);
    }

    void anExceptionReachesTheCaller()
    {
        QThreadPool pool;
        QFuture<int> answer = runOnPool(pool, []() -> int { throw std::runtime_error("broken"); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.isFinished(), 30'000);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, answer.result());
    }

    // A thread that asked and then ended: its answer is dropped and its future cancelled,
    // nothing is posted to an object that no longer exists.
    void anAnswerForAnEndedThreadIsDropped()
    {
        QThread asker;
        QObject onAsker;
        onAsker.moveToThread(&asker);
        asker.start();
        std::optional<HomePromise<int>> promise;
        QMetaObject::invokeMethod(
            &onAsker, [&promise] { promise.emplace(); }, Qt::BlockingQueuedConnection);
        const QFuture<int> answer = promise->future();
        asker.quit();
        QVERIFY(asker.wait(30'000));
        promise->settle(42);
        QVERIFY(!answer.isFinished());
        promise.reset();
        QVERIFY(answer.isFinished());
        QVERIFY(answer.isCanceled());
    }
};

QTEST_GUILESS_MAIN(TestHomePromise)
#include "TestHomePromise.moc"
