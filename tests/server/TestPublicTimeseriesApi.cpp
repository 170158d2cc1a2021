// UKHSA's public API over a real socket (see MetricsApiFixture.h), held to what UKHSA's own
// integration tests and code expect (public_api/ in UKHSA-Internal/data-dashboard-api): the
// hyperlinked drill-down in both trees, walked by its links as UKHSA's tests walk it; the
// exact bytes of its answers (key order, float spelling, link spelling); trailing slashes as
// Django answers them; the leaf's filters, pagination and errors; links behind a trusted
// proxy; the flat catalogue; what is never served (non-public, embargoed, headline-only); and
// the API mounted at the root, as UKHSA's public mode serves it; and UKHSA's health probes.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

namespace {

const QByteArray kThemes = kTimeseries + "/themes";
const QByteArray kSubThemes = kThemes + "/infectious_disease/sub_themes";
const QByteArray kTopics = kSubThemes + "/respiratory/topics";
const QByteArray kCovidTypes = kCovid + "/geography_types";
const QByteArray kLtla = kCovidTypes + "/Lower%20Tier%20Local%20Authority";
const QByteArray kV2Covid = kTimeseries
                            + "/v2/themes/infectious_disease/sub_themes/respiratory/topics/"
                              "COVID-19";
const QByteArray kV2Ltla = kV2Covid + "/geography_types/Lower+Tier+Local+Authority";

// The first results of COVID-19_cases_casesByDay, exactly as UKHSA writes a result.
QByteArray casesResult(const char *date, int epiweek, const char *value, bool inDelay = false)
{
    const QDate day = QDate::fromString(QLatin1String(date), Qt::ISODate);
    return "{\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\",\"topic\":\"COVID-19\","
           "\"geography_type\":\"Nation\",\"geography\":\"England\",\"geography_code\":"
           "\"E92000001\",\"metric\":\"COVID-19_cases_casesByDay\",\"metric_group\":\"cases\","
           "\"stratum\":\"default\",\"sex\":\"all\",\"age\":\"all\",\"year\":"
           + QByteArray::number(day.year()) + ",\"month\":" + QByteArray::number(day.month())
           + ",\"epiweek\":" + QByteArray::number(epiweek) + ",\"date\":\"" + date
           + "\",\"metric_value\":" + value
           + ",\"in_reporting_delay_period\":" + (inDelay ? "true" : "false") + '}';
}

} // namespace

class TestPublicTimeseriesApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void drillDown_data();
    void drillDown();
    void exactBytes_data();
    void exactBytes();
    void slashes_data();
    void slashes();
    void timeseries_data();
    void timeseries();
    void linksBehindATrustedProxy();
    void everySeriesReachableByLinks_data();
    void everySeriesReachableByLinks();
    void catalogueIsTheDrillDownFlattened();
    void mountedAtTheRoot();
    void ukhsaHealthRoutes();
    void otherMethodsRefusedAsUkhsaDoes_data();
    void otherMethodsRefusedAsUkhsaDoes();

private:
    MetricsApiServer m_api;
    MetricsApiServer m_rootMounted; // --public-api-mount /, as UKHSA's public mode
    int m_pointsByLinks = -1;
};

void TestPublicTimeseriesApi::initTestCase()
{
    m_api.start({u"--trusted-proxies"_s, u"127.0.0.1"_s});
    m_rootMounted.start({u"--public-api-mount"_s, u"/"_s});
}

void TestPublicTimeseriesApi::cleanupTestCase()
{
    m_api.stop();
    m_rootMounted.stop();
}

