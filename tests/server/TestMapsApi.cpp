// UKHSA's maps/v1 over a real socket (see MetricsApiFixture.h), held to the bytes UKHSA answers
// (metrics/interfaces/maps/access.py and tests/integration/metrics/api/views/test_maps.py), on
// the crafted files of tests/fixtures/maps: COVID-19_cases_countRollingMean for the lower-tier
// authorities Arun (2025-01-01: 2; a non-public 20 in June and 30 under embargo in September),
// Bexley (2024-01-01: 0.5, 2025-12-31: 1) and Hackney (2025-01-01: 3), for England (4 in 2020
// and 2025, 12.3456 in June 2024), for the upper-tier Hackney (3) and Leeds (9) and the region
// London (7), all 2020-01-01; Influenza alone for Reigate and Banstead and the upper-tier Leeds.
// East Devon and North Lincolnshire are lower-tier authorities of the common fixtures.

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestMapsApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start({u"--max-rows"_s, u"20"_s}, u"maps"_s); }
    void cleanupTestCase() { m_api.stop(); }

    void map_data();
    void map();
    void fourDecimals_data();
    void fourDecimals();
    void refusedMethod();

private:
    MetricsApiServer m_api;
};

namespace {

const QByteArray kLtla = "Lower Tier Local Authority";
const QByteArray kUtla = "Upper Tier Local Authority";

// A request for COVID-19_cases_countRollingMean; `points` is the accompanying_points JSON.
QByteArray request(const QByteArray &type, const QByteArray &geographies, const QByteArray &points,
                   const QByteArray &from = "2020-01-01", const QByteArray &to = "2025-12-31")
{
    return "{\"date_from\":\"" + from + "\",\"date_to\":\"" + to
           + "\",\"parameters\":{\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\","
             "\"topic\":\"COVID-19\",\"metric\":\"COVID-19_cases_countRollingMean\","
             "\"stratum\":\"default\",\"age\":\"all\",\"sex\":\"all\",\"geography_type\":\""
           + type + "\",\"geographies\":" + geographies + "},\"accompanying_points\":" + points
           + '}';
}

// UKHSA's test point: England's value, the label's trailing space trimmed on the way back.
const QByteArray kEnglandPoint =
    "[{\"label_prefix\":\"Rate of cases in England: \",\"label_suffix\":\"\",\"parameters\":"
    "{\"metric\":\"COVID-19_cases_countRollingMean\",\"geography_type\":\"Nation\","
    "\"geography\":\"England\"}}]";

QByteArray englandAnswer(const QByteArray &value)
{
    return "[{\"label_prefix\":\"Rate of cases in England:\",\"label_suffix\":\"\","
           "\"metric_value\":"
           + value + "}]";
}

QByteArray item(const QByteArray &code, const QByteArray &type, const QByteArray &name,
                const QByteArray &value, const QByteArray &points)
{
    return "{\"geography_code\":\"" + code + "\",\"geography_type\":\"" + type
           + "\",\"geography\":\"" + name + "\",\"metric_value\":" + value
           + ",\"accompanying_points\":" + points + '}';
}

QByteArray nullItem(const QByteArray &code, const QByteArray &type, const QByteArray &name)
{
    return item(code, type, name, "null", "null");
}

QByteArray answer(const QByteArrayList &items, const QByteArray &latest)
{
    return "{\"data\":[" + items.join(',') + "],\"latest_date\":" + latest + '}';
}

} // namespace

