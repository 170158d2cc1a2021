#include "TestSupport.h"
#include "http/BodyFile.h"
#include "http/HttpServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QtConcurrent>
#include <future>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

using namespace isobar;
using test::HttpClient;

namespace {

// The server under test runs its own event loop in a thread, so the test can use blocking
// sockets against it exactly as a remote client would.
class ServerThread : public QThread
{
public:
    explicit ServerThread(HttpLimits limits)
        : m_limits(std::move(limits))
    {}
    ~ServerThread() override
    {
        quit();
        wait();
    }
    quint16 start()
    {
        QThread::start();
        return m_port.get_future().get();
    }
    // Counters, read from the test's thread while the server runs.
    const HttpConnectionEvents &events() const { return *m_events; }

protected:
    void run() override
    {
        HttpServer server(m_limits);
        Router &router = server.router();
        router.add("GET", "/fast", "", [](const HttpRequest &, const RouteParams &) {
            return readyResponse(HttpResponse::bytes("fast", "text/plain"));
        });
        router.add("GET", "/slow", "", [](const HttpRequest &, const RouteParams &) {
            return QtConcurrent::run([] {
                QThread::msleep(300);
                return HttpResponse::bytes("slow", "text/plain");
            });
        });
        router.add("GET", "/n/<n>", "", [](const HttpRequest &, const RouteParams &params) {
            const int n = params.value("n").toInt();
            return QtConcurrent::run([n] {
                QThread::msleep((n * 7) % 13); // finish in a scrambled order
                return HttpResponse::bytes(QByteArray::number(n), "text/plain");
            });
        });
        router.add("GET", "/ready/<n>", "", [](const HttpRequest &, const RouteParams &params) {
            return readyResponse(HttpResponse::bytes(params.value("n").toUtf8(), "text/plain"));
        });
        router.add("POST", "/echo", "", [](const HttpRequest &request, const RouteParams &) {
            return readyResponse(
                HttpResponse::bytes(QByteArray::number(request.body.size()), "text/plain"));
        });
        router.add("GET", "/big", "", [](const HttpRequest &, const RouteParams &) {
            ++bigAnswers;
            return readyResponse(
                HttpResponse::bytes(QByteArray(kBigAnswerBytes, 'b'), "text/plain"));
        });
        // A body as the response cache keeps a large one: in a BodyFile, sent with sendfile().
        router.add("GET", "/filed/<n>", "", [](const HttpRequest &, const RouteParams &params) {
            HttpResponse response =
                HttpResponse::bytes(filedBody(params.value("n").toInt()), "text/plain");
            response.bodyFile = BodyFile::create(response.body);
            return readyResponse(std::move(response));
        });
        server.listen(QHostAddress::LocalHost, 0);
        m_events = &server.connectionEvents();
        m_port.set_value(server.port());
        exec();
    }

public:
    static constexpr qsizetype kBigAnswerBytes = qsizetype(1024) * 1024;
    // Bytes that differ by position and by `n`: a part sent twice, skipped or swapped shows.
    static QByteArray filedBody(int n)
    {
        QByteArray bytes(kBigAnswerBytes, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 7 + n) % 251);
        return bytes;
    }
    static inline std::atomic<int> bigAnswers{0}; // GET /big answered, by any server

private:
    HttpLimits m_limits;
    std::promise<quint16> m_port;
    const HttpConnectionEvents *m_events = nullptr;
};

HttpLimits testLimits()
{
    HttpLimits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxBodyBytes = qsizetype(64) * 1024;
    limits.requestTimeoutMs = 400;
    limits.idleTimeoutMs = 600;
    limits.maxPipelined = 4;
    limits.maxConnections = 8;
    return limits;
}

// Long pipelines to a reader that takes its time: no deadline ends the connection first.
HttpLimits slowReaderLimits(qsizetype maxUnsentBytes, qsizetype kernelUnsentBytes)
{
    HttpLimits limits = testLimits();
    limits.maxPipelined = 64;
    limits.maxUnsentBytes = maxUnsentBytes;
    limits.kernelUnsentBytes = kernelUnsentBytes;
    limits.idleTimeoutMs = 60'000;
    limits.requestTimeoutMs = 60'000;
    return limits;
}