void TestPublicTimeseriesApi::drillDown_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");

    QTest::newRow("themes/") << kThemes + '/'
                             << QJsonValue(catalogue(kThemes, {u"infectious_disease"_s}));
    QTest::newRow("theme") << kThemes + "/infectious_disease"
                           << QJsonValue(detail("sub_themes", kSubThemes + '/'));
    QTest::newRow("sub_themes/") << kSubThemes + '/'
                                 << QJsonValue(catalogue(kSubThemes, {u"respiratory"_s}));
    QTest::newRow("sub_theme") << kSubThemes + "/respiratory"
                               << QJsonValue(detail("topics", kTopics));
    QTest::newRow("topics") << kTopics
                            << QJsonValue(catalogue(kTopics, {u"COVID-19"_s, u"Influenza"_s}));
    QTest::newRow("topic") << kCovid << QJsonValue(detail("geography_types", kCovidTypes));
    // An escape where none is needed decodes to the same name; links are written canonically.
    QTest::newRow("topic escaped")
        << kTopics + "/COVID%2D19" << QJsonValue(detail("geography_types", kCovidTypes));
    QTest::newRow("geography_types, a name with spaces")
        << kCovidTypes
        << QJsonValue(catalogue(kCovidTypes, {u"Lower Tier Local Authority"_s, u"Nation"_s},
                                {u"Lower%20Tier%20Local%20Authority"_s}));
    QTest::newRow("geography_type with spaces")
        << kLtla << QJsonValue(detail("geographies", kLtla + "/geographies"));
    // North Lincolnshire has only OFF-SENS_ (non-public) data.
    QTest::newRow("geographies, public only")
        << kLtla + "/geographies"
        << QJsonValue(catalogue(kLtla + "/geographies", {u"East Devon"_s}, {u"East%20Devon"_s}));
    QTest::newRow("geography with spaces")
        << kLtla + "/geographies/East%20Devon" << QJsonValue(detail("metrics", kEastDevon));
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

    // UKHSA filters its rows by the path: a name it does not hold is an empty list, not a 404.
    const QJsonValue none = QJsonArray();
    QTest::newRow("unknown theme") << kThemes + "/no_such_theme" << none;
    QTest::newRow("a list under an unknown sub_theme")
        << kThemes + "/infectious_disease/sub_themes/nope/topics" << none;
    QTest::newRow("unknown topic") << kTopics + "/Ebola" << none;
    QTest::newRow("a topic under another theme")
        << kThemes + "/climate/sub_themes/respiratory/topics/COVID-19" << none;
    QTest::newRow("geography with only non-public data")
        << kLtla + "/geographies/North%20Lincolnshire" << none;
    QTest::newRow("metrics of an unknown geography")
        << kCovidTypes + "/Nation/geographies/New%20England/metrics" << none;

    // v2 writes a space as '+' in links (names keep their spaces) and reads '+' back.
    QTest::newRow("v2 geography_types")
        << kV2Covid + "/geography_types"
        << QJsonValue(catalogue(kV2Covid + "/geography_types",
                                {u"Lower Tier Local Authority"_s, u"Nation"_s},
                                {u"Lower+Tier+Local+Authority"_s}));
    QTest::newRow("v2 geography_type read back")
        << kV2Ltla << QJsonValue(detail("geographies", kV2Ltla + "/geographies"));
    QTest::newRow("v2 geographies")
        << kV2Ltla + "/geographies"
        << QJsonValue(catalogue(kV2Ltla + "/geographies", {u"East Devon"_s}, {u"East+Devon"_s}));
    QTest::newRow("v2 leaf read back")
        << kV2Ltla + "/geographies/East+Devon/metrics/COVID-19_deaths_ONSByWeek"
        << QJsonValue(
               page(3, {}, {},
                    {point(kDeaths, "2022-10-31", 44, 2), point(kDeaths, "2022-11-07", 45, 4),
                     point(kDeaths, "2022-11-14", 46, 1)}));
}

void TestPublicTimeseriesApi::drillDown()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.get(target), expected);
}

