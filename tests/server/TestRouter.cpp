#include "http/ApiError.h"
#include "http/Router.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

class TestRouter : public QObject
{
    Q_OBJECT
private:
    Router m_router;

    static RouteHandler named(const QByteArray &name)
    {
        return [name](const HttpRequest &, const RouteParams &) {
            return readyResponse(HttpResponse::bytes(name, "text/plain"));
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_router.add("GET", "/health", "", named("health"));
        m_router.add("GET", "/themes/<theme>/sub_themes", "", named("subs"));
        m_router.add("POST", "/themes/<theme>/sub_themes", "", named("post"));
        m_router.add("GET", "/refusing", "",
                     [](const HttpRequest &, const RouteParams &) -> QFuture<HttpResponse> {
                         throw ApiError{422, u"page must be a number"_s, u"page"_s};
                     });
    }

    void matching_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("theme");
        QTest::addColumn<bool>("found");
        QTest::newRow("plain") << QByteArray("GET") << "/health"
                               << "" << true;
        QTest::newRow("trailing slash") << QByteArray("GET") << "/health/"
                                        << "" << true;
        QTest::newRow("parameter") << QByteArray("GET") << "/themes/infectious_disease/sub_themes"
                                   << "infectious_disease" << true;
        QTest::newRow("escaped space") << QByteArray("GET") << "/themes/East%20Midlands/sub_themes/"
                                       << "East Midlands" << true;
        QTest::newRow("escaped slash stays in the name")
            << QByteArray("GET") << "/themes/a%2Fb/sub_themes"
            << "a/b" << true;
        QTest::newRow("HEAD uses GET") << QByteArray("HEAD") << "/health"
                                       << "" << true;
        QTest::newRow("too short") << QByteArray("GET") << "/themes"
                                   << "" << false;
        QTest::newRow("empty parameter") << QByteArray("GET") << "/themes//sub_themes"
                                         << "" << false;
        QTest::newRow("unknown") << QByteArray("GET") << "/nothing"
                                 << "" << false;
    }
    void matching()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, theme);
        QFETCH(bool, found);
        const Router::Match match = m_router.match(method, path);
        QCOMPARE(match.route != nullptr, found);
        if (found)
            QCOMPARE(match.params.value("theme"), theme);
    }

    // A route that requires its slash takes only that spelling; the other spelling goes on to
    // the routes after it.
    void aRouteRequiringItsSlash()
    {
        Router router;
        router.add("GET", "/health/", "", named("ukhsa"), TrailingSlash::Required);
        router.add("GET", "/health", "", named("isobar"));
        QCOMPARE(router.match("GET", "/health/").route->pattern, u"/health/"_s);
        QCOMPARE(router.match("GET", "/health").route->pattern, u"/health"_s);
        Router alone;
        alone.add("GET", "/health/", "", named("ukhsa"), TrailingSlash::Required);
        QVERIFY(!alone.match("GET", "/health").route);
    }

    void wrongMethodIs405WithAllow()
    {
        HttpRequest request;
        request.method = "DELETE";
        request.path = "/themes/x/sub_themes";
        const HttpResponse response = m_router.dispatch(request).toFuture().result();
        QCOMPARE(response.status, 405);
        QCOMPARE(response.header("Allow"), QByteArray("GET, POST"));
        QCOMPARE(response.header("Content-Type"), QByteArray("application/problem+json"));
    }

    // Handlers throw their refusals; the router answers every one of them the same way.
    void aThrownRefusalIsAnsweredAsProblemJson()
    {
        HttpRequest request;
        request.method = "GET";
        request.path = "/refusing";
        const HttpResponse response = m_router.dispatch(request).toFuture().result();
        QCOMPARE(response.status, 422);
        QCOMPARE(response.header("Content-Type"), QByteArray("application/problem+json"));
        const QJsonObject problem = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(problem.value(u"detail").toString(), u"page must be a number"_s);
        QCOMPARE(problem.value(u"field").toString(), u"page"_s);
    }

    void unknownPathIs404()
    {
        HttpRequest request;
        request.method = "GET";
        request.path = "/nope";
        QCOMPARE(m_router.dispatch(request).toFuture().result().status, 404);
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "TestRouter.moc"
