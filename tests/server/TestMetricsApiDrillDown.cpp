// The metrics API's drill-down over a real socket (see MetricsApiFixture.h): every level from
// themes to metrics, the flat catalogue, what is never listed or served (non-public, embargoed,
// headline-only), unknown names and paths, and methods a route does not take.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestMetricsApiDrillDown : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start(); }
    void cleanupTestCase() { m_api.stop(); }

    void drillDown_data();
    void drillDown();
    void catalogueIsTheDrillDownFlattened();
    void nonPublicAndEmbargoedNeverServed();
    void problems_data();
    void problems();
    void hiddenNamesAreUnknown_data();
    void hiddenNamesAreUnknown();
    void wrongMethod_data();
    void wrongMethod();

private:
    MetricsApiServer m_api;
};

void TestMetricsApiDrillDown::drillDown_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");

    const QByteArray themes = kTimeseries + "/themes";
    const QByteArray subThemes = themes + "/infectious_disease/sub_themes";
    const QByteArray topics = subThemes + "/respiratory/topics";
    const QByteArray covidTypes = kCovid + "/geography_types";
    const QByteArray ltla = covidTypes + "/Lower%20Tier%20Local%20Authority";

    QTest::newRow("themes") << themes << QJsonValue(catalogue(themes, {u"infectious_disease"_s}));
    QTest::newRow("themes/") << themes + '/'
                             << QJsonValue(catalogue(themes, {u"infectious_disease"_s}));
    QTest::newRow("theme") << themes + "/infectious_disease"
                           << QJsonValue(detail(u"infectious_disease"_s, "sub_themes", subThemes));
    QTest::newRow("theme/") << themes + "/infectious_disease/"
                            << QJsonValue(detail(u"infectious_disease"_s, "sub_themes", subThemes));
    QTest::newRow("sub_themes") << subThemes
                                << QJsonValue(catalogue(subThemes, {u"respiratory"_s}));
    QTest::newRow("sub_theme") << subThemes + "/respiratory"
                               << QJsonValue(detail(u"respiratory"_s, "topics", topics));
    QTest::newRow("topics") << topics + '/'
                            << QJsonValue(catalogue(topics, {u"COVID-19"_s, u"Influenza"_s}));
    QTest::newRow("topic") << kCovid
                           << QJsonValue(detail(u"COVID-19"_s, "geography_types", covidTypes));
    // An escape where none is needed decodes to the same name; links are written canonically.
    QTest::newRow("topic escaped")
        << topics + "/COVID%2D19"
        << QJsonValue(detail(u"COVID-19"_s, "geography_types", covidTypes));
    QTest::newRow("geography_types, a name with spaces")
        << covidTypes
        << QJsonValue(catalogue(covidTypes, {u"Lower Tier Local Authority"_s, u"Nation"_s},
                                {u"Lower%20Tier%20Local%20Authority"_s}));
    QTest::newRow("geography_type with spaces")
        << ltla
        << QJsonValue(
               detail(u"Lower Tier Local Authority"_s, "geographies", ltla + "/geographies"));
    // North Lincolnshire has only OFF-SENS_ (non-public) data.
    QTest::newRow("geographies, public only")
        << ltla + "/geographies/"
        << QJsonValue(catalogue(ltla + "/geographies", {u"East Devon"_s}, {u"East%20Devon"_s}));
    QTest::newRow("geography with spaces")
        << ltla + "/geographies/East%20Devon"
        << QJsonValue(detail(u"East Devon"_s, "metrics", kEastDevon));
    QTest::newRow("metrics of East Devon")
        << kEastDevon << QJsonValue(catalogue(kEastDevon, {u"COVID-19_deaths_ONSByWeek"_s}));
    // Headline metrics are not time series, and OFF-SENS_ metrics are not public.
    QTest::newRow("metrics of England")
        << kEngland
        << QJsonValue(catalogue(
               kEngland, {u"COVID-19_cases_casesByDay"_s, u"COVID-19_cases_rateRollingMean"_s}));
    QTest::newRow("geography_types from the CSV")
        << kInfluenza + "/geography_types"
        << QJsonValue(catalogue(kInfluenza + "/geography_types", {u"Nation"_s, u"UKHSA Region"_s},
                                {u"Nation"_s, u"UKHSA%20Region"_s}));
    QTest::newRow("metrics from the CSV")
        << kInfluenza + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics"
        << QJsonValue(catalogue(
               kInfluenza + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics",
               {u"weekly_hospital_admissions_rate_by_geography"_s}));
}