void TestPublicTimeseriesApi::exactBytes_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("root") << kTimeseries + '/' << 200
                          << QByteArray("{\"links\":{\"themes\":\"$BASE/api/public/timeseries/"
                                        "themes/\"}}");
    QTest::newRow("v2 root") << kTimeseries + "/v2/" << 200
                             << QByteArray("{\"links\":{\"themes\":\"$BASE/api/public/timeseries/"
                                           "v2/themes/\"}}");
    QTest::newRow("a list: name, then link")
        << kThemes + '/' << 200
        << QByteArray("[{\"name\":\"infectious_disease\",\"link\":\"$BASE/api/public/timeseries/"
                      "themes/infectious_disease\"}]");
    QTest::newRow("a detail: one link, no name")
        << kSubThemes + "/respiratory" << 200
        << QByteArray("[{\"topics\":\"$BASE/api/public/timeseries/themes/infectious_disease/"
                      "sub_themes/respiratory/topics\"}]");
    QTest::newRow("an unknown name") << kThemes + "/nothing" << 200 << QByteArray("[]");
    // Python's float repr: a whole number keeps ".0"; pages link with sorted, form-encoded
    // queries, and the link to page 1 has no page at all.
    const QByteArray cases = "$BASE" + kCasesByDay;
    QTest::newRow("a page, field order and float spelling")
        << kCasesByDay + "?page_size=1&page=2" << 200
        << "{\"count\":6,\"next\":\"" + cases + "?page=3&page_size=1\",\"previous\":\"" + cases
               + "?page_size=1\",\"results\":[" + casesResult("2022-12-31", 52, "3891.0") + "]}";
    QTest::newRow("in the reporting delay, the last page")
        << kCasesByDay + "?page=last&page_size=2" << 200
        << "{\"count\":6,\"next\":null,\"previous\":\"" + cases
               + "?page=2&page_size=2\",\"results\":[" + casesResult("2023-01-03", 1, "5739.0")
               + ',' + casesResult("2023-01-04", 1, "5009.0", true) + "]}";
    const QByteArray flu = kInfluenza
                           + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics/"
                             "weekly_hospital_admissions_rate_by_geography";
    QTest::newRow("a fraction")
        << flu + "?page_size=1" << 200
        << "{\"count\":3,\"next\":\"$BASE" + flu
               + "?page=2&page_size=1\",\"previous\":null,\"results\":[{\"theme\":"
                 "\"infectious_disease\",\"sub_theme\":\"respiratory\",\"topic\":\"Influenza\","
                 "\"geography_type\":\"UKHSA Region\",\"geography\":\"East Midlands\","
                 "\"geography_code\":\"\",\"metric\":\"weekly_hospital_admissions_rate_by_"
                 "geography\",\"metric_group\":\"healthcare\",\"stratum\":\"default\",\"sex\":"
                 "\"all\",\"age\":\"all\",\"year\":2023,\"month\":2,\"epiweek\":6,\"date\":"
                 "\"2023-02-06\",\"metric_value\":1.270175934,\"in_reporting_delay_period\":"
                 "false}]}";
    QTest::newRow("nothing matches") << kEngland + "/COVID-19_cases_noSuchMetric" << 200
                                     << QByteArray("{\"count\":0,\"next\":null,\"previous\":null,"
                                                   "\"results\":[]}");

    QTest::newRow("a blank page is the first")
        << kEngland + "/COVID-19_cases_noSuchMetric?page=" << 200
        << QByteArray("{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}");

    const QByteArray invalidPage = "{\"detail\":\"Invalid page.\"}";
    QTest::newRow("page beyond the last") << kCasesByDay + "?page=3" << 404 << invalidPage;
    QTest::newRow("page 0") << kCasesByDay + "?page=0" << 404 << invalidPage;
    QTest::newRow("page not whole") << kCasesByDay + "?page=1.0" << 404 << invalidPage;
    QTest::newRow("page not a number") << kCasesByDay + "?page=first" << 404 << invalidPage;
    QTest::newRow("page 2 of nothing")
        << kEngland + "/COVID-19_cases_noSuchMetric?page=2" << 404 << invalidPage;
    QTest::newRow("year not a number")
        << kCasesByDay + "?year=last" << 400 << QByteArray("{\"year\":[\"Enter a number.\"]}");
    QTest::newRow("errors in UKHSA's field order")
        << kCasesByDay + "?date=2023-02-30&epiweek=x&year=y" << 400
        << QByteArray("{\"year\":[\"Enter a number.\"],\"epiweek\":[\"Enter a number.\"],"
                      "\"date\":[\"Enter a valid date.\"]}");
    QTest::newRow("Isobar's date range, backwards")
        << kCasesByDay + "?date_from=2023-01-03&date_to=2023-01-02" << 400
        << QByteArray("{\"date_to\":[\"Must not be before date_from.\"]}");
    QTest::newRow("Isobar's date_from, not a date")
        << kCasesByDay + "?date_from=yesterday" << 400
        << QByteArray("{\"date_from\":[\"Enter a valid date.\"]}");
}