void TestMapsApi::map_data()
{
    addPostColumns();

    const QByteArray path = "/api/maps/v1";
    // UKHSA's first test: no geographies, so every one of the type by name; those without the
    // metric's data (East Devon, North Lincolnshire, Influenza's Reigate and Banstead) null.
    QTest::newRow("every geography of the type, with an accompanying point")
        << path << request(kLtla, "[]", kEnglandPoint) << 200
        << answer({item("E07000224", kLtla, "Arun", "2.0", englandAnswer("4.0")),
                   item("E09000004", kLtla, "Bexley", "1.0", englandAnswer("4.0")),
                   nullItem("E07000040", kLtla, "East Devon"),
                   item("E09000012", kLtla, "Hackney", "3.0", englandAnswer("4.0")),
                   nullItem("E06000013", kLtla, "North Lincolnshire"),
                   nullItem("E07000211", kLtla, "Reigate and Banstead")},
                  "\"2025-12-31\"");
    // UKHSA's second test, with the slash its prefix pattern also takes.
    QTest::newRow("geographies named")
        << path + '/' << request(kLtla, "[\"Hackney\"]", kEnglandPoint) << 200
        << answer({item("E09000012", kLtla, "Hackney", "3.0", englandAnswer("4.0"))},
                  "\"2025-01-01\"");
    // UKHSA's third: the region an upper-tier authority sits in; Leeds' has no data.
    QTest::newRow("a related geography: the region of an upper-tier authority")
        << path
        << request(kUtla, "[]",
                   "[{\"label_prefix\":\"Region rate of cases: \",\"label_suffix\":\"\","
                   "\"parameters\":{\"geography_type\":\"Region\"}}]")
        << 200
        << answer({item("E09000012", kUtla, "Hackney", "3.0",
                        "[{\"label_prefix\":\"Region rate of cases:\",\"label_suffix\":\"\","
                        "\"metric_value\":7.0}]"),
                   item("E08000035", kUtla, "Leeds", "9.0",
                        "[{\"label_prefix\":\"Region rate of cases:\",\"label_suffix\":\"\","
                        "\"metric_value\":null}]")},
                  "\"2020-01-01\"");
    // Request order kept; a name the store does not hold has the code "".
    QTest::newRow("no data, and an unknown geography")
        << path << request(kLtla, "[\"Narnia\",\"East Devon\",\"Hackney\"]", "[]") << 200
        << answer({nullItem("", kLtla, "Narnia"), nullItem("E07000040", kLtla, "East Devon"),
                   item("E09000012", kLtla, "Hackney", "3.0", "[]")},
                  "\"2025-01-01\"");
    QTest::newRow("nothing in the dates: latest_date null")
        << path << request(kLtla, "[\"Arun\"]", "[]", "2010-01-01", "2010-12-31") << 200
        << answer({nullItem("E07000224", kLtla, "Arun")}, "null");
    // The newest value inside the dates, each point's too; dates in the forms Django reads.
    QTest::newRow("the dates bound every value")
        << path << request(kLtla, "[\"Arun\",\"Bexley\"]", kEnglandPoint, "20240101", "2024-W52-7")
        << 200
        << answer({nullItem("E07000224", kLtla, "Arun"),
                   item("E09000004", kLtla, "Bexley", "0.5", englandAnswer("12.3456"))},
                  "\"2024-01-01\"");
    QTest::newRow("an older value is outside the dates")
        << path << request(kLtla, "[\"Bexley\"]", "[]", "2024-01-02", "2024-12-31") << 200
        << answer({nullItem("E09000004", kLtla, "Bexley")}, "null");
    QTest::newRow("non-public and embargoed values are not served")
        << path << request(kLtla, "[\"Arun\"]", "[]", "2025-01-01", "2099-12-31") << 200
        << answer({item("E07000224", kLtla, "Arun", "2.0", "[]")}, "\"2025-01-01\"");
    // A point without parameters reads the main ones at the same geography; one of a type the
    // geography sits in nothing of is left out; an unknown geography or a null metric has no
    // value.
    QTest::newRow("accompanying points resolved or left out")
        << path
        << request(kLtla, "[\"Hackney\"]",
                   "[{\"label_prefix\":\" Here \",\"label_suffix\":null,\"parameters\":{}},"
                   "{\"label_prefix\":\"\",\"label_suffix\":\"\",\"parameters\":"
                   "{\"geography_type\":\"Nation\"}},"
                   "{\"label_prefix\":\"a\",\"label_suffix\":\" b \",\"parameters\":"
                   "{\"geography\":\"Atlantis\"}},"
                   "{\"label_prefix\":\"c\",\"label_suffix\":\"d\",\"parameters\":"
                   "{\"metric\":null}}]")
        << 200
        << answer({item("E09000012", kLtla, "Hackney", "3.0",
                        "[{\"label_prefix\":\"Here\",\"label_suffix\":null,\"metric_value\":3.0},"
                        "{\"label_prefix\":\"a\",\"label_suffix\":\"b\",\"metric_value\":null},"
                        "{\"label_prefix\":\"c\",\"label_suffix\":\"d\",\"metric_value\":null}]")},
                  "\"2025-01-01\"");

    // DRF's errors, field by field in the serializer's order.
    QTest::newRow("nothing given")
        << path << QByteArray("{}") << 400
        << QByteArray("{\"date_from\":[\"This field is required.\"],\"date_to\":[\"This field "
                      "is required.\"],\"parameters\":[\"This field is required.\"]}");
    QTest::newRow("no body at all") << path << QByteArray() << 400
                                    << QByteArray("{\"date_from\":[\"This field is required.\"],"
                                                  "\"date_to\":[\"This field is required.\"],"
                                                  "\"parameters\":[\"This field is required.\"]}");
    QByteArray noTheme = request(kLtla, "[]", "[]");
    noTheme.replace("\"theme\":\"infectious_disease\",", "");
    QTest::newRow("a main parameter missing") << path << noTheme << 400
                                              << QByteArray("{\"parameters\":{\"theme\":[\"This "
                                                            "field is required.\"]}}");
    QTest::newRow("a date in another format")
        << path << request(kLtla, "[]", "[]", "2020/01/01", "2025-02-30") << 400
        << QByteArray("{\"date_from\":[\"Date has wrong format. Use one of these formats "
                      "instead: YYYY-MM-DD.\"],\"date_to\":[\"Date has wrong format. Use one of "
                      "these formats instead: YYYY-MM-DD.\"]}");
    QTest::newRow("blank, not a string, not a list")
        << path << request(" ", "\"Hackney\"", "[]").replace("\"all\",\"sex\"", "true,\"sex\"")
        << 400
        << QByteArray("{\"parameters\":{\"age\":[\"Not a valid string.\"],\"geography_type\":"
                      "[\"This field may not be blank.\"],\"geographies\":[\"Expected a list of "
                      "items but got type \\\"str\\\".\"]}}");
    QTest::newRow("points: not a list")
        << path << request(kLtla, "[]", "{}") << 400
        << QByteArray("{\"accompanying_points\":{\"non_field_errors\":[\"Expected a list of items "
                      "but got type \\\"dict\\\".\"]}}");
    QTest::newRow("points: items as DRF checks them")
        << path
        << request(kLtla, "[]",
                   "[{\"label_prefix\":\"a\",\"label_suffix\":\"\",\"parameters\":{}},\"x\","
                   "{\"label_prefix\":[],\"label_suffix\":\"\",\"parameters\":[]}]")
        << 400
        << QByteArray("{\"accompanying_points\":[{},{\"non_field_errors\":[\"Invalid data. "
                      "Expected a dictionary, but got str.\"]},{\"label_prefix\":[\"Not a valid "
                      "string.\"],\"parameters\":{\"non_field_errors\":[\"Invalid data. Expected "
                      "a dictionary, but got list.\"]}}]}");
    // Where UKHSA's serializer lets a body through and its view then fails (500), a 400 naming
    // the field, once DRF's own errors are fixed.
    QByteArray noPoints = request(kLtla, "[]", "[]");
    noPoints.replace(",\"accompanying_points\":[]", "");
    QTest::newRow("accompanying_points missing")
        << path << noPoints << 400
        << QByteArray("{\"accompanying_points\":[\"This field is required.\"]}");
    QTest::newRow("DRF's errors first")
        << path << QByteArray(noPoints).replace("\"2020-01-01\"", "null") << 400
        << QByteArray("{\"date_from\":[\"This field may not be null.\"]}");
    QTest::newRow("a point's label and parameters missing, a geography not a name")
        << path
        << request(kLtla, "[\"Arun\",7]",
                   "[{\"label_suffix\":\"\",\"parameters\":{}},"
                   "{\"label_prefix\":null,\"parameters\":{}},"
                   "{\"label_prefix\":\"a\",\"label_suffix\":null}]")
        << 400
        << QByteArray("{\"parameters\":{\"geographies\":{\"1\":[\"Not a valid string.\"]}},"
                      "\"accompanying_points\":[{\"label_prefix\":[\"This field is required.\"]},"
                      "{\"label_prefix\":[\"This field may not be null.\"],\"label_suffix\":"
                      "[\"This field is required.\"]},{\"parameters\":[\"This field is "
                      "required.\"]}]}");
    // Isobar's bound on one map's reads (--max-rows 20 here): 7 geographies and 2 points.
    QTest::newRow("more reads than the limit")
        << path
        << request(kLtla, "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]",
                   "[{\"label_prefix\":\"a\",\"label_suffix\":null,\"parameters\":{}},"
                   "{\"label_prefix\":\"b\",\"label_suffix\":null,\"parameters\":{}}]")
        << 400
        << QByteArray("{\"error_message\":\"the map reads 21 values (geographies times one plus "
                      "the accompanying points), more than the limit of 20; ask for fewer "
                      "geographies or accompanying points\"}");
}

