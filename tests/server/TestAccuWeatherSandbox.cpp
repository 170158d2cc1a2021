#include "SandboxThread.h"
#include "TestSupport.h"
#include "weather/AccuWeatherSandbox.h"
#include "weather/SandboxWeather.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>
#include <atomic>
#include <csignal>
#include <future>

using namespace Qt::StringLiterals;

using namespace isobar;
using test::HttpClient;
using test::HttpReply;

namespace {

const QString kKey = u"sandbox-wire-key-41c7e2"_s;
// 2023-05-15T10:37:00Z, the instant the fixtures were recorded at.
std::atomic<qint64> g_now{1684147020000};

QMutex g_logMutex;
QStringList g_logLines;
void captureLogs(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_logMutex); // the sandbox logs from its own thread
    g_logLines << message;
}

QJsonDocument fixture(const QString &name)
{
    QFile file(test::fixturesDir() + u"/accuweather/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll());
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"bool"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    default:
        return u"undefined"_s;
    }
}

// Where `actual` differs in shape from the recorded `expected`: the same keys with the same
// JSON types, recursively. The live service
// sends a precipitation type and intensity only when it rains, and null for "none".
void compareShape(const QJsonValue &expected, const QJsonValue &actual, const QString &path,
                  QStringList *differences)
{
    static const QSet<QString> onlyWhenRaining{u"PrecipitationType"_s, u"PrecipitationIntensity"_s};
    const bool nullable = actual.isNull() && (expected.isString() || expected.isNull());
    const bool nowNull = expected.isNull() && (actual.isString() || actual.isNull());
    if (typeName(expected) != typeName(actual) && !nullable && !nowNull) {
        *differences << u"%1: %2 expected, got %3"_s.arg(path, typeName(expected),
                                                         typeName(actual));
        return;
    }
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (a.contains(it.key()))
                compareShape(it.value(), a.value(it.key()), path + u'.' + it.key(), differences);
            else if (!onlyWhenRaining.contains(it.key()))
                *differences << path + u'.' + it.key() + u" is missing"_s;
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!e.contains(it.key()) && !onlyWhenRaining.contains(it.key()))
                *differences << path + u'.' + it.key() + u" is not in the fixture"_s;
        }
    } else if (expected.isArray() && !expected.toArray().isEmpty()) {
        // Element by element where the fixture has as many (AirAndPollen's first entry has a
        // Type the others lack), else against the fixture's first.
        const QJsonArray e = expected.toArray(), a = actual.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            compareShape(i < e.size() ? e.at(i) : e.first(), a.at(i), path + u"[%1]"_s.arg(i),
                         differences);
    }
}

HttpReply get(quint16 port, const QByteArray &target, const QByteArray &headers = {})
{
    return HttpClient::request(port, "GET", target, {}, headers);
}

QByteArray bearer()
{
    return "Authorization: Bearer " + kKey.toUtf8() + "\r\n";
}

QByteArray httpDate(qint64 ms)
{
    return QLocale::c()
        .toString(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s)
        .toLatin1();
}

} // namespace

class TestAccuWeatherSandbox : public QObject
{
    Q_OBJECT
private:
    test::SandboxThread m_thread{kKey, [] { return g_now.load(); }};
    AccuWeatherSandbox *m_sandbox = nullptr;
    quint16 m_port = 0;

    QString keyAt(double latitude, double longitude)
    {
        const HttpReply reply =
            get(m_port,
                u"/locations/v1/cities/geoposition/search?q=%1,%2"_s.arg(latitude, 0, 'f', 5)
                    .arg(longitude, 0, 'f', 5)
                    .toUtf8(),
                bearer());
        return reply.json().object().value(u"Key").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInstallMessageHandler(captureLogs);
        m_sandbox = m_thread.startSandbox();
        m_port = m_sandbox->port();
        QVERIFY(m_port != 0);
    }
    void init()
    {
        g_now = 1684147020000;
        m_sandbox->setFaultPlan({});
        m_sandbox->resetCounts();
    }
    void cleanupTestCase()
    {
        qInstallMessageHandler(nullptr);
        QMutexLocker lock(&g_logMutex);
        QVERIFY(!g_logLines.isEmpty());
        for (const QString &line : std::as_const(g_logLines))
            QVERIFY2(!line.contains(kKey), qPrintable(line));
    }