void TestPublicTimeseriesApi::exactBytes()
{
    m_api.compareGet();
}

void TestPublicTimeseriesApi::slashes_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("location"); // empty: Django's 404 page

    // Django adds a missing slash to the paths spelt with one...
    QTest::newRow("root") << kTimeseries << kTimeseries + '/';
    QTest::newRow("v2 root") << kTimeseries + "/v2" << kTimeseries + "/v2/";
    QTest::newRow("themes") << kThemes << kThemes + '/';
    QTest::newRow("sub_themes, query kept")
        << kSubThemes + "?format=json" << kSubThemes + "/?format=json";
    // ...and knows no path with a slash too many.
    QTest::newRow("theme/") << kThemes + "/infectious_disease/" << QByteArray();
    QTest::newRow("topics/") << kTopics + '/' << QByteArray();
    QTest::newRow("a leaf/") << kCasesByDay + '/' << QByteArray();
    QTest::newRow("v2 metrics/") << kV2Ltla + "/geographies/East+Devon/metrics/" << QByteArray();
}

void TestPublicTimeseriesApi::slashes()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, location);
    const HttpReply reply = m_api.get(target);
    if (!location.isEmpty()) {
        QCOMPARE(reply.status, 301);
        QCOMPARE(reply.header("location"), location);
        QVERIFY(reply.body.isEmpty());
        return;
    }
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.header("content-type"), QByteArray("text/html; charset=utf-8"));
    QVERIFY2(reply.body.contains("<h1>Not Found</h1><p>The requested resource was not found on "
                                 "this server.</p>"),
             reply.body.constData());
}

