#include "RedisServer.h"
#include "cache/RedisClient.h"

#include <QSignalSpy>
#include <QTest>

using namespace isobar;
using namespace isobar::test;
using namespace Qt::StringLiterals;

namespace {

RedisClient::Options optionsFor(const QString &url)
{
    RedisClient::Options options;
    options.url = QUrl(url);
    options.reconnectMinMs = 20;
    options.reconnectMaxMs = 200;
    options.commandTimeoutMs = 10'000; // a loaded machine is slow, not down; one test says less
    return options;
}

// The answer, once it comes: the client's own deadline bounds the wait; the test's is a
// backstop that fails the check with its own reason.
RedisReply answerOf(QFuture<RedisReply> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 10'000))
        return RedisReply::failed("the test gave up");
    return future.result();
}

} // namespace

class TestRedisClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commandsAnswerWithRedisValues()
    {
        RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        RedisClient client(optionsFor(server.url()));
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 10'000);

        QCOMPARE(answerOf(client.command({"SET", "cell:1", QByteArray("a\0b", 3)})).kind,
                 RedisReply::Kind::Status);
        const RedisReply text = answerOf(client.command({"GET", "cell:1"}));
        QCOMPARE(text.kind, RedisReply::Kind::Text);
        QCOMPARE(text.text, QByteArray("a\0b", 3)); // binary-safe
        QCOMPARE(answerOf(client.command({"GET", "cell:none"})).kind, RedisReply::Kind::Nil);
        const RedisReply counted = answerOf(client.command({"INCRBY", "budget", "3"}));
        QCOMPARE(counted.kind, RedisReply::Kind::Integer);
        QCOMPARE(counted.integer, 3);
        const RedisReply both = answerOf(client.command({"MGET", "cell:1", "cell:none"}));
        QCOMPARE(both.kind, RedisReply::Kind::Array);
        QCOMPARE(both.elements, QByteArrayList({QByteArray("a\0b", 3), QByteArray()}));
        const RedisReply refused = answerOf(client.command({"INCR", "cell:1"}));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.text.contains("not an integer"), refused.text.constData());
    }

    // Nothing listens: commands fail at once rather than wait, and the client says why.
    void aRedisThatIsNotThereFailsCommandsAtOnce()
    {
        const ReservedPort nobody(ReservedPort::Use::NobodyListens);
        RedisClient client(optionsFor(u"redis://127.0.0.1:%1"_s.arg(nobody.port())));
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(!client.stats().lastError.isEmpty(), 10'000);
        const QFuture<RedisReply> answer = client.command({"GET", "cell:1"});
        QVERIFY(answer.isFinished());
        QVERIFY(!answer.result().ok());
        QVERIFY(!client.stats().connected);
        QVERIFY(client.stats().failures >= 1);
    }

    // A Redis that goes away and comes back: the client rejoins on its own.
    void aLostRedisIsRejoinedWhenItReturns()
    {
        RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        RedisClient client(optionsFor(server.url()));
        QSignalSpy changes(&client, &RedisClient::connectedChanged);
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 10'000);

        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!client.isConnected(), 10'000);
        QVERIFY(!answerOf(client.command({"PING"})).ok());

        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 10'000);
        QCOMPARE(answerOf(client.command({"PING"})).text, QByteArray("PONG"));
        QCOMPARE(changes.size(), 3); // up, down, up
        QCOMPARE(client.stats().connects, 2);
    }

    // Up but not answering: a command ends at its deadline with a reason, it does not hang.
    void aFrozenRedisTimesCommandsOut()
    {
        RedisServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        RedisClient::Options options = optionsFor(server.url());
        options.commandTimeoutMs = 500; // the pause lasts 3 s
        RedisClient client(options);
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 10'000);
        QVERIFY(answerOf(client.command({"PING"})).ok()); // the connection is ready

        QVERIFY(server.freeze(3000));
        const RedisReply late = answerOf(client.command({"PING"}));
        QVERIFY(!late.ok());
        QVERIFY2(late.text.contains("within 500 ms"), late.text.constData());
        QCOMPARE(client.stats().timeouts, 1);
    }

    void urlsAreChecked_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("problem");
        QTest::newRow("plain") << u"redis://cache.internal:6380/2"_s << QString();
        QTest::newRow("no port") << u"redis://cache"_s << QString();
        QTest::newRow("password") << u"redis://:s3cret@cache"_s << u"password"_s;
        QTest::newRow("scheme") << u"http://cache"_s << u"not a redis://"_s;
        QTest::newRow("database") << u"redis://cache/x"_s << u"database number"_s;
    }
    void urlsAreChecked()
    {
        QFETCH(QString, url);
        QFETCH(QString, problem);
        const QString found = RedisClient::checkUrl(QUrl(url));
        if (problem.isEmpty())
            QVERIFY2(found.isEmpty(), qPrintable(found));
        else
            QVERIFY2(found.contains(problem) && !found.contains(u"s3cret"), qPrintable(found));
    }
};

QTEST_MAIN(TestRedisClient)
#include "TestRedisClient.moc"
