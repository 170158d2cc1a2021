#include "SandboxThread.h"
#include "TestSupport.h"
#include "weather/AccuWeatherSandbox.h"
#include "weather/GridCell.h"
#include "weather/SandboxWeather.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cmath>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

using namespace isobar;
using test::HttpClient;
using test::HttpReply;

namespace {

const QString kKey = u"watch-api-upstream-key-9d02b1"_s;
// The sandbox's weather is frozen at the start of the run, so the test can compute what the
// server must answer; the server's own clock runs, and the sandbox's Expires stays ahead of it.
const qint64 kSandboxNow = QDateTime::currentMSecsSinceEpoch();

// The one place the server's extra arguments are built. --no-auth: this suite is about the
// weather routes, not tokens (ServerProcess would add it too). No rate limit: the suite sends
// bursts of invalid requests on purpose.
QStringList serveArguments()
{
    return {u"--no-auth"_s, u"--rate-limit"_s, u"0"_s};
}

double round4(double value)
{
    return std::round(value * 10'000) / 10'000;
}

} // namespace

class TestWatchApi : public QObject
{
    Q_OBJECT
private:
    test::SandboxThread m_thread{kKey, [] { return kSandboxNow; }};
    AccuWeatherSandbox *m_sandbox = nullptr;
    QTemporaryDir m_dir;
    test::ServerProcess m_server;
    quint16 m_port = 0;
    int m_directCalls = 0;

    // Current-conditions calls the server made (the sandbox also counts this test's own looks).
    int serverCurrentCalls() const { return m_sandbox->calls(u"current"_s) - m_directCalls; }
    int serverCalls() const { return m_sandbox->totalCalls() - m_directCalls; }

    HttpReply get(const QByteArray &target) { return HttpClient::request(m_port, "GET", target); }