void TestPublicTimeseriesApi::timeseries_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QJsonValue>("expected");

    const QByteArray cases = kCasesByDay;
    QTest::newRow("first page, default size 5")
        << cases << QJsonValue(page(6, cases + "?page=2", {}, casesPoints(0, 5)));
    QTest::newRow("last page, linking back to page 1 without a page")
        << cases + "?page=2" << QJsonValue(page(6, {}, cases, casesPoints(5, 1)));
    QTest::newRow("page=last") << cases + "?page=last"
                               << QJsonValue(page(6, {}, cases, casesPoints(5, 1)));
    QTest::newRow("page_size, links sorted by key")
        << cases + "?page_size=2&page=2"
        << QJsonValue(
               page(6, cases + "?page=3&page_size=2", cases + "?page_size=2", casesPoints(2, 2)));
    QTest::newRow("page_size 365")
        << cases + "?page_size=365" << QJsonValue(page(6, {}, {}, casesPoints(0, 6)));
    QTest::newRow("page_size over 365 is 365")
        << cases + "?page_size=100000" << QJsonValue(page(6, {}, {}, casesPoints(0, 6)));
    QTest::newRow("page_size not a number is 5")
        << cases + "?page_size=ten"
        << QJsonValue(page(6, cases + "?page=2&page_size=ten", {}, casesPoints(0, 5)));
    QTest::newRow("page_size 0 is 5")
        << cases + "?page_size=0"
        << QJsonValue(page(6, cases + "?page=2&page_size=0", {}, casesPoints(0, 5)));
    QTest::newRow("unknown parameters are ignored, and kept in links")
        << cases + "?colour=red&b=x+y"
        << QJsonValue(page(6, cases + "?b=x+y&colour=red&page=2", {}, casesPoints(0, 5)));
    QTest::newRow("year") << cases + "?year=2022" << QJsonValue(page(2, {}, {}, casesPoints(0, 2)));
    QTest::newRow("year as a decimal")
        << cases + "?year=2022.0" << QJsonValue(page(2, {}, {}, casesPoints(0, 2)));
    QTest::newRow("a year no point has")
        << cases + "?year=2022.5" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("month (documented by UKHSA, applied by Isobar)")
        << cases + "?month=12" << QJsonValue(page(2, {}, {}, casesPoints(0, 2)));
    QTest::newRow("epiweek") << cases + "?epiweek=52"
                             << QJsonValue(page(3, {}, {}, casesPoints(0, 3)));
    QTest::newRow("epiweek 54 matches nothing")
        << cases + "?epiweek=54" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("date") << cases + "?date=2023-01-03"
                          << QJsonValue(page(1, {}, {}, casesPoints(4, 1)));
    QTest::newRow("in_reporting_delay_period=True")
        << cases + "?in_reporting_delay_period=True"
        << QJsonValue(page(1, {}, {}, casesPoints(5, 1)));
    QTest::newRow("in_reporting_delay_period=0")
        << cases + "?in_reporting_delay_period=0&page_size=10"
        << QJsonValue(page(5, {}, {}, casesPoints(0, 5)));
    QTest::newRow("in_reporting_delay_period not a boolean filters nothing")
        << cases + "?in_reporting_delay_period=maybe&page_size=10"
        << QJsonValue(page(6, {}, {}, casesPoints(0, 6)));
    QTest::newRow("a blank filter filters nothing")
        << cases + "?stratum=&page_size=10" << QJsonValue(page(6, {}, {}, casesPoints(0, 6)));
    QTest::newRow("date range (Isobar)") << cases + "?date_from=2022-12-31&date_to=2023-01-01"
                                         << QJsonValue(page(2, {}, {}, casesPoints(1, 2)));
    QTest::newRow("date_from only: the embargoed day is left out")
        << cases + "?date_from=2023-01-03" << QJsonValue(page(2, {}, {}, casesPoints(4, 2)));
    QTest::newRow("an embargoed day")
        << cases + "?date=2023-01-05" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("series filters kept in links")
        << cases + "?stratum=default&sex=all&age=all"
        << QJsonValue(
               page(6, cases + "?age=all&page=2&sex=all&stratum=default", {}, casesPoints(0, 5)));
    QTest::newRow("the last of a repeated parameter counts")
        << cases + "?stratum=none&stratum=default"
        << QJsonValue(
               page(6, cases + "?page=2&stratum=none&stratum=default", {}, casesPoints(0, 5)));
    QTest::newRow("stratum matching nothing")
        << cases + "?stratum=none" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("age with an escaped plus, and sex")
        << kRollingMean + "?age=90%2B&sex=Male"
        << QJsonValue(page(2, {}, {},
                           {point(kRate90Male, "2023-01-02", 1, 448.53),
                            point(kRate90Male, "2023-01-03", 1, 443.08)}));
    QTest::newRow("age") << kRollingMean + "?age=85-89"
                         << QJsonValue(page(1, {}, {}, {point(kRate85, "2023-01-02", 1, 278.74)}));
    QTest::newRow("sex and date") << kRollingMean + "?sex=all&age=90%2B&date=2023-01-03"
                                  << QJsonValue(page(1, {}, {},
                                                     {point(kRate90All, "2023-01-03", 1, 491.92)}));
    QTest::newRow("names with spaces, epiweek given as text in the source")
        << kEastDevon + "/COVID-19_deaths_ONSByWeek"
        << QJsonValue(
               page(3, {}, {},
                    {point(kDeaths, "2022-10-31", 44, 2), point(kDeaths, "2022-11-07", 45, 4),
                     point(kDeaths, "2022-11-14", 46, 1)}));
    QTest::newRow("CSV points, NA rows skipped")
        << kInfluenza
               + "/geography_types/UKHSA%20Region/geographies/East%20Midlands/metrics/"
                 "weekly_hospital_admissions_rate_by_geography"
        << QJsonValue(page(3, {}, {},
                           {point(kFluRegion, "2023-02-06", 6, 1.270175934),
                            point(kFluRegion, "2023-02-13", 7, 2.540351868),
                            point(kFluRegion, "2023-02-20", 8, 2.11695981)}));
    QTest::newRow("CSV stratum with an escaped plus")
        << kInfluenza
               + "/geography_types/Nation/geographies/England/metrics/"
                 "weekly_hospital_admissions_rate_by_age?stratum=85%2B"
        << QJsonValue(page(2, {}, {},
                           {point(kFluAge, "2023-02-13", 7, 4.190432072),
                            point(kFluAge, "2023-02-20", 8, 4.58914423)}));
    QTest::newRow("a non-public metric is no data")
        << kEngland + "/OFF-SENS_COVID-19_cases_rateRollingMean" << QJsonValue(page(0, {}, {}, {}));
    QTest::newRow("a headline metric is no data")
        << kEngland + "/COVID-19_headline_cases_7DayTotals" << QJsonValue(page(0, {}, {}, {}));
}

