#include "http/HttpRequestParser.h"

#include <QTest>

using namespace isobar;

namespace {

struct Parsed {
    QList<HttpRequest> requests;
    int rejection = 0;
    QString detail;
};

// The stream fed `step` bytes at a time, as reads from a socket would deliver it.
Parsed parseInSteps(const QByteArray &stream, qsizetype step, const HttpLimits &limits = {})
{
    HttpRequestParser parser(limits);
    Parsed parsed;
    QByteArray input;
    for (qsizetype at = 0; at < stream.size() && !parsed.rejection; at += step) {
        input += stream.mid(at, step);
        for (;;) {
            const auto result = parser.parse(input);
            if (result == HttpRequestParser::Result::Rejected) {
                parsed.rejection = parser.rejection().status;
                parsed.detail = parser.rejection().detail;
                break;
            }
            if (result == HttpRequestParser::Result::NeedMore)
                break;
            parsed.requests << parser.takeRequest();
        }
    }
    return parsed;
}

} // namespace

// The socket-free half of the connection guard: how bytes become requests (HttpConnection and
// TestConnectionGuard cover the socket half).
class TestHttpRequestParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pipelinedRequestsReadTheSameInAnyPieces()
    {
        const QByteArray stream =
            "GET /a?x=1 HTTP/1.1\r\nHost: h\r\nAccept: a\r\nAccept: b\r\n\r\n"
            "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        for (const qsizetype step : {qsizetype(1), qsizetype(7), stream.size()}) {
            const Parsed parsed = parseInSteps(stream, step);
            QCOMPARE(parsed.rejection, 0);
            QCOMPARE(parsed.requests.size(), 3);
            QCOMPARE(parsed.requests[0].path, QString("/a"));
            QCOMPARE(parsed.requests[0].query.queryItemValue("x"), QString("1"));
            QCOMPARE(parsed.requests[0].header("accept"), QByteArray("a, b"));
            QCOMPARE(parsed.requests[1].body, QByteArray("hello"));
            QCOMPARE(parsed.requests[2].body, QByteArray("abcde"));
        }
    }

    void ambiguousFramingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("reason");
        // Each of these lets a proxy in front and the server split the stream differently.
        QTest::newRow("Content-Length with Transfer-Encoding")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            << QString("Content-Length");
        QTest::newRow("obs-fold Transfer-Encoding")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n chunked\r\n\r\n")
            << QString("folded");
        QTest::newRow("bare LF ends a header line")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\n\r\n") << QString("LF without CR");
        QTest::newRow("bare LF ends the request line")
            << QByteArray("GET / HTTP/1.1\nHost: h\r\n\r\n") << QString("LF without CR");
        QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\rHost: h\r\n\r\n")
                                 << QString("CR in the head");
        QTest::newRow("two Content-Lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
            << QString("Content-Length");
    }
    void ambiguousFramingIsRefused()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, reason);
        for (const qsizetype step : {qsizetype(1), stream.size()}) {
            const Parsed parsed = parseInSteps(stream, step);
            QCOMPARE(parsed.rejection, 400);
            QVERIFY(parsed.requests.isEmpty());
            QVERIFY2(parsed.detail.contains(reason, Qt::CaseInsensitive),
                     qPrintable(parsed.detail));
        }
    }

    void absoluteFormTargetsAreTaken()
    {
        // RFC 9112 section 3.2.2: the authority replaces Host; the rest is the target.
        const Parsed parsed =
            parseInSteps("GET http://example.org:8080/api/x?page=2 HTTP/1.1\r\nHost: other\r\n\r\n"
                         "GET https://example.org HTTP/1.1\r\n\r\n",
                         5);
        QCOMPARE(parsed.rejection, 0);
        QCOMPARE(parsed.requests.size(), 2);
        QCOMPARE(parsed.requests[0].target, QByteArray("/api/x?page=2"));
        QCOMPARE(parsed.requests[0].path, QString("/api/x"));
        QCOMPARE(parsed.requests[0].header("host"), QByteArray("example.org:8080"));
        QCOMPARE(parsed.requests[1].target, QByteArray("/"));
        QCOMPARE(parsed.requests[1].header("host"), QByteArray("example.org"));
    }

    void asteriskFormIsKept()
    {
        const Parsed parsed = parseInSteps("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 3);
        QCOMPARE(parsed.requests.size(), 1);
        QCOMPARE(parsed.requests[0].path, QString("*"));
    }

    void headOverTheLimitIs413WhateverThePieces()
    {
        HttpLimits limits;
        limits.maxHeaderBytes = 1024;
        const QByteArray stream =
            "GET / HTTP/1.1\r\nX-Padding: " + QByteArray(1100, 'a') + "\r\n\r\n";
        for (const qsizetype step : {qsizetype(1), qsizetype(100), stream.size()}) {
            const Parsed parsed = parseInSteps(stream, step, limits);
            QCOMPARE(parsed.rejection, 413);
            QVERIFY(parsed.detail.contains("headers"));
        }
        // Empty lines before a request do not count as its head, bodies never do.
        const Parsed fits = parseInSteps("\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n"
                                             + QByteArray(2000, '\n'),
                                         64, limits);
        QCOMPARE(fits.rejection, 0);
        QCOMPARE(fits.requests.size(), 1);
        QCOMPARE(fits.requests[0].body.size(), 2000);
    }

    void declaredBodyOverTheLimitIs413BeforeItArrives()
    {
        HttpLimits limits;
        limits.maxBodyBytes = 100;
        const Parsed parsed =
            parseInSteps("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 1'000, limits);
        QCOMPARE(parsed.rejection, 413);
        QVERIFY(parsed.detail.contains("body"));
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "TestHttpRequestParser.moc"