QByteArray readUntilClosed(QTcpSocket &socket)
{
    QByteArray raw;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10'000))
        raw += socket.readAll();
    return raw + socket.readAll();
}

// A connection from `source`: any 127.x address reaches the server on 127.0.0.1 and is seen
// as another client.
std::unique_ptr<QTcpSocket> connectFrom(const QHostAddress &source, quint16 port)
{
    auto socket = std::make_unique<QTcpSocket>();
    if (!socket->bind(source))
        return nullptr;
    socket->connectToHost(QHostAddress::LocalHost, port);
    if (!socket->waitForConnected(10'000))
        return nullptr;
    return socket;
}

// The status of one GET /fast from `source`; 0 when there was no answer.
int statusFrom(const QHostAddress &source, quint16 port)
{
    const auto socket = connectFrom(source, port);
    if (!socket)
        return 0;
    socket->write("GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const QByteArray raw = readUntilClosed(*socket);
    return raw.startsWith("HTTP/1.1 ") ? raw.mid(9, 3).toInt() : 0;
}

// What the kernel holds unsent (written, not yet sent) on the server's side of the connection
// from `clientPort`: the server runs in this process, so its descriptor is one of ours.
std::optional<int> serverUnsentBytes(quint16 serverPort, quint16 clientPort)
{
    const auto portOf = [](int descriptor, bool peer) -> int {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        auto *raw = reinterpret_cast<sockaddr *>(&address);
        if ((peer ? ::getpeername(descriptor, raw, &length)
                  : ::getsockname(descriptor, raw, &length))
                != 0
            || address.ss_family != AF_INET)
            return -1;
        return ntohs(reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    };
    for (const QString &name : QDir(u"/proc/self/fd"_s).entryList(QDir::Files | QDir::System)) {
        const int descriptor = name.toInt();
        if (portOf(descriptor, false) != serverPort || portOf(descriptor, true) != clientPort)
            continue;
        int unsent = 0;
        if (::ioctl(descriptor, SIOCOUTQNSD, &unsent) != 0)
            return std::nullopt;
        return unsent;
    }
    return std::nullopt;
}

} // namespace

class TestConnectionGuard : public QObject
{
    Q_OBJECT
private:
    ServerThread m_thread{testLimits()};
    quint16 m_port = 0;

private Q_SLOTS:
    void initTestCase() { m_port = m_thread.start(); }
    void cleanupTestCase()
    {
        m_thread.quit();
        m_thread.wait();
    }

    void pipelinedResponsesKeepRequestOrder()
    {
        HttpClient client(m_port);
        client.sendRaw(
            "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto first = client.readReply();
        const auto second = client.readReply();
        QVERIFY(first && second);
        QCOMPARE(first->body, QByteArray("slow"));
        QCOMPARE(second->body, QByteArray("fast"));
    }

    void manyPipelinedRequestsBeyondTheReadAheadLimit()
    {
        HttpClient client(m_port);
        QByteArray burst;
        for (int i = 0; i < 40; ++i)
            burst += "GET /n/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        client.sendRaw(burst);
        for (int i = 0; i < 40; ++i) {
            const auto reply = client.readReply();
            QVERIFY2(reply, qPrintable(QString::number(i)));
            QCOMPARE(reply->body, QByteArray::number(i));
        }
    }

    void thousandsOfPipelinedRequestsAnsweredAtOnce()
    {
        // Answers that are ready at once (a 404, a cached page) used to recurse once per
        // pipelined request until the stack overflowed.
        constexpr int kRequests = 20'000;
        HttpClient client(m_port);
        QByteArray burst;
        for (int i = 0; i < kRequests; ++i) {
            burst += i % 2 ? QByteArray("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
                           : "GET /ready/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        }
        client.sendRaw(burst);
        for (int i = 0; i < kRequests; ++i) {
            const auto reply = client.readReply(10'000);
            QVERIFY2(reply, qPrintable(QString::number(i)));
            if (i % 2) {
                QCOMPARE(reply->status, 404);
            } else {
                QCOMPARE(reply->status, 200);
                QCOMPARE(reply->body, QByteArray::number(i));
            }
        }
        QCOMPARE(HttpClient::request(m_port, "GET", "/fast").status, 200);
    }

    void malformedRequestEndsAPipelinedBurst()
    {
        // Everything before the bad request is answered in order, then its 400, then close.
        constexpr int kRequests = 10'000;
        HttpClient client(m_port);
        QByteArray burst;
        for (int i = 0; i < kRequests; ++i)
            burst += "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
        client.sendRaw(burst + "NOT HTTP AT ALL\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        for (int i = 0; i < kRequests; ++i) {
            const auto reply = client.readReply(10'000);
            QVERIFY2(reply, qPrintable(QString::number(i)));
            QCOMPARE(reply->status, 404);
        }
        const auto rejection = client.readReply(10'000);
        QVERIFY(rejection);
        QCOMPARE(rejection->status, 400);
        QVERIFY(client.readUntilClose(10'000).isEmpty()); // nothing after the 400
    }

    void keepAliveServesSequentialRequests()
    {
        HttpClient client(m_port);
        for (int i = 0; i < 3; ++i) {
            client.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            const auto reply = client.readReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
            QCOMPARE(reply->header("connection"), QByteArray("keep-alive"));
        }
    }

    void oversizedHeadersAre413()
    {
        HttpClient client(m_port);
        client.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\nX-Padding: " + QByteArray(8000, 'a')
                       + "\r\n\r\n");
        const auto reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
        QCOMPARE(reply->header("content-type"), QByteArray("application/problem+json"));
        QVERIFY(reply->json()["detail"].toString().contains("headers"));
        QVERIFY(client.waitForClose(2000));
    }

    void declaredOversizedBodyIs413AtOnce()
    {
        // The body is never sent: the answer must come from the declared length alone.
        HttpClient client(m_port);
        QElapsedTimer timer;
        timer.start();
        client.sendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n");
        const auto reply = client.readReply(2000);
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
        QVERIFY(timer.elapsed() < 350); // before the request timeout could have fired
        QVERIFY(client.waitForClose(2000));
    }

    void chunkedBodyGrowingPastTheLimitIs413()
    {
        HttpClient client(m_port);
        client.sendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = QByteArray::number(32 * 1024, 16) + "\r\n"
                                 + QByteArray(qsizetype(32) * 1024, 'x') + "\r\n";
        client.sendRaw(chunk + chunk + chunk);
        const auto reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
    }

    void bodyWithinTheLimitIsRead()
    {
        HttpClient client(m_port);
        client.sendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                       + QByteArray(5000, 'b'));
        const auto reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->body, QByteArray("5000"));
    }

    void slowRequestIs408()
    {
        HttpClient client(m_port);
        client.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n"); // headers never finish
        const auto reply = client.readReply(3000);
        QVERIFY(reply);
        QCOMPARE(reply->status, 408);
        QVERIFY(client.waitForClose(2000));
    }

    void stalledBodyIs408()
    {
        HttpClient client(m_port);
        client.sendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789");
        const auto reply = client.readReply(3000);
        QVERIFY(reply);
        QCOMPARE(reply->status, 408);
    }

    void idleConnectionIsClosedWithoutAnswer()
    {
        HttpClient client(m_port);
        client.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.readReply());
        QElapsedTimer timer;
        timer.start();
        const qint64 idleClosesBefore = m_thread.events().value(HttpConnectionEvents::ClosedIdle);
        QVERIFY(client.waitForClose(3000));
        QVERIFY(timer.elapsed() >= 500);
        QVERIFY(!client.readReply(100));
        // Counted for /metrics, where operators see why connections end.
        QCOMPARE(m_thread.events().value(HttpConnectionEvents::ClosedIdle), idleClosesBefore + 1);
    }

    // Bytes that start no request (CRLFs between requests, which HTTP allows) do not hold an
    // idle connection open: the idle deadline runs from the last answer.
    void strayLineBreaksDoNotKeepAnIdleConnection()
    {
        HttpClient client(m_port);
        client.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.readReply());
        bool closed = false;
        // Line breaks every 200 ms, three times within each 600 ms idle period, for up to 10 s.
        for (int sent = 0; sent < 50 && !closed; ++sent) {
            client.sendRaw("\r\n");
            closed = client.waitForClose(200);
        }
        QVERIFY2(closed, "the connection stayed open while it received only line breaks");
    }

    void malformedRequestIs400()
    {
        HttpClient client(m_port);
        client.sendRaw("NOT HTTP AT ALL\r\n\r\n");
        const auto reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 400);
    }

    void connectionCloseIsHonoured()
    {
        HttpClient client(m_port);
        client.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const auto reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->header("connection"), QByteArray("close"));
        QVERIFY(client.waitForClose(2000));
    }

    void headHasNoBody()
    {
        HttpClient client(m_port);
        client.sendRaw("HEAD /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const QByteArray raw = client.readUntilClose(2000);
        QVERIFY(raw.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(raw.contains("Content-Length: 4\r\n"));
        QVERIFY(raw.endsWith("\r\n\r\n")); // headers only
    }

    void connectionsBeyondTheLimitGet503()
    {
        std::vector<std::unique_ptr<HttpClient>> held;
        for (int i = 0; i < 8; ++i) {
            held.push_back(std::make_unique<HttpClient>(m_port));
            held.back()->sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(held.back()->readReply());
        }
        const qint64 refusedBefore = m_thread.events().value(HttpConnectionEvents::RefusedFull);
        HttpClient extra(m_port);
        const auto reply = extra.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 503);
        QCOMPARE(m_thread.events().value(HttpConnectionEvents::RefusedFull), refusedBefore + 1);
    }

    void oneAddressCannotTakeEveryConnection()
    {
        HttpLimits limits;
        limits.maxConnections = 12;
        limits.maxConnectionsPerAddress = 4;
        ServerThread server(limits);
        const quint16 port = server.start();
        const QHostAddress first(u"127.0.0.1"_s);
        const QHostAddress other(u"127.0.0.2"_s);

        // Idle connections from one address, as many as the whole server takes.
        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < limits.maxConnections; ++i) {
            held.push_back(connectFrom(first, port));
            QVERIFY(held.back());
        }
        QCOMPARE(statusFrom(other, port), 200);
        // Those beyond the address's share were refused at once, with a hint when to retry.
        for (int i = limits.maxConnectionsPerAddress; i < limits.maxConnections; ++i) {
            const QByteArray refusal = readUntilClosed(*held[i]);
            QVERIFY2(refusal.startsWith("HTTP/1.1 503 "), refusal.constData());
            QVERIFY(refusal.contains("\r\nRetry-After: "));
        }
        const auto oneMore = connectFrom(first, port);
        QVERIFY(oneMore);
        QVERIFY(readUntilClosed(*oneMore).startsWith("HTTP/1.1 503 "));
        QCOMPARE(server.events().value(HttpConnectionEvents::RefusedPerAddress),
                 limits.maxConnections - limits.maxConnectionsPerAddress + 1);
        QCOMPARE(server.events().value(HttpConnectionEvents::RefusedFull), 0);
        // Closing them gives the address its share back.
        held.clear();
        QTRY_COMPARE_WITH_TIMEOUT(statusFrom(first, port), 200, 20'000);
    }

    void unreadAnswersStopTheReadingThenTheConnection()
    {
        // A client pipelines requests for large answers and reads none of them: the server
        // stops reading its requests once max-unsent-bytes of answers wait, instead of
        // answering every one into memory, and drops the connection when nothing has been
        // taken for the idle timeout.
        HttpLimits limits = testLimits();
        limits.maxPipelined = 64;
        limits.maxUnsentBytes = qsizetype(256) * 1024;
        ServerThread server(limits);
        const quint16 port = server.start();
        const int answeredBefore = ServerThread::bigAnswers;
        const auto socket = connectFrom(QHostAddress::LocalHost, port);
        QVERIFY(socket);
        socket->setReadBufferSize(1); // reads nothing (one byte) while the test waits
        constexpr int kRequests = 200;
        QByteArray burst;
        for (int i = 0; i < kRequests; ++i)
            burst += "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
        socket->write(burst);
        QVERIFY(socket->waitForBytesWritten(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(server.events().value(HttpConnectionEvents::PausedUnread) == 1,
                                 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(server.events().value(HttpConnectionEvents::DroppedUnread) == 1,
                                 20'000);
        // What the kernel's socket buffers took, plus max-unsent-bytes: a few megabytes, not
        // the 200 the requests asked for.
        const int answered = ServerThread::bigAnswers - answeredBefore;
        QVERIFY2(answered < 40, qPrintable(QString::number(answered)));
    }

    void bodyFilesArriveWholeAndInOrder()
    {
        // Answers from body files between plain ones, pipelined, to a reader slower than the
        // kernel's allowance: each file goes out in many sendfile() calls, each resumed where
        // the last stopped, and every answer arrives whole and in request order.
        ServerThread server(slowReaderLimits(qsizetype(16) * 1024 * 1024, qsizetype(16) * 1024));
        HttpClient client(server.start());
        QByteArray burst;
        constexpr int kAnswers = 6;
        for (int n = 0; n < kAnswers; ++n) {
            burst += "GET /filed/" + QByteArray::number(n) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            burst += "GET /ready/" + QByteArray::number(n) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        }
        client.sendRaw(burst);
        for (int n = 0; n < kAnswers; ++n) {
            const auto filed = client.readReply();
            QVERIFY2(filed, qPrintable(QString::number(n)));
            QVERIFY2(filed->body == ServerThread::filedBody(n), qPrintable(QString::number(n)));
            const auto plain = client.readReply();
            QVERIFY(plain);
            QCOMPARE(plain->body, QByteArray::number(n));
        }
    }

    void theKernelHoldsLittleOfWhatASlowReaderLeaves()
    {
        // Left to itself the kernel grows a slow reader's send buffer to megabytes, all copied
        // by the event loop; past kernel-unsent-bytes the answers wait in the server instead.
        const HttpLimits limits =
            slowReaderLimits(qsizetype(4) * 1024 * 1024, qsizetype(64) * 1024);
        ServerThread server(limits);
        const quint16 port = server.start();
        const auto socket = connectFrom(QHostAddress::LocalHost, port);
        QVERIFY(socket);
        socket->setReadBufferSize(1);
        QByteArray burst;
        for (int i = 0; i < 32; ++i)
            burst += "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
        socket->write(burst);
        QVERIFY(socket->waitForBytesWritten(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(server.events().value(HttpConnectionEvents::PausedUnread) == 1,
                                 20'000);
        const std::optional<int> unsent = serverUnsentBytes(port, socket->localPort());
        QVERIFY(unsent);
        // The limit, and at most one more segment: a send stops at the first one past it.
        QVERIFY2(*unsent <= limits.kernelUnsentBytes + qsizetype(64) * 1024,
                 qPrintable(QString::number(*unsent)));
    }

    void silentConnectionIsClosedAtTheFirstByteDeadline()
    {
        HttpLimits limits;
        limits.firstByteTimeoutMs = 300;
        limits.idleTimeoutMs = 60'000;
        limits.requestTimeoutMs = 60'000;
        ServerThread server(limits);
        const quint16 port = server.start();

        HttpClient talking(port);
        talking.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(talking.readReply());
        const auto silent = connectFrom(QHostAddress::LocalHost, port);
        QVERIFY(silent);
        QTRY_COMPARE_WITH_TIMEOUT(silent->state(), QAbstractSocket::UnconnectedState, 20'000);
        QVERIFY(silent->readAll().isEmpty()); // closed without an answer
        QCOMPARE(server.events().value(HttpConnectionEvents::ClosedSilent), 1);
        // The deadline is for the first request only: the older, talking connection stays open.
        talking.sendRaw("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto reply = talking.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
    }
};

QTEST_GUILESS_MAIN(TestConnectionGuard)
#include "TestConnectionGuard.moc"