void TestPublicTimeseriesApi::timeseries()
{
    QFETCH(QByteArray, target);
    QFETCH(QJsonValue, expected);
    m_api.compareJson(m_api.get(target), expected);
}

void TestPublicTimeseriesApi::linksBehindATrustedProxy()
{
    // The suite's server trusts 127.0.0.1 as its load balancer: links carry the scheme and host
    // the client used.
    const QByteArray forwarded = "X-Forwarded-Proto: https\r\nX-Forwarded-Host: data.example\r\n";
    HttpReply reply = HttpClient::request(m_api.port(), "GET", kThemes + '/', {}, forwarded);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, QByteArray("[{\"name\":\"infectious_disease\",\"link\":\"https://"
                                    "data.example/api/public/timeseries/themes/"
                                    "infectious_disease\"}]"));
    reply = HttpClient::request(m_api.port(), "GET", kCasesByDay, {}, forwarded);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().object().value(u"next").toString(),
             u"https://data.example"_s + QString::fromLatin1(kCasesByDay) + u"?page=2"_s);
    // The same request without the proxy's headers is not answered from the proxy's cache entry.
    reply = m_api.get(kThemes + '/');
    QVERIFY2(
        reply.body.contains(QByteArray(m_api.base().toUtf8() + "/api/public/timeseries/themes/")),
        reply.body.constData());
}

void TestPublicTimeseriesApi::everySeriesReachableByLinks_data()
{
    QTest::addColumn<QByteArray>("themes");
    QTest::newRow("v1") << kThemes + '/';
    QTest::newRow("v2") << kTimeseries + "/v2/themes/";
}

// Walks the whole API by its links only, as UKHSA's own test of these views does, and reads
// every point of every metric: all the public series, nothing else.
void TestPublicTimeseriesApi::everySeriesReachableByLinks()
{
    QFETCH(QByteArray, themes);
    QStringList pending{m_api.base() + QString::fromLatin1(themes)};
    QByteArray everything;
    int metricsRead = 0;
    int pointsRead = 0;
    while (!pending.isEmpty()) {
        const QString url = pending.takeFirst();
        QVERIFY2(url.startsWith(m_api.base()), qPrintable(url));
        const QByteArray target = url.mid(m_api.base().size()).toLatin1();
        const bool leaf = target.contains("/metrics/");
        const HttpReply reply = m_api.get(target + (leaf ? "?page_size=365" : ""));
        QVERIFY2(reply.status == 200, target.constData());
        everything += reply.body;
        const QJsonDocument document = reply.json();
        if (leaf) {
            QCOMPARE(document.object().value(u"next"), QJsonValue());
            const int count = document.object().value(u"count").toInt();
            QVERIFY2(count > 0, target.constData());
            pointsRead += count;
            ++metricsRead;
            continue;
        }
        QVERIFY2(document.isArray(), target.constData());
        for (const auto &item : document.array()) {
            const QJsonObject object = item.toObject();
            // A list item's link, or a detail's single link to the level below.
            pending << (object.contains(u"link") ? object.value(u"link").toString()
                                                 : object.begin()->toString());
        }
    }
    QCOMPARE(metricsRead, 5); // casesByDay, rateRollingMean, ONSByWeek, and two from the CSV
    // Both trees lead to the same points (v1 runs first).
    if (m_pointsByLinks < 0)
        m_pointsByLinks = pointsRead;
    QCOMPARE(pointsRead, m_pointsByLinks);
    QVERIFY(pointsRead >= 6 + 3 + 3 + 2); // at least the cases, deaths and CSV points known here
    QVERIFY(everything.contains("\"2023-01-04\""));
    QVERIFY2(!everything.contains("2023-01-05"), "a point under embargo was served");
    QVERIFY2(!everything.contains("OFF-SENS"), "a non-public metric was served");
    QVERIFY2(!everything.contains("North Lincolnshire"),
             "a geography with only non-public data was listed");
    QVERIFY2(!everything.contains("\"Female\""), "a non-public series was served");
    QVERIFY2(!everything.contains("headline"), "a headline metric was listed as a time series");
}