void TestMapsApi::fourDecimals_data()
{
    addPostColumns();
    const QByteArray path = "/api/maps/v1";
    // UKHSA keeps four decimals of a value (the respiratory CSV's 2.11695981 for East Midlands).
    QTest::newRow("values to four decimals")
        << path
        << QByteArray("{\"date_from\":\"2023-01-01\",\"date_to\":\"2023-12-31\",\"parameters\":{"
                      "\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\",\"topic\":"
                      "\"Influenza\",\"metric\":\"weekly_hospital_admissions_rate_by_geography\","
                      "\"stratum\":\"default\",\"age\":\"all\",\"sex\":\"all\",\"geography_type\":"
                      "\"UKHSA Region\",\"geographies\":[\"East Midlands\"]},"
                      "\"accompanying_points\":[]}")
        << 200
        << answer({item("", "UKHSA Region", "East Midlands", "2.117", "[]")}, "\"2023-02-20\"");
}

void TestMapsApi::fourDecimals()
{
    m_api.comparePost();
}

void TestMapsApi::map()
{
    m_api.comparePost("application/json");
}

void TestMapsApi::refusedMethod()
{
    const HttpReply reply = m_api.get("/api/maps/v1");
    QCOMPARE(reply.header("allow"), QByteArray("POST, OPTIONS"));
    m_api.compareBytes(reply, 405, "{\"detail\":\"Method \\\"GET\\\" not allowed.\"}");
}

QTEST_GUILESS_MAIN(TestMapsApi)
#include "TestMapsApi.moc"
