#include "api/RequestParsing.h"
#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// Runs `parse` and returns the ApiError it threw (status 0 when it did not throw).
template <typename Parse> ApiError errorOf(Parse parse)
{
    try {
        parse();
    } catch (const ApiError &error) {
        return error;
    }
    return ApiError{0, {}, {}};
}

} // namespace

class TestRequestParsing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queryParameters()
    {
        const QueryParameters query(QUrlQuery("page=2&date=2024-01-05&format=json"),
                                    {"page", "date"});
        QCOMPARE(query.integer("page", 1, 10), 2);
        QCOMPARE(query.date("date"), QDate(2024, 1, 5));
        QCOMPARE(query.integer("missing", 1, 10), std::nullopt);

        ApiError error = errorOf([] { QueryParameters(QUrlQuery("colour=red"), {"page"}); });
        QCOMPARE(error.status, 400);
        QCOMPARE(error.field, u"colour"_s);
        error =
            errorOf([] { QueryParameters(QUrlQuery("page=0"), {"page"}).integer("page", 1, 10); });
        QCOMPARE(error.field, u"page"_s);
        QVERIFY(error.detail.contains("from 1 to 10, got '0'"));
        error =
            errorOf([] { QueryParameters(QUrlQuery("date=05/01/2024"), {"date"}).date("date"); });
        QCOMPARE(error.field, u"date"_s);
        error = errorOf([] { QueryParameters(QUrlQuery(""), {"topic"}).requiredText("topic"); });
        QCOMPARE(error.detail, u"'topic' is required"_s);
    }

    void problemResponse()
    {
        const HttpResponse response = HttpResponse::problem(400, "bad page", "page");
        QCOMPARE(response.header("content-type"), QByteArray("application/problem+json"));
        const QJsonObject body = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(body, (QJsonObject{{"type", "about:blank"},
                                    {"title", "Bad Request"},
                                    {"status", 400},
                                    {"detail", "bad page"},
                                    {"field", "page"}}));
        const QByteArray wire = response.serialize(false);
        QVERIFY(wire.startsWith("HTTP/1.1 400 Bad Request\r\n"));
        QVERIFY(wire.contains(
            QByteArray("Content-Length: " + QByteArray::number(response.body.size()) + "\r\n")));
        QVERIFY(wire.contains("Connection: close\r\n\r\n{"));
    }

    void baseUrlDistrustsOddHosts()
    {
        HttpRequest request;
        request.localPort = 8080;
        request.headers.insert("host", "api.example.org:8443");
        QCOMPARE(request.baseUrl(), u"http://api.example.org:8443"_s);
        request.headers.insert("host", "evil.org/<script>");
        QCOMPARE(request.baseUrl(), u"http://localhost:8080"_s);
    }
};

QTEST_GUILESS_MAIN(TestRequestParsing)
#include "TestRequestParsing.moc"