void TestPublicTimeseriesApi::catalogueIsTheDrillDownFlattened()
{
    // Every leaf of the drill-down, walked level by level by name.
    static const char *const kCollections[] = {"themes",          "sub_themes",  "topics",
                                               "geography_types", "geographies", "metrics"};
    QList<QStringList> walked{{}};
    for (int level = 0; level < 6; ++level) {
        QList<QStringList> deeper;
        for (const QStringList &path : std::as_const(walked)) {
            QByteArray target = kTimeseries + '/';
            for (int i = 0; i < path.size(); ++i)
                target += kCollections[i] + ('/' + QUrl::toPercentEncoding(path[i])) + '/';
            target += kCollections[level];
            if (level < 2) // only themes/ and sub_themes/ are spelt with a slash
                target += '/';
            const HttpReply reply = m_api.get(target);
            QVERIFY2(reply.status == 200, target.constData());
            for (const auto &item : reply.json().array())
                deeper.append(path + QStringList{item.toObject().value(u"name").toString()});
        }
        walked = deeper;
    }
    const HttpReply reply = m_api.get("/api/v1/catalogue");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QJsonObject answer = reply.json().object();
    // The time series are the drill-down's; headline metrics come beside them.
    QList<QStringList> flat, headlines;
    for (const auto &row : answer.value(u"results").toArray()) {
        const QJsonObject o = row.toObject();
        const QString kind = o.value(u"kind").toString();
        QVERIFY2(kind == u"timeseries" || kind == u"headline", qPrintable(kind));
        (kind == u"headline" ? headlines : flat)
            .append({o.value(u"theme").toString(), o.value(u"sub_theme").toString(),
                     o.value(u"topic").toString(), o.value(u"geography_type").toString(),
                     o.value(u"geography").toString(), o.value(u"metric").toString()});
    }
    QCOMPARE(flat, walked);
    QCOMPARE(answer.value(u"count").toInt(), flat.size() + headlines.size());
    QCOMPARE(flat.size(), 5); // no OFF-SENS_, embargo respected
    QVERIFY(headlines.contains(QStringList{u"infectious_disease"_s, u"respiratory"_s, u"COVID-19"_s,
                                           u"Nation"_s, u"England"_s,
                                           u"COVID-19_headline_cases_7DayTotals"_s}));
    for (const QStringList &headline : std::as_const(headlines))
        QVERIFY2(headline.last().contains(u"_headline_") && !headline.last().startsWith(u"OFF"),
                 qPrintable(headline.last()));
    QVERIFY(flat.contains(QStringList{u"infectious_disease"_s, u"respiratory"_s, u"COVID-19"_s,
                                      u"Lower Tier Local Authority"_s, u"East Devon"_s,
                                      u"COVID-19_deaths_ONSByWeek"_s}));
    QCOMPARE(m_api.get("/api/v1/catalogue?page=2").status, 400); // it takes no parameters
}

