// UKHSA's weather-health alerts (alerts/v1/heat, alerts/v1/cold and /{geography_code}) over a
// real socket (see MetricsApiFixture.h), held to the bytes UKHSA answers
// (metrics/api/views/alerts.py, metrics/domain/weather_health_alerts/ and their tests).
//
// The alert fixtures are headline files of the hazards' matrix metrics:
// - heat E12000004 (East Midlands), level 16 until 2024-05-30 16:00 (ended), and a record of
//   level 16 until 2099 refreshed earlier (superseded: the latest refresh decides);
// - heat E12000002 (North West), level 11 from 2024-06-10 09:00 until 2099-01-07 08:00, and a
//   level 16 after it under embargo until 2099;
// - cold E12000003 (Yorkshire and The Humber), level 7 until 2023-09-12 08:00 (ended);
// - OFF-SENS heat E12000001 (North East): not public, so never an alert.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace isobar::test;

class TestWeatherAlertsApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start(); }
    void cleanupTestCase() { m_api.stop(); }

    void answers_data();
    void answers();
    void exactPaths_data();
    void exactPaths();
    void otherMethodsAreRefused();

private:
    MetricsApiServer m_api;
};

namespace {

const QByteArray kLevelOneText = "\"<p>Little impact observed on health, healthcare services and "
                                 "social care provision. Business as usual.</p>\"";

} // namespace

void TestWeatherAlertsApi::answers_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");

    // Every Government Office Region the store holds, by code, whichever hazard filed it; an
    // ended alert was last refreshed when it ended; London times with their offset.
    QTest::newRow("heat list")
        << QByteArray("/api/alerts/v1/heat") << 200
        << QByteArray("[{\"geography_code\":\"E12000001\",\"geography_name\":\"North East\","
                      "\"status\":\"Green\",\"refresh_date\":null},"
                      "{\"geography_code\":\"E12000002\",\"geography_name\":\"North West\","
                      "\"status\":\"Yellow\",\"refresh_date\":\"2024-06-11T11:15:00+01:00\"},"
                      "{\"geography_code\":\"E12000003\",\"geography_name\":\"Yorkshire and The "
                      "Humber\",\"status\":\"Green\",\"refresh_date\":null},"
                      "{\"geography_code\":\"E12000004\",\"geography_name\":\"East Midlands\","
                      "\"status\":\"Green\",\"refresh_date\":\"2024-05-30T16:00:00+01:00\"}]");
    QTest::newRow("cold list")
        << QByteArray("/api/alerts/v1/cold") << 200
        << QByteArray(
               "[{\"geography_code\":\"E12000001\",\"geography_name\":\"North East\","
               "\"status\":\"Green\",\"refresh_date\":null},"
               "{\"geography_code\":\"E12000002\",\"geography_name\":\"North West\","
               "\"status\":\"Green\",\"refresh_date\":null},"
               "{\"geography_code\":\"E12000003\",\"geography_name\":\"Yorkshire and The "
               "Humber\",\"status\":\"Green\",\"refresh_date\":\"2023-09-12T08:00:00+01:00\"},"
               "{\"geography_code\":\"E12000004\",\"geography_name\":\"East Midlands\","
               "\"status\":\"Green\",\"refresh_date\":null}]");

    // A live alert: its stored level (a decimal to UKHSA), the matrix and the advice for it.
    QTest::newRow("live alert")
        << QByteArray("/api/alerts/v1/heat/E12000002") << 200
        << QByteArray(
               "{\"geography_name\":\"North West\",\"geography_code\":\"E12000002\","
               "\"status\":\"Yellow\",\"text\":\"<p>There is <strong>potential</strong> for "
               "severe impacts across health and social care services due to the high "
               "temperatures, including:</p><ul><li>increased risk to life across the whole "
               "population, with significant impacts on older people</li><li>significantly "
               "increased demand on all health and social care services</li><li>the heat "
               "affecting the ability of the workforce to deliver services</li><li>hot indoor "
               "environments making provision of care challenging and national critical "
               "infrastructure failures, such as generators and power outages</li><li>water\u2011"
               "related incidents may increase, including risks from cold\u2011water shock and "
               "drowning</li></ul>\",\"risk_score\":11.0,\"impact\":\"High\",\"likelihood\":"
               "\"Very low\",\"period_start\":\"2024-06-10T09:00:00+01:00\",\"period_end\":"
               "\"2099-01-07T08:00:00Z\",\"refresh_date\":\"2024-06-11T11:15:00+01:00\"}");
    // Ended: back to level 1 (an integer), the period kept, refreshed when it ended.
    QTest::newRow("ended alert")
        << QByteArray("/api/alerts/v1/heat/E12000004") << 200
        << "{\"geography_name\":\"East Midlands\",\"geography_code\":\"E12000004\",\"status\":"
           "\"Green\",\"text\":"
               + kLevelOneText
               + ",\"risk_score\":1,\"impact\":\"Very low\",\"likelihood\":\"Very low\","
                 "\"period_start\":\"2024-05-28T11:00:00+01:00\",\"period_end\":\"2024-05-30T16:"
                 "00:00+01:00\",\"refresh_date\":\"2024-05-30T16:00:00+01:00\"}";
    // No public record (the North East's is OFF-SENS): level 1 and no times.
    QTest::newRow("never alerted")
        << QByteArray("/api/alerts/v1/heat/E12000001") << 200
        << "{\"geography_name\":\"North East\",\"geography_code\":\"E12000001\",\"status\":"
           "\"Green\",\"text\":"
               + kLevelOneText
               + ",\"risk_score\":1,\"impact\":\"Very low\",\"likelihood\":\"Very low\","
                 "\"period_start\":null,\"period_end\":null,\"refresh_date\":null}";

    // UKHSA's serializer error: an object under the field, not a list of messages.
    const QByteArray invalidCode =
        "{\"geography_code\":{\"name\":\"Please enter a valid geography code.\"}}";
    QTest::newRow("unknown code") << QByteArray("/api/alerts/v1/cold/invalid-code") << 400
                                  << invalidCode;
    // A geography of another type (the OFF-SENS Region London) is no alert region.
    QTest::newRow("not a Government Office Region")
        << QByteArray("/api/alerts/v1/cold/E12000007") << 400 << invalidCode;
}

void TestWeatherAlertsApi::answers()
{
    m_api.compareGet();
}

void TestWeatherAlertsApi::exactPaths_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("list") << QByteArray("/api/alerts/v1/heat/");
    QTest::newRow("detail") << QByteArray("/api/alerts/v1/heat/E12000002/");
}

void TestWeatherAlertsApi::exactPaths()
{
    // UKHSA's alert routes end without a slash; Django answers a slash too many with its 404.
    QFETCH(QByteArray, target);
    const HttpReply reply = m_api.get(target);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.header("content-type"), QByteArray("text/html; charset=utf-8"));
}

void TestWeatherAlertsApi::otherMethodsAreRefused()
{
    const HttpReply reply = m_api.post("/api/alerts/v1/cold/E12000003", "{}");
    m_api.compareBytes(reply, 405, "{\"detail\":\"Method \\\"POST\\\" not allowed.\"}");
    QCOMPARE(reply.header("allow"), QByteArray("GET, HEAD, OPTIONS"));
}

QTEST_GUILESS_MAIN(TestWeatherAlertsApi)
#include "TestWeatherAlertsApi.moc"