    // What the sandbox says for the cell a position falls in, straight from the sandbox. This
    // look is not the server's: it is taken off the sandbox's count again.
    QJsonObject upstreamObservation(double latitude, double longitude)
    {
        m_directCalls += 1;
        const GridCell cell = GridCell::locate(latitude, longitude, 1000);
        const QByteArray key =
            SandboxArea::at(cell.centreLatitude, cell.centreLongitude).key().toUtf8();
        const HttpReply reply = HttpClient::request(
            m_sandbox->port(), "GET", "/currentconditions/v1/" + key + "?details=true", {},
            "Authorization: Bearer " + kKey.toUtf8() + "\r\n");
        return reply.json().array().first().toObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sandbox = m_thread.startSandbox();
        QVERIFY(m_sandbox->port() != 0);
        m_server.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_URL"_s,
                                        u"http://127.0.0.1:%1"_s.arg(m_sandbox->port()));
        // The key reaches the server through its environment, as in a deployment.
        m_server.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, kKey);
        QVERIFY2(m_server.start(m_dir.filePath(u"watch.db"_s), serveArguments()),
                 m_server.output().constData());
        m_port = m_server.port();
    }
    void init()
    {
        m_sandbox->setFaultPlan({});
        m_sandbox->resetCounts();
        m_directCalls = 0;
    }
    void cleanupTestCase()
    {
        QCOMPARE(m_server.stop(), 0);
        QVERIFY2(!m_server.output().contains(kKey.toUtf8()),
                 "the upstream key reached the server's log");
    }

    void rootNamesTheService()
    {
        const HttpReply reply = get("/");
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json().object();
        QCOMPARE(body.keys(), (QStringList{u"name"_s, u"version"_s}));
        QVERIFY(!body[u"name"].toString().isEmpty());
        QCOMPARE(body[u"version"].toString(), QString::fromUtf8(ISOBAR_VERSION));
        QCOMPARE(m_sandbox->totalCalls(), 0);
    }

    void precipitationAndVisibilityInMetres()
    {
        const double lt = 51.5074, lg = -0.1278;
        const HttpReply first = get("/prcpt?lt=51.5074&lg=-0.1278");
        QCOMPARE(first.status, 200);
        const QJsonObject body = first.json().object();
        QCOMPARE(body.keys(), (QStringList{u"prcpt"_s, u"vis"_s}));
        // Byte for byte what a JSON writer makes of these values: clients compare bodies.
        QCOMPARE(first.body, QJsonDocument(body).toJson(QJsonDocument::Compact));

        const QJsonObject upstream = upstreamObservation(lt, lg);
        QCOMPARE(upstream[u"Visibility"][u"Metric"][u"Unit"].toString(), u"km"_s);
        QCOMPARE(upstream[u"Precip1hr"][u"Metric"][u"Unit"].toString(), u"mm"_s);
        QCOMPARE(body[u"vis"].toDouble(),
                 round4(upstream[u"Visibility"][u"Metric"][u"Value"].toDouble() * 1000));
        QCOMPARE(body[u"prcpt"].toDouble(),
                 round4(upstream[u"Precip1hr"][u"Metric"][u"Value"].toDouble() / 1000));
        QCOMPARE(round4(body[u"prcpt"].toDouble()), body[u"prcpt"].toDouble());

        QCOMPARE(first.header("x-isobar-cache"), QByteArray("miss"));
        QCOMPARE(first.header("age"), QByteArray("0"));
        const int maxAge = first.header("cache-control").split('=').last().toInt();
        QVERIFY2(first.header("cache-control").startsWith("public, max-age=") && maxAge > 0
                     && maxAge <= 600,
                 first.header("cache-control").constData());
        QCOMPARE(m_sandbox->calls(u"geoposition"_s), 1);
        QCOMPARE(serverCurrentCalls(), 1);

        // A watch a few metres away, in the same cell: answered from the cache.
        const HttpReply second = get("/prcpt?lt=51.50745&lg=-0.12785");
        QCOMPARE(second.status, 200);
        QCOMPARE(second.json().object(), body);
        QCOMPARE(second.header("x-isobar-cache"), QByteArray("hit"));
        QVERIFY(second.header("age").toInt() >= 0);
        QVERIFY(second.header("cache-control").split('=').last().toInt() <= maxAge);
        QCOMPARE(serverCalls(), 2);
    }

    void uvIndexAsAnInteger()
    {
        const HttpReply reply = get("/uvidx?lt=-33.8688&lg=151.2093");
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json().object();
        QCOMPARE(body.keys(), QStringList{u"uvidx"_s});
        const QJsonObject upstream = upstreamObservation(-33.8688, 151.2093);
        QCOMPARE(body[u"uvidx"].toInt(), upstream[u"UVIndex"].toInt());
        QCOMPARE(reply.body, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    void currentWeatherForWatches()
    {
        const HttpReply metric = get("/api/v1/weather/current?lat=48.8566&lon=2.3522");
        QCOMPARE(metric.status, 200);
        const QJsonObject m = metric.json().object();
        QVERIFY(m[u"location"][u"name"].toString().startsWith(u"Sandbox "));
        QCOMPARE(m[u"location"][u"country"].toString(), u"ZZ"_s);
        QCOMPARE(m[u"units"][u"system"].toString(), u"metric"_s);
        QCOMPARE(m[u"units"][u"temperature"].toString(), u"C"_s);
        QCOMPARE(m[u"units"][u"speed"].toString(), u"km/h"_s);
        const QJsonObject upstream = upstreamObservation(48.8566, 2.3522);
        QCOMPARE(m[u"temperature"].toDouble(),
                 upstream[u"Temperature"][u"Metric"][u"Value"].toDouble());
        QCOMPARE(m[u"humidity"].toInt(), upstream[u"RelativeHumidity"].toInt());
        QCOMPARE(m[u"observed_at"].toString(), upstream[u"LocalObservationDateTime"].toString());
        for (const char *field :
             {"text", "icon", "feels_like", "wind", "uv_index", "visibility", "precipitation_1h"})
            QVERIFY2(m.contains(QLatin1String(field)) && !m[QLatin1String(field)].isNull(), field);

        // Current conditions hold both unit systems: imperial is the same upstream answer.
        const HttpReply imperial =
            get("/api/v1/weather/current?lat=48.8566&lon=2.3522&units=imperial");
        QCOMPARE(imperial.status, 200);
        QCOMPARE(imperial.json()[u"units"_s][u"temperature"].toString(), u"F"_s);
        QCOMPARE(imperial.json()[u"temperature"_s].toDouble(),
                 upstream[u"Temperature"][u"Imperial"][u"Value"].toDouble());
        QCOMPARE(imperial.header("x-isobar-cache"), QByteArray("hit"));
        QCOMPARE(serverCurrentCalls(), 1);
    }

    void dailyAndHourlyForecasts()
    {
        const HttpReply daily =
            get("/api/v1/weather/forecast/daily?lat=35.6762&lon=139.6503&days=3");
        QCOMPARE(daily.status, 200);
        const QJsonArray days = daily.json()[u"days"_s].toArray();
        QCOMPARE(days.size(), 3);
        for (const auto &day : days) {
            QVERIFY(day[u"minimum"].toDouble() <= day[u"maximum"].toDouble());
            QCOMPARE(day[u"date"].toString().size(), 10);
            QVERIFY(day[u"day"][u"icon"].isDouble());
        }
        QCOMPARE(daily.json()[u"units"_s][u"temperature"].toString(), u"C"_s);
        QVERIFY(daily.header("cache-control").startsWith("public, max-age="));

        const HttpReply hourly =
            get("/api/v1/weather/forecast/hourly?lat=35.6762&lon=139.6503&hours=5&units=imperial");
        QCOMPARE(hourly.status, 200);
        QCOMPARE(hourly.json()[u"hours"_s].toArray().size(), 5);
        QCOMPARE(hourly.json()[u"units"_s][u"temperature"].toString(), u"F"_s);
        QCOMPARE(hourly.json()[u"units"_s][u"speed"].toString(), u"mi/h"_s);
        QCOMPARE(get("/api/v1/weather/forecast/hourly?lat=35.6762&lon=139.6503")
                     .json()[u"hours"_s]
                     .toArray()
                     .size(),
                 12);
        QCOMPARE(m_sandbox->calls(u"daily"_s), 1);
        QCOMPARE(m_sandbox->calls(u"hourly"_s), 2); // imperial and metric are separate answers
        QCOMPARE(m_sandbox->calls(u"geoposition"_s), 1);
    }

    void invalidCompatibilityQueries_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("no parameters") << QByteArray("/prcpt") << QStringList{u"lg"_s, u"lt"_s};
        QTest::newRow("latitude above 90")
            << QByteArray("/prcpt?lt=90.5&lg=0") << QStringList{u"lt"_s};
        QTest::newRow("longitude below -180")
            << QByteArray("/uvidx?lt=0&lg=-180.01") << QStringList{u"lg"_s};
        QTest::newRow("not a number") << QByteArray("/prcpt?lt=north&lg=2") << QStringList{u"lt"_s};
        QTest::newRow("NaN") << QByteArray("/uvidx?lt=nan&lg=2") << QStringList{u"lt"_s};
        QTest::newRow("infinity") << QByteArray("/prcpt?lt=10&lg=inf") << QStringList{u"lg"_s};
        QTest::newRow("decimal comma") << QByteArray("/prcpt?lt=51,5&lg=0") << QStringList{u"lt"_s};
        QTest::newRow("empty longitude") << QByteArray("/uvidx?lt=10&lg=") << QStringList{u"lg"_s};
    }
    void invalidCompatibilityQueries()
    {
        QFETCH(QByteArray, target);
        QFETCH(QStringList, fields);
        const HttpReply reply = get(target);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.header("content-type").startsWith("application/json"));
        const QJsonObject body = reply.json().object();
        QVERIFY(body[u"message"].isString());
        const QJsonObject query = body[u"detail"][u"query"].toObject();
        QCOMPARE(query.keys(), fields);
        for (const QString &field : fields) {
            QVERIFY(query[field].isArray() && !query[field].toArray().isEmpty());
            QVERIFY(query[field][0].isString());
        }
        QCOMPARE(m_sandbox->totalCalls(), 0); // refused before any upstream call
    }

    void invalidWatchApiQueries_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("field");
        QTest::newRow("no latitude") << QByteArray("/api/v1/weather/current?lon=2") << u"lat"_s;
        QTest::newRow("latitude below -90")
            << QByteArray("/api/v1/weather/current?lat=-91&lon=2") << u"lat"_s;
        QTest::newRow("longitude above 180")
            << QByteArray("/api/v1/weather/forecast/daily?lat=1&lon=200") << u"lon"_s;
        QTest::newRow("longitude not finite")
            << QByteArray("/api/v1/weather/forecast/hourly?lat=1&lon=-inf") << u"lon"_s;
        QTest::newRow("unknown units")
            << QByteArray("/api/v1/weather/current?lat=1&lon=2&units=kelvin") << u"units"_s;
        QTest::newRow("zero days")
            << QByteArray("/api/v1/weather/forecast/daily?lat=1&lon=2&days=0") << u"days"_s;
        QTest::newRow("six days") << QByteArray("/api/v1/weather/forecast/daily?lat=1&lon=2&days=6")
                                  << u"days"_s;
        QTest::newRow("fractional days")
            << QByteArray("/api/v1/weather/forecast/daily?lat=1&lon=2&days=2.5") << u"days"_s;
        QTest::newRow("thirteen hours")
            << QByteArray("/api/v1/weather/forecast/hourly?lat=1&lon=2&hours=13") << u"hours"_s;
        QTest::newRow("hours not a number")
            << QByteArray("/api/v1/weather/forecast/hourly?lat=1&lon=2&hours=all") << u"hours"_s;
        QTest::newRow("malformed language")
            << QByteArray("/api/v1/weather/current?lat=1&lon=2&lang=en_GB!") << u"lang"_s;
    }
    void invalidWatchApiQueries()
    {
        QFETCH(QByteArray, target);
        QFETCH(QString, field);
        const HttpReply reply = get(target);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
        const QJsonObject problem = reply.json().object();
        QCOMPARE(problem[u"status"].toInt(), 400);
        QCOMPARE(problem[u"field"].toString(), field);
        QVERIFY(problem[u"detail"].toString().contains(field));
        QCOMPARE(m_sandbox->totalCalls(), 0);
    }

    void aCallsDeadlineCoversItsWaitInTheQueue()
    {
        // Two calls at a time against a stalled upstream, ten cold cells asked at once: each
        // caller gets its 504 within the timeout of asking, and the calls that waited their
        // turn until too little of it was left never reach the upstream.
        test::ServerProcess server;
        server.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_URL"_s,
                                      u"http://127.0.0.1:%1"_s.arg(m_sandbox->port()));
        server.setEnvironmentVariable(u"ISOBAR_ACCUWEATHER_API_KEY"_s, kKey);
        QVERIFY2(server.start(m_dir.filePath(u"stalled.db"_s),
                              serveArguments()
                                  + QStringList{u"--accuweather-timeout-ms"_s, u"1500"_s,
                                                u"--accuweather-max-concurrent"_s, u"2"_s}),
                 server.output().constData());
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::Delay, 1.0, 10'000});
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < 10; ++i) {
            auto &socket = sockets.emplace_back(std::make_unique<QTcpSocket>());
            socket->connectToHost(QHostAddress::LocalHost, server.port());
            QVERIFY(socket->waitForConnected(10'000));
            socket->write("GET /prcpt?lt=" + QByteArray::number(-60 - i)
                          + "&lg=-150 HTTP/1.1\r\n"
                            "Host: x\r\nConnection: close\r\n\r\n");
            QVERIFY(socket->waitForBytesWritten(10'000));
        }
        for (auto &socket : sockets) {
            QByteArray answer;
            while (socket->state() == QAbstractSocket::ConnectedState
                   && socket->waitForReadyRead(30'000))
                answer += socket->readAll();
            answer += socket->readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 504 "), answer.left(200).constData());
        }
        QCOMPARE(m_sandbox->calls(u"geoposition"_s), 2);
        m_sandbox->setFaultPlan({});
        QCOMPARE(server.stop(), 0);
    }

    void upstreamTroubleHasCleanAnswers()
    {
        // A fresh area for each case, so nothing is served from the cache.
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::Malformed, 1.0, 0});
        const HttpReply broken = get("/prcpt?lt=-12.0464&lg=-77.0428");
        QCOMPARE(broken.status, 502);
        QVERIFY(broken.json()[u"message"_s].isString());
        QCOMPARE(broken.header("cache-control"), QByteArray("no-store"));
        const HttpReply problem = get("/api/v1/weather/current?lat=-12.0464&lon=-77.0428");
        QCOMPARE(problem.status, 502);
        QCOMPARE(problem.header("content-type"), QByteArray("application/problem+json"));

        // A reset connection is seen at once: retried, then 502, not the timeout's 504.
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::Reset, 1.0, 0});
        const int lookups = m_sandbox->calls(u"geoposition"_s);
        const HttpReply reset = get("/prcpt?lt=-33.9249&lg=18.4241");
        QCOMPARE(reset.status, 502);
        // The call and its two retries; Qt's HTTP stack may send each twice (the sandbox's
        // Fault::Reset says why).
        const int resent = m_sandbox->calls(u"geoposition"_s) - lookups;
        QVERIFY2(resent >= 3 && resent <= 6, qPrintable(QString::number(resent)));

        // Last, because the server then backs off from the upstream until the quota resets.
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::QuotaExceeded, 1.0, 0});
        const HttpReply quota = get("/uvidx?lt=64.1466&lg=-21.9426");
        QCOMPARE(quota.status, 503);
        QVERIFY(quota.header("retry-after").toLongLong() > 0);
        QVERIFY(!quota.body.contains(kKey.toUtf8()));
        const int calls = m_sandbox->totalCalls();
        m_sandbox->setFaultPlan({});
        QCOMPARE(get("/uvidx?lt=-41.2865&lg=174.7762").status, 503); // backing off: no call
        QCOMPARE(m_sandbox->totalCalls(), calls);
        // What is cached is still served meanwhile.
        QCOMPARE(get("/prcpt?lt=51.5074&lg=-0.1278").status, 200);
    }
};

QTEST_GUILESS_MAIN(TestWatchApi)
#include "TestWatchApi.moc"