void TestPublicTimeseriesApi::mountedAtTheRoot()
{
    // UKHSA's public mode: the API's root is the server's, in both trees.
    HttpReply reply = m_rootMounted.get("/");
    m_rootMounted.compareBytes(reply, 200, "{\"links\":{\"themes\":\"$BASE/themes/\"}}");
    reply = m_rootMounted.get("/v2/");
    m_rootMounted.compareBytes(reply, 200, "{\"links\":{\"themes\":\"$BASE/v2/themes/\"}}");
    reply = m_rootMounted.get("/themes/infectious_disease");
    m_rootMounted.compareBytes(reply, 200,
                               "[{\"sub_themes\":\"$BASE/themes/infectious_disease/"
                               "sub_themes/\"}]");
    reply = m_rootMounted.get("/v2/themes/infectious_disease/sub_themes/respiratory/topics/"
                              "COVID-19/geography_types");
    QCOMPARE(reply.status, 200);
    QVERIFY2(reply.body.contains(QByteArray(m_rootMounted.base().toUtf8()
                                            + "/v2/themes/infectious_disease/sub_themes/"
                                              "respiratory/topics/COVID-19/geography_types/"
                                              "Lower+Tier+Local+Authority\"")),
             reply.body.constData());
    reply = m_rootMounted.get("/themes");
    QCOMPARE(reply.status, 301);
    QCOMPARE(reply.header("location"), QByteArray("/themes/"));
    // The default mount is no longer served, and the rest of Isobar keeps its paths.
    QCOMPARE(m_rootMounted.get(kThemes + '/').status, 404);
    QCOMPARE(m_rootMounted.get("/api/v1/catalogue").status, 200);
    QCOMPARE(m_rootMounted.get("/health").status, 200);
}

// The probes UKHSA's deployments ask, beside Isobar's own /health.
void TestPublicTimeseriesApi::ukhsaHealthRoutes()
{
    for (const QByteArray path : {"/health/", "/.well-known/health-check/"}) {
        const HttpReply reply = m_api.get(path);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), QByteArray("text/html; charset=utf-8"));
        QCOMPARE(reply.header("allow"), QByteArray("GET, HEAD, OPTIONS"));
        QVERIFY(reply.body.isEmpty());
    }
    const HttpReply redirect = m_api.get("/.well-known/health-check");
    QCOMPARE(redirect.status, 301);
    QCOMPARE(redirect.header("location"), QByteArray("/.well-known/health-check/"));
    // Without its slash, /health is Isobar's status document.
    const HttpReply isobar = m_api.get("/health");
    QCOMPARE(isobar.status, 200);
    QCOMPARE(isobar.json().object().value(u"status").toString(), u"ok"_s);
}

void TestPublicTimeseriesApi::otherMethodsRefusedAsUkhsaDoes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("allow");
    const QByteArray views = "GET, HEAD, OPTIONS";
    QTest::newRow("POST themes/") << QByteArray("POST") << kThemes + '/' << views;
    QTest::newRow("DELETE a leaf") << QByteArray("DELETE") << kCasesByDay << views;
    QTest::newRow("PUT the v2 root") << QByteArray("PUT") << kTimeseries + "/v2/" << views;
    QTest::newRow("POST a headline")
        << QByteArray("POST") << QByteArray("/api/headlines/v3/") << views;
    QTest::newRow("PATCH geographies")
        << QByteArray("PATCH") << QByteArray("/api/geographies/v3") << views;
    QTest::newRow("POST UKHSA's liveness") << QByteArray("POST") << QByteArray("/health/") << views;
    QTest::newRow("GET a table") << QByteArray("GET") << QByteArray("/api/tables/v4")
                                 << QByteArray("POST, OPTIONS");
    QTest::newRow("PUT a download")
        << QByteArray("PUT") << QByteArray("/api/downloads/v2/") << QByteArray("POST, OPTIONS");
}

// DRF's 405: its body and the view's methods, where Isobar's own routes answer problem+json.
void TestPublicTimeseriesApi::otherMethodsRefusedAsUkhsaDoes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, allow);
    const HttpReply reply = HttpClient::request(m_api.port(), method, target, "{}");
    QCOMPARE(reply.header("allow"), allow);
    m_api.compareBytes(reply, 405, "{\"detail\":\"Method \\\"" + method + "\\\" not allowed.\"}");
    // Isobar's own routes keep problem+json.
    const HttpReply own = HttpClient::request(m_api.port(), "DELETE", "/api/v1/catalogue");
    QCOMPARE(own.status, 405);
    QCOMPARE(own.header("content-type"), QByteArray("application/problem+json"));
}

QTEST_GUILESS_MAIN(TestPublicTimeseriesApi)
#include "TestPublicTimeseriesApi.moc"