    void answersHaveTheFixturesShapes_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("fixtureName");
        QTest::addColumn<int>("elements"); // -1: an object; else the array's length
        const QByteArray key = SandboxArea::at(52.069, 19.479).key().toUtf8();
        QTest::newRow("geoposition")
            << QByteArray("/locations/v1/cities/geoposition/search?q=52.069,19.479")
            << u"location_data.json"_s << -1;
        QTest::newRow("current conditions") << "/currentconditions/v1/" + key + "?details=true"
                                            << u"current_condition_data.json"_s << 1;
        QTest::newRow("daily forecast")
            << "/forecasts/v1/daily/5day/" + key + "?metric=true&details=true"
            << u"daily_forecast_data.json"_s << -1;
        QTest::newRow("hourly forecast")
            << "/forecasts/v1/hourly/12hour/" + key + "?metric=true&details=true"
            << u"hourly_forecast_data.json"_s << 12;
        // Another place and season: other branches of the weather (rain, snow, night, polar day).
        const QByteArray arctic = SandboxArea::at(69.65, 18.96).key().toUtf8();
        QTest::newRow("daily, arctic")
            << "/forecasts/v1/daily/5day/" + arctic + "?metric=true&details=true"
            << u"daily_forecast_data.json"_s << -1;
        QTest::newRow("hourly, arctic")
            << "/forecasts/v1/hourly/12hour/" + arctic + "?metric=true&details=true"
            << u"hourly_forecast_data.json"_s << 12;
    }
    void answersHaveTheFixturesShapes()
    {
        QFETCH(QByteArray, target);
        QFETCH(QString, fixtureName);
        QFETCH(int, elements);
        const HttpReply reply = get(m_port, target, bearer());
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("content-type").startsWith("application/json"));
        const QJsonDocument document = reply.json();
        QJsonValue actual;
        if (elements < 0) {
            QVERIFY(document.isObject());
            actual = document.object();
        } else {
            QVERIFY(document.isArray());
            QCOMPARE(document.array().size(), elements);
            // The current-conditions fixture is the one object the live array holds.
            actual = elements == 1 ? document.array().first() : QJsonValue(document.array());
        }
        const QJsonDocument expected = fixture(fixtureName);
        QStringList differences;
        compareShape(expected.isObject() ? QJsonValue(expected.object())
                                         : QJsonValue(expected.array()),
                     actual, u"$"_s, &differences);
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));
        if (fixtureName == u"daily_forecast_data.json")
            QCOMPARE(actual.toObject().value(u"DailyForecasts").toArray().size(), 5);
    }

    void unitsFollowTheMetricParameter()
    {
        const QByteArray key = SandboxArea::at(40.71, -74.01).key().toUtf8();
        const QJsonObject current =
            get(m_port, "/currentconditions/v1/" + key + "?details=true", bearer())
                .json()
                .array()
                .first()
                .toObject();
        QCOMPARE(current[u"Temperature"][u"Metric"][u"Unit"].toString(), u"C"_s);
        QCOMPARE(current[u"Temperature"][u"Imperial"][u"Unit"].toString(), u"F"_s);
        const double celsius = current[u"Temperature"][u"Metric"][u"Value"].toDouble();
        QCOMPARE(current[u"Temperature"][u"Imperial"][u"Value"].toDouble(),
                 std::round(celsius * 9 / 5 + 32));
        QCOMPARE(current[u"Visibility"][u"Metric"][u"Unit"].toString(), u"km"_s);
        QCOMPARE(current[u"Precip1hr"][u"Metric"][u"Unit"].toString(), u"mm"_s);
        QCOMPARE(current[u"Precip1hr"][u"Imperial"][u"Unit"].toString(), u"in"_s);

        for (const bool metric : {true, false}) {
            const QByteArray query =
                metric ? "?metric=true&details=true" : "?metric=false&details=true";
            const QJsonObject day = get(m_port, "/forecasts/v1/daily/5day/" + key + query, bearer())
                                        .json()[u"DailyForecasts"_s]
                                        .toArray()
                                        .first()
                                        .toObject();
            QCOMPARE(day[u"Temperature"][u"Maximum"][u"Unit"].toString(), metric ? u"C"_s : u"F"_s);
            QCOMPARE(day[u"Day"][u"Wind"][u"Speed"][u"Unit"].toString(),
                     metric ? u"km/h"_s : u"mi/h"_s);
            const QJsonObject hour =
                get(m_port, "/forecasts/v1/hourly/12hour/" + key + query, bearer())
                    .json()
                    .array()
                    .first()
                    .toObject();
            QCOMPARE(hour[u"Temperature"][u"Unit"].toString(), metric ? u"C"_s : u"F"_s);
            QCOMPARE(hour[u"Temperature"][u"UnitType"].toInt(), metric ? 17 : 18);
        }
        // Like the live service, forecasts are imperial unless metric=true is asked for.
        const QJsonObject unasked = get(m_port, "/forecasts/v1/hourly/12hour/" + key, bearer())
                                        .json()
                                        .array()
                                        .first()
                                        .toObject();
        QCOMPARE(unasked[u"Temperature"][u"Unit"].toString(), u"F"_s);
        QVERIFY(!unasked.contains(u"RealFeelTemperature")); // details only when asked for
    }

    void answersNameTheSandbox()
    {
        const HttpReply reply =
            get(m_port, "/locations/v1/cities/geoposition/search?q=51.5074,-0.1278", bearer());
        const QJsonObject location = reply.json().object();
        QVERIFY2(location[u"LocalizedName"].toString().startsWith(u"Sandbox "),
                 qPrintable(location[u"LocalizedName"].toString()));
        QCOMPARE(location[u"Country"][u"ID"].toString(), u"ZZ"_s);
        QVERIFY(location[u"Country"][u"EnglishName"].toString().contains(u"not real weather"));
        QVERIFY(reply.header("x-sandbox").contains("not real weather"));
        const QJsonObject daily =
            get(m_port, "/forecasts/v1/daily/5day/" + location[u"Key"].toString().toUtf8(),
                bearer())
                .json()
                .object();
        QVERIFY(daily[u"Headline"][u"Text"].toString().startsWith(u"Sandbox forecast"));
        QVERIFY(daily[u"DailyForecasts"][0][u"Sources"][0].toString().contains(u"sandbox"));
    }

    void keysCoverAreasOfAboutTenKilometres()
    {
        // Positions 500 m apart along 100 km, north-south and (at 60°N, where a degree of
        // longitude is half as long) east-west: about ten keys each way.
        QSet<QString> northSouth, eastWest;
        for (int i = 0; i <= 200; ++i) {
            northSouth << keyAt(45.0 + i * 0.5 / 111.32, 7.0);
            eastWest << keyAt(60.0, 10.0 + i * 0.5 / (111.32 * 0.5));
        }
        QVERIFY2(northSouth.size() >= 10 && northSouth.size() <= 12,
                 qPrintable(QString::number(northSouth.size())));
        QVERIFY2(eastWest.size() >= 10 && eastWest.size() <= 12,
                 qPrintable(QString::number(eastWest.size())));
        QVERIFY(!northSouth.contains(QString()) && !eastWest.contains(QString()));

        // Stable, and the position a key names is within its area of the one asked about.
        QCOMPARE(keyAt(-33.8688, 151.2093), keyAt(-33.8688, 151.2093));
        const QJsonObject location =
            get(m_port, "/locations/v1/cities/geoposition/search?q=-33.8688,151.2093", bearer())
                .json()
                .object();
        QVERIFY(std::abs(location[u"GeoPosition"][u"Latitude"].toDouble() + 33.8688) < 0.1);
        QVERIFY(std::abs(location[u"GeoPosition"][u"Longitude"].toDouble() - 151.2093) < 0.1);
        QCOMPARE(location[u"TimeZone"][u"GmtOffset"].toDouble(), 10.0);
        QCOMPARE(location[u"TimeZone"][u"Name"].toString(),
                 u"Etc/GMT-10"_s); // POSIX signs are inverted
        QCOMPARE(location[u"TimeZone"][u"Code"].toString(), u"UTC+10"_s);

        // The poles and the antimeridian have keys like anywhere else.
        QVERIFY(!keyAt(90, 0).isEmpty());
        QVERIFY(!keyAt(-90, 45).isEmpty());
        QCOMPARE(keyAt(0, 180), keyAt(0, -180));
    }

    void unknownKeysAndPositionsAreRefused()
    {
        for (const QByteArray &target :
             {QByteArray("/currentconditions/v1/abc"), QByteArray("/currentconditions/v1/99999999"),
              QByteArray("/forecasts/v1/daily/5day/-5"),
              QByteArray("/locations/v1/cities/geoposition/search?q=91,0"),
              QByteArray("/locations/v1/cities/geoposition/search?q=london")}) {
            const HttpReply reply = get(m_port, target, bearer());
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.json()[u"Code"_s].toString(), u"400"_s);
        }
        const HttpReply missing = get(m_port, "/currentconditions/v2/123", bearer());
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.json()[u"Code"_s].toString(), u"ResourceNotFound"_s);
    }

    void valuesVaryWithPlaceAndTime()
    {
        auto current = [&](double latitude, double longitude) {
            const QByteArray key = SandboxArea::at(latitude, longitude).key().toUtf8();
            return get(m_port, "/currentconditions/v1/" + key + "?details=true", bearer())
                .json()
                .array()
                .first()
                .toObject();
        };
        auto celsius = [](const QJsonObject &o) {
            return o[u"Temperature"][u"Metric"][u"Value"].toDouble();
        };
        // Mid-May: the equator is warmer than the Arctic, and both are within earthly bounds.
        const QJsonObject equator = current(0.5, 32.5), arctic = current(78.2, 15.6);
        QVERIFY2(celsius(equator) > celsius(arctic) + 10,
                 qPrintable(u"%1 %2"_s.arg(celsius(equator)).arg(celsius(arctic))));
        QVERIFY(celsius(equator) < 45 && celsius(arctic) > -50);

        const QJsonObject before = current(48.85, 2.35);
        g_now += qint64(5) * 3600 * 1000;
        const QJsonObject after = current(48.85, 2.35);
        QCOMPARE(qint64(after[u"EpochTime"].toDouble()) - qint64(before[u"EpochTime"].toDouble()),
                 5 * 3600);
        QVERIFY(celsius(before) != celsius(after) || before[u"CloudCover"] != after[u"CloudCover"]);
        // Local time carries the area's offset: Paris is at UTC+0 by longitude (2.35°E).
        QVERIFY(after[u"LocalObservationDateTime"].toString().endsWith(u"+00:00"));
        QVERIFY(current(35.68, 139.69)[u"LocalObservationDateTime"].toString().endsWith(u"+09:00"));
    }

    void expiresAnnouncesEachLifetime()
    {
        const QByteArray key = SandboxArea::at(1.35, 103.82).key().toUtf8();
        QCOMPARE(get(m_port, "/currentconditions/v1/" + key, bearer()).header("expires"),
                 httpDate(g_now + 600'000));
        QCOMPARE(get(m_port, "/forecasts/v1/hourly/12hour/" + key, bearer()).header("expires"),
                 httpDate(g_now + 3'600'000));
        QCOMPARE(get(m_port, "/forecasts/v1/daily/5day/" + key, bearer()).header("expires"),
                 httpDate(g_now + qint64(6) * 3'600'000));
    }

    void authenticationLikeTheLiveService_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status");
        const QByteArray key = kKey.toUtf8();
        QTest::newRow("bearer header") << QByteArray() << "Authorization: Bearer " + key + "\r\n"
                                       << 200;
        QTest::newRow("scheme in lower case")
            << QByteArray() << "Authorization: bearer " + key + "\r\n"
            << 200;
        QTest::newRow("apikey parameter") << "&apikey=" + key << QByteArray() << 200;
        QTest::newRow("no key") << QByteArray() << QByteArray() << 401;
        QTest::newRow("wrong bearer")
            << QByteArray() << QByteArray("Authorization: Bearer nope\r\n") << 401;
        QTest::newRow("key with a suffix")
            << QByteArray() << "Authorization: Bearer " + key + "x\r\n"
            << 401;
        QTest::newRow("wrong apikey") << QByteArray("&apikey=nope") << QByteArray() << 401;
        QTest::newRow("basic scheme") << QByteArray() << "Authorization: Basic " + key + "\r\n"
                                      << 401;
    }
    void authenticationLikeTheLiveService()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        const HttpReply reply =
            get(m_port, "/locations/v1/cities/geoposition/search?q=10,10" + query, headers);
        QCOMPARE(reply.status, status);
        QCOMPARE(m_sandbox->calls(u"geoposition"_s), 1); // refused calls count too
        if (status == 401) {
            const QJsonObject body = reply.json().object();
            QCOMPARE(body[u"Code"].toString(), u"Unauthorized"_s);
            QCOMPARE(body[u"Message"].toString(), u"Api Authorization failed"_s);
            QVERIFY(body[u"Reference"].toString().startsWith(
                u"/locations/v1/cities/geoposition/search"));
        }
        QVERIFY(!reply.body.contains(kKey.toUtf8()));
    }

    void gzipWhenTheClientAcceptsIt()
    {
        const QByteArray target =
            "/forecasts/v1/daily/5day/" + SandboxArea::at(30, 31).key().toUtf8() + "?details=true";
        const HttpReply plain = get(m_port, target, bearer());
        const HttpReply packed =
            get(m_port, target, bearer() + "Accept-Encoding: gzip, deflate\r\n");
        QVERIFY(plain.header("content-encoding").isEmpty());
        QCOMPARE(packed.header("content-encoding"), QByteArray("gzip"));
        QVERIFY(packed.body.startsWith("\x1f\x8b"));
        QVERIFY(packed.body.size() < plain.body.size() / 3);
        QProcess gunzip;
        gunzip.start(u"gzip"_s, {u"-dc"_s});
        QVERIFY(gunzip.waitForStarted());
        gunzip.write(packed.body);
        gunzip.closeWriteChannel();
        QVERIFY(gunzip.waitForFinished());
        QCOMPARE(gunzip.exitCode(), 0); // gzip checks the CRC and length trailer too
        QCOMPARE(gunzip.readAllStandardOutput(), plain.body);
        QVERIFY(get(m_port, target, bearer() + "Accept-Encoding: gzip;q=0\r\n")
                    .header("content-encoding")
                    .isEmpty());
    }

    void faultsAskedForByTheRequest_data()
    {
        QTest::addColumn<QByteArray>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("server error") << QByteArray("server-error") << 500 << u"ServerError"_s;
        QTest::newRow("rate limit") << QByteArray("429") << 429 << u"TooManyRequests"_s;
        QTest::newRow("quota") << QByteArray("quota") << 503 << u"ServiceUnavailable"_s;
        QTest::newRow("unknown fault") << QByteArray("meteor") << 400 << u"400"_s;
    }
    void faultsAskedForByTheRequest()
    {
        QFETCH(QByteArray, fault);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpReply reply =
            get(m_port, "/currentconditions/v1/1000?sandbox_fault=" + fault, bearer());
        QCOMPARE(reply.status, status);
        const QJsonObject body = reply.json().object();
        QCOMPARE(body[u"Code"].toString(), code);
        QCOMPARE(body[u"Reference"].toString(), u"/currentconditions/v1/1000"_s);
        if (fault == "quota")
            QCOMPARE(body[u"Message"].toString(),
                     u"The allowed number of requests has been exceeded."_s);
    }

    void malformedDelayedAndResetAnswers()
    {
        const QByteArray target =
            "/currentconditions/v1/" + SandboxArea::at(10, 10).key().toUtf8() + "?details=true";
        const HttpReply malformed = get(m_port, target + "&sandbox_fault=malformed", bearer());
        QCOMPARE(malformed.status, 200);
        QJsonParseError error;
        QJsonDocument::fromJson(malformed.body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);

        QElapsedTimer timer;
        timer.start();
        const HttpReply late =
            get(m_port, target + "&sandbox_fault=delay&sandbox_delay_ms=400", bearer());
        QCOMPARE(late.status, 200);
        QVERIFY(timer.elapsed() >= 400);
        QVERIFY(late.json().isArray());

        HttpClient client(m_port);
        client.sendRaw("GET " + target + "&sandbox_fault=reset HTTP/1.1\r\nHost: x\r\n" + bearer()
                       + "\r\n");
        QVERIFY(!client.readReply(3000).has_value());
        QVERIFY(client.waitForClose(30000));
        QCOMPARE(m_sandbox->calls(u"current"_s), 3);
    }

    void faultPlanHitsItsShareOfCalls()
    {
        const QByteArray target =
            "/forecasts/v1/hourly/12hour/" + SandboxArea::at(10, 10).key().toUtf8();
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::ServerError, 1.0, 0});
        QCOMPARE(get(m_port, target, bearer()).status, 500);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::ServerError, 0.0, 0});
        QCOMPARE(get(m_port, target, bearer()).status, 200);
        m_sandbox->setFaultPlan({AccuWeatherSandbox::Fault::QuotaExceeded, 0.5, 0});
        int refused = 0;
        for (int i = 0; i < 100; ++i)
            refused += get(m_port, target, bearer()).status == 503;
        QVERIFY2(refused >= 25 && refused <= 75, qPrintable(QString::number(refused)));
        QCOMPARE(m_sandbox->calls(u"hourly"_s), 102);
        QCOMPARE(m_sandbox->totalCalls(), 102);
        m_sandbox->resetCounts();
        QCOMPARE(m_sandbox->totalCalls(), 0);
    }

    void commandLine()
    {
        QProcess help;
        help.start(QString::fromUtf8(ISOBAR_BINARY), {u"accuweather-sandbox"_s, u"--help"_s});
        QVERIFY(help.waitForFinished(10000));
        QCOMPARE(help.exitCode(), 0);
        const QByteArray text = help.readAllStandardOutput();
        for (const char *expected : {"--port", "--bind", "--fault", "--fault-probability",
                                     "--delay-ms", "ISOBAR_SANDBOX_API_KEY"})
            QVERIFY2(text.contains(expected), expected);

        auto refused = [](const QStringList &arguments, const QString &key) {
            QProcess process;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(u"ISOBAR_SANDBOX_API_KEY"_s);
            if (!key.isEmpty())
                environment.insert(u"ISOBAR_SANDBOX_API_KEY"_s, key);
            process.setProcessEnvironment(environment);
            process.start(QString::fromUtf8(ISOBAR_BINARY),
                          QStringList{u"accuweather-sandbox"_s} + arguments);
            process.waitForFinished(10000);
            return process.exitCode();
        };
        QCOMPARE(refused({u"--port"_s, u"0"_s}, {}), 2); // no key in the environment
        QCOMPARE(refused({u"--port"_s, u"0"_s, u"--fault"_s, u"meteor"_s}, kKey), 2);
        QCOMPARE(refused({u"--port"_s, u"70000"_s}, kKey), 2);
        QCOMPARE(refused({u"--bind"_s, u"localhost.example"_s}, kKey), 2);

        QProcess sandbox;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"ISOBAR_SANDBOX_API_KEY"_s, kKey);
        sandbox.setProcessEnvironment(environment);
        sandbox.setProcessChannelMode(QProcess::MergedChannels);
        sandbox.start(QString::fromUtf8(ISOBAR_BINARY),
                      {u"accuweather-sandbox"_s, u"--port"_s, u"0"_s, u"--fault"_s, u"quota"_s});
        static const QRegularExpression listening(u"listening on http://127.0.0.1:(\\d+)/"_s);
        QByteArray output;
        QRegularExpressionMatch match;
        QElapsedTimer timer;
        timer.start();
        while (!(match = listening.match(QString::fromUtf8(output))).hasMatch()
               && timer.elapsed() < 60000) {
            sandbox.waitForReadyRead(200);
            output += sandbox.readAll();
        }
        QVERIFY2(match.hasMatch(), output.constData());
        const quint16 port = quint16(match.captured(1).toUInt());
        QCOMPARE(get(port, "/currentconditions/v1/1000", bearer()).status, 503); // --fault quota
        QCOMPARE(get(port, "/currentconditions/v1/1000?apikey=nope").status, 401);
        ::kill(pid_t(sandbox.processId()), SIGTERM);
        QVERIFY(sandbox.waitForFinished(10000));
        QCOMPARE(sandbox.exitStatus(), QProcess::NormalExit);
        QCOMPARE(sandbox.exitCode(), 0);
        output += sandbox.readAll();
        QVERIFY(output.contains("event=sandbox_call"));
        QVERIFY(!output.contains(kKey.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestAccuWeatherSandbox)
#include "TestAccuWeatherSandbox.moc"