void TestMetricsApiDrillDown::drillDown()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.get(target), expected);
}

void TestMetricsApiDrillDown::catalogueIsTheDrillDownFlattened()
{
    // Every leaf of the drill-down, walked level by level by name.
    QList<QStringList> walked{{}};
    for (const char *collection :
         {"themes", "sub_themes", "topics", "geography_types", "geographies", "metrics"}) {
        QList<QStringList> deeper;
        for (const QStringList &path : std::as_const(walked)) {
            QByteArray target = kTimeseries;
            static const char *const kCollections[] = {"themes", "sub_themes", "topics",
                                                       "geography_types", "geographies"};
            for (int i = 0; i < path.size(); ++i)
                target +=
                    '/' + QByteArray(kCollections[i]) + '/' + QUrl::toPercentEncoding(path[i]);
            const HttpReply reply = m_api.get(target + '/' + collection);
            QCOMPARE(reply.status, 200);
            for (const auto &item : reply.json().array())
                deeper.append(path + QStringList{item.toObject().value(u"name").toString()});
        }
        walked = deeper;
    }
    const HttpReply reply = m_api.get("/api/v1/catalogue");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonObject answer = reply.json().object();
    QList<QStringList> flat;
    for (const auto &row : answer.value(u"results").toArray()) {
        const QJsonObject o = row.toObject();
        flat.append({o.value(u"theme").toString(), o.value(u"sub_theme").toString(),
                     o.value(u"topic").toString(), o.value(u"geography_type").toString(),
                     o.value(u"geography").toString(), o.value(u"metric").toString()});
    }
    QCOMPARE(flat, walked);
    QCOMPARE(answer.value(u"count").toInt(), 5); // no headline, no OFF-SENS_, embargo respected
    QVERIFY(flat.contains(QStringList{u"infectious_disease"_s, u"respiratory"_s, u"COVID-19"_s,
                                      u"Lower Tier Local Authority"_s, u"East Devon"_s,
                                      u"COVID-19_deaths_ONSByWeek"_s}));
    QCOMPARE(m_api.get("/api/v1/catalogue?page=2").status, 400); // it takes no parameters
}

void TestMetricsApiDrillDown::nonPublicAndEmbargoedNeverServed()
{
    // Walks the whole catalogue by its links and reads every point of every metric.
    QStringList pending{m_api.base() + QString::fromLatin1(kTimeseries) + u"/themes/"_s};
    QByteArray everything;
    int metricsRead = 0;
    while (!pending.isEmpty()) {
        const QString url = pending.takeFirst();
        QVERIFY(url.startsWith(m_api.base()));
        const QByteArray target = url.mid(m_api.base().size()).toLatin1();
        const bool pointsLevel = target.contains("/metrics/") && !target.endsWith("/metrics/");
        const HttpReply reply = m_api.get(target + (pointsLevel ? "?page_size=365" : ""));
        QVERIFY2(reply.status == 200, target.constData());
        everything += reply.body;
        const QJsonDocument document = reply.json();
        if (document.isArray()) {
            for (const auto &item : document.array())
                pending << item.toObject().value(u"link").toString();
        } else if (pointsLevel) {
            QCOMPARE(document.object().value(u"next"), QJsonValue());
            ++metricsRead;
        } else {
            for (const auto &link : document.object())
                if (link.toString().startsWith(m_api.base()))
                    pending << link.toString();
        }
    }
    QCOMPARE(metricsRead, 5); // casesByDay, rateRollingMean, ONSByWeek, and two from the CSV
    QVERIFY(everything.contains("\"2023-01-04\""));
    QVERIFY2(!everything.contains("2023-01-05"), "a point under embargo was served");
    QVERIFY2(!everything.contains("OFF-SENS"), "a non-public metric was served");
    QVERIFY2(!everything.contains("North Lincolnshire"),
             "a geography with only non-public data was listed");
    QVERIFY2(!everything.contains("\"Female\""), "a non-public series was served");
    QVERIFY2(!everything.contains("headline"), "a headline metric was listed as a time series");
}

void TestMetricsApiDrillDown::problems_data()
{
    addProblemColumns();

    // Unknown paths and names: 404.
    QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/api/nothing/here")
                                  << QByteArray() << 404 << QString();
    QTest::newRow("beyond the last level")
        << QByteArray("GET") << kCasesByDay + "/more" << QByteArray() << 404 << QString();
    QTest::newRow("unknown theme") << QByteArray("GET") << kTimeseries + "/themes/no_such_theme"
                                   << QByteArray() << 404 << u"theme"_s;
    QTest::newRow("unknown sub_theme in a list")
        << QByteArray("GET") << kTimeseries + "/themes/infectious_disease/sub_themes/nope/topics"
        << QByteArray() << 404 << u"sub_theme"_s;
    QTest::newRow("unknown topic")
        << QByteArray("GET")
        << kTimeseries + "/themes/infectious_disease/sub_themes/respiratory/topics/Ebola"
        << QByteArray() << 404 << u"topic"_s;
    QTest::newRow("a topic under another theme")
        << QByteArray("GET")
        << kTimeseries + "/themes/climate/sub_themes/respiratory/topics/COVID-19" << QByteArray()
        << 404 << u"topic"_s;
    QTest::newRow("unknown geography with spaces")
        << QByteArray("GET") << kCovid + "/geography_types/Nation/geographies/New%20England/metrics"
        << QByteArray() << 404 << u"geography"_s;
    QTest::newRow("unknown metric in the path")
        << QByteArray("GET") << kEngland + "/COVID-19_cases_noSuchMetric" << QByteArray() << 404
        << u"metric"_s;
    QTest::newRow("a metric of another geography")
        << QByteArray("GET") << kEngland + "/COVID-19_deaths_ONSByWeek" << QByteArray() << 404
        << u"metric"_s;
}

void TestMetricsApiDrillDown::problems()
{
    m_api.verifyProblem();
}

void TestMetricsApiDrillDown::hiddenNamesAreUnknown_data()
{
    addProblemColumns();
    const QByteArray offSens = "OFF-SENS_COVID-19_cases_rateRollingMean";
    QTest::newRow("non-public metric in the path")
        << QByteArray("GET") << kEngland + '/' + offSens << QByteArray() << 404 << u"metric"_s;
    QTest::newRow("geography with only non-public data")
        << QByteArray("GET")
        << kCovid
               + "/geography_types/Lower%20Tier%20Local%20Authority/geographies/"
                 "North%20Lincolnshire"
        << QByteArray() << 404 << u"geography"_s;
    QTest::newRow("headline metric in the path")
        << QByteArray("GET") << kEngland + "/COVID-19_headline_cases_7DayTotals" << QByteArray()
        << 404 << u"metric"_s;
    QTest::newRow("non-public metric in a table")
        << QByteArray("POST") << QByteArray("/api/tables/v4")
        << "{\"plots\":[" + plot(offSens) + "]}" << 400 << u"plots[0].metric"_s;
    QTest::newRow("non-public metric in a download")
        << QByteArray("POST") << QByteArray("/api/downloads/v2")
        << "{\"plots\":[" + plot(offSens) + "]}" << 400 << u"plots[0].metric"_s;
}

// Names the catalogue does not list (non-public, headline-only) are unknown everywhere else too.
void TestMetricsApiDrillDown::hiddenNamesAreUnknown()
{
    m_api.verifyProblem();
}

void TestMetricsApiDrillDown::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("allow");
    QTest::newRow("GET a table") << QByteArray("GET") << QByteArray("/api/tables/v4")
                                 << QByteArray("POST");
    QTest::newRow("POST a headline")
        << QByteArray("POST") << QByteArray("/api/headlines/v3/") << QByteArray("GET");
    QTest::newRow("DELETE a metric") << QByteArray("DELETE") << kCasesByDay << QByteArray("GET");
    QTest::newRow("PUT a download")
        << QByteArray("PUT") << QByteArray("/api/downloads/v2") << QByteArray("POST");
}

void TestMetricsApiDrillDown::wrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, allow);
    const HttpReply reply = HttpClient::request(m_api.port(), method, target, "{}");
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("allow"), allow);
    QCOMPARE(reply.header("content-type"), QByteArray("application/problem+json"));
    QCOMPARE(reply.json().object().value(u"status").toInt(), 405);
    QCOMPARE(reply.json().object().value(u"title").toString(), u"Method Not Allowed"_s);
}

QTEST_GUILESS_MAIN(TestMetricsApiDrillDown)
#include "TestMetricsApiDrillDown.moc"
