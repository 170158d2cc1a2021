// UKHSA's dual-category tables and downloads (tables/dual-category/v1,
// downloads/dual-category/v1) over a real socket (see MetricsApiFixture.h), held to the bytes
// UKHSA answers (metrics/domain/tables/generation.py, metrics/domain/exports/
// dual_category_output.py and their tests): COVID-19_cases_rateRollingMean for England split by
// age (85-89 on 2 January 2023, 90+ on 2 and 3 January) and by sex (90+: all and Male), and
// UKHSA's heat-mortality headlines by episode and sex in tests/fixtures/dual-category (Female in
// episode 1, Male in episode 2).

#include "MetricsApiFixture.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar::test;

class TestDualCategoryApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_api.start({}, u"dual-category"_s); }
    void cleanupTestCase() { m_api.stop(); }

    void answers_data();
    void answers();
    void downloadNamesItsFile_data();
    void downloadNamesItsFile();

private:
    MetricsApiServer m_api;
};

namespace {

const QByteArray kTables = "/api/tables/dual-category/v1";
const QByteArray kDownloads = "/api/downloads/dual-category/v1";

// The rolling mean in January 2023, split by `category` into `segments`; `extra` continues the
// body.
QByteArray timeseries(const QByteArray &category, const QByteArray &segments,
                      const QByteArray &extra = {})
{
    return "{\"x_axis\":\"date\",\"y_axis\":\"metric\",\"static_fields\":{\"topic\":\"COVID-19\","
           "\"metric\":\"COVID-19_cases_rateRollingMean\",\"geography\":\"England\","
           "\"geography_type\":\"Nation\",\"stratum\":\"default\",\"age\":\"90+\",\"sex\":\"all\","
           "\"date_from\":\"2023-01-01\",\"date_to\":\"2023-01-31\"},\"secondary_category\":\""
           + category + "\",\"segments\":[" + segments + ']' + extra + '}';
}

const QByteArray kAgeSegments = "{\"secondary_field_value\":\"85-89\",\"colour\":"
                                "\"COLOUR_1_DARK_BLUE\",\"label\":\"85 to 89 years\"},"
                                "{\"secondary_field_value\":\"90+\",\"label\":\"\"}";

// The heat-mortality headlines of two episodes by sex; `extra` continues the body.
QByteArray headline(const QByteArray &extra = {})
{
    return "{\"x_axis\":\"stratum\",\"primary_field_values\":[\"Episode 1\",\"Episode 2\"],"
           "\"static_fields\":{\"topic\":\"Heat-mortality\",\"metric\":"
           "\"heat-mortality_headline_heatMortalityRateEpisodeSex\",\"geography\":\"England\"},"
           "\"secondary_category\":\"sex\",\"segments\":[{\"secondary_field_value\":\"Female\","
           "\"label\":\"Women\"},{\"secondary_field_value\":\"Male\"}]"
           + extra + '}';
}

QByteArray row(const char *reference, const QByteArray &cells)
{
    return QByteArray("{\"reference\":\"") + reference + "\",\"values\":[" + cells + "]}";
}

// A pivoted time-series record's fields before its segments', in UKHSA's JSON order.
QByteArray rateFields(const char *date, const char *sex)
{
    return QByteArray("{\"date\":\"") + date
           + "\",\"theme\":\"infectious_disease\",\"sub_theme\":\"respiratory\",\"topic\":"
             "\"COVID-19\",\"geography_type\":\"Nation\",\"geography\":\"England\",\"metric\":"
             "\"COVID-19_cases_rateRollingMean\""
           + (sex ? QByteArray(",\"stratum\":\"default\",\"sex\":\"") + sex + '"'
                  : QByteArray(",\"age\":\"90+\",\"stratum\":\"default\""))
           + ",\"year\":2023,\"in_reporting_delay_period\":false";
}

const QByteArray kHeatFields = "\"theme\":\"extreme_event\",\"sub_theme\":\"mortality-report\","
                               "\"topic\":\"Heat-mortality\",\"geography_type\":\"Nation\","
                               "\"geography\":\"England\",\"metric\":"
                               "\"heat-mortality_headline_heatMortalityRateEpisodeSex\","
                               "\"age\":\"all\",\"period_start\":\"2024-06-01 00:00:00\","
                               "\"period_end\":\"2024-09-30 00:00:00\"";

} // namespace

void TestDualCategoryApi::answers_data()
{
    addPostColumns();
    // A row per date, newest first, a value per segment (its label, else its value); a date a
    // segment has no point on holds null.
    QTest::newRow("time-series table by age")
        << kTables << timeseries("age", kAgeSegments) << 200
        << QByteArray('['
                      + row("2023-01-03", tableCell("85 to 89 years", nullptr) + ','
                                              + tableCell("90+", "491.9200"))
                      + ','
                      + row("2023-01-02", tableCell("85 to 89 years", "278.7400") + ','
                                              + tableCell("90+", "493.6800"))
                      + ']');
    // A headline row per primary value (the x axis' value of its records), a value per
    // segment that has data somewhere.
    QTest::newRow("headline table by sex")
        << kTables << headline() << 200
        << QByteArray(
               '['
               + row("Episode 1", tableCell("Women", "179.0000") + ',' + tableCell("Male", nullptr))
               + ','
               + row("Episode 2", tableCell("Women", nullptr) + ',' + tableCell("Male", "230.0000"))
               + ']');
    // Downloads pivot the records: a row per x-axis value, first seen (newest) first, the first
    // record's fields but its value and category, then a field per category value.
    QTest::newRow("time-series JSON download by sex")
        << kDownloads
        << timeseries("sex",
                      "{\"secondary_field_value\":\"all\"},{\"secondary_field_value\":\"Male\"}",
                      ",\"file_format\":\"json\"")
        << 200
        << QByteArray('[' + rateFields("2023-01-03", nullptr)
                      + ",\"all\":\"491.9200\",\"Male\":\"443.0800\"},"
                      + rateFields("2023-01-02", nullptr)
                      + ",\"all\":\"493.6800\",\"Male\":\"448.5300\"}]");
    // UKHSA's CSV columns: the metadata but the category (age is not among them), the x axis,
    // then a column per segment as sent; a segment without a value is an empty cell.
    QTest::newRow("time-series CSV download by age")
        << kDownloads << timeseries("age", kAgeSegments, ",\"file_format\":\"csv\"") << 200
        << QByteArray("theme,sub_theme,topic,geography_type,geography,metric,stratum,sex,year,"
                      "in_reporting_delay_period,date,85-89,90+\r\n"
                      "infectious_disease,respiratory,COVID-19,Nation,England,"
                      "COVID-19_cases_rateRollingMean,default,all,2023,False,2023-01-03,,"
                      "491.9200\r\n"
                      "infectious_disease,respiratory,COVID-19,Nation,England,"
                      "COVID-19_cases_rateRollingMean,default,all,2023,False,2023-01-02,278.7400,"
                      "493.6800\r\n");
    QTest::newRow("headline JSON download")
        << kDownloads << headline(",\"file_format\":\"json\"") << 200
        << QByteArray("[{\"stratum\":\"Episode 1\"," + kHeatFields
                      + ",\"Female\":\"179.0000\"},{\"stratum\":\"Episode 2\"," + kHeatFields
                      + ",\"Male\":\"230.0000\"}]");
    // The x axis (stratum) is among the headline columns already.
    QTest::newRow("headline CSV download")
        << kDownloads << headline(",\"file_format\":\"csv\"") << 200
        << QByteArray("theme,sub_theme,topic,geography_type,geography,metric,stratum,period_start,"
                      "period_end,Female,Male\r\n"
                      "extreme_event,mortality-report,Heat-mortality,Nation,England,"
                      "heat-mortality_headline_heatMortalityRateEpisodeSex,Episode 1,2024-06-01 "
                      "00:00:00,2024-09-30 00:00:00,179.0000,\r\n"
                      "extreme_event,mortality-report,Heat-mortality,Nation,England,"
                      "heat-mortality_headline_heatMortalityRateEpisodeSex,Episode 2,2024-06-01 "
                      "00:00:00,2024-09-30 00:00:00,,230.0000\r\n");

    // DRF's errors in the serializers' field order.
    QTest::newRow("table: nothing given")
        << kTables << QByteArray("{}") << 400
        << QByteArray("{\"secondary_category\":[\"This field is required.\"],\"static_fields\":["
                      "\"This field is required.\"],\"segments\":[\"This field is required.\"]}");
    QTest::newRow("download: nothing given")
        << kDownloads << QByteArray("{}") << 400
        << QByteArray("{\"file_format\":[\"This field is required.\"],\"secondary_category\":["
                      "\"This field is required.\"],\"static_fields\":[\"This field is "
                      "required.\"],\"segments\":[\"This field is required.\"]}");
    QTest::newRow("fields of the chart, the static fields and the segments")
        << kTables
        << QByteArray("{\"file_format\":\"json\",\"chart_height\":1.5,\"x_axis\":\"week\","
                      "\"chart_type\":null,\"primary_field_values\":[\"\",\"a\"],"
                      "\"secondary_category\":\"sex\",\"static_fields\":{\"topic\":\"Nope\","
                      "\"metric\":\"COVID-19_cases_nope\",\"date_to\":\"2023-1-x\"},\"segments\":"
                      "[{\"label\":\"x\"},{\"secondary_field_value\":\"m\",\"colour\":\"GREEN\"}]}")
        << 400
        << QByteArray("{\"file_format\":[\"\\\"json\\\" is not a valid choice.\"],\"chart_height\":"
                      "[\"A valid integer is required.\"],\"x_axis\":[\"\\\"week\\\" is not a "
                      "valid choice.\"],\"chart_type\":[\"This field may not be null.\"],"
                      "\"primary_field_values\":{\"0\":[\"This field may not be blank.\"]},"
                      "\"static_fields\":{\"topic\":[\"\\\"Nope\\\" is not a valid choice.\"],"
                      "\"metric\":[\"\\\"COVID-19_cases_nope\\\" is not a valid choice.\"],"
                      "\"date_to\":[\"Date has wrong format. Use one of these formats instead: "
                      "YYYY-MM-DD.\"]},\"segments\":[{\"secondary_field_value\":[\"This field is "
                      "required.\"]},{\"colour\":[\"\\\"GREEN\\\" is not a valid choice.\"]}]}");
    // UKHSA's rules for each kind of metric.
    QTest::newRow("time series: no primary values")
        << kTables << timeseries("age", kAgeSegments, ",\"primary_field_values\":[\"Episode 1\"]")
        << 400
        << QByteArray("{\"primary_field_values\":[\"This field should not be provided for "
                      "timeseries data.\"]}");
    QTest::newRow("time series: on dates")
        << kDownloads
        << timeseries("age", kAgeSegments, ",\"file_format\":\"csv\",\"x_axis\":\"age\"") << 400
        << QByteArray("{\"x_axis\":[\"This field should be set to 'date' for timeseries "
                      "data.\"]}");
    QTest::newRow("headline: primary values")
        << kTables << headline(",\"primary_field_values\":[]") << 400
        << QByteArray("{\"primary_field_values\":[\"This field is required for headline "
                      "data.\"]}");
    // Where UKHSA fails (a 500), Isobar names the field.
    QTest::newRow("headline: not on dates")
        << kTables << headline(",\"x_axis\":\"date\"") << 400
        << QByteArray("{\"x_axis\":[\"Headline data needs an x_axis other than date: one of "
                      "stratum, age, metric, geography, sex.\"]}");
    QTest::newRow("a category segments cannot set")
        << kTables << timeseries("colour", kAgeSegments) << 400
        << QByteArray("{\"secondary_category\":[\"\\\"colour\\\" is not a field a segment can "
                      "set: one of age, sex, stratum, geography, geography_type, metric.\"]}");
    QTest::newRow("a metric of no UKHSA metric group")
        << kTables
        << QByteArray("{\"static_fields\":{\"topic\":\"Influenza\",\"metric\":"
                      "\"weekly_hospital_admissions_rate_by_age\"},\"secondary_category\":"
                      "\"age\",\"segments\":[{\"secondary_field_value\":\"all\"}]}")
        << 400
        << QByteArray("{\"static_fields\":{\"metric\":[\"\\\"weekly_hospital_admissions_rate_"
                      "by_age\\\" names none of UKHSA's metric groups: headline, cases, deaths, "
                      "healthcare, testing, vaccinations, syndromic, counts, prevention, coverage, "
                      "consumption.\"]}}");
    // UKHSA's plot rules (downloads: a 500 there).
    QTest::newRow("dates out of order")
        << kDownloads
        << QByteArray("{\"file_format\":\"csv\",\"static_fields\":{\"topic\":\"COVID-19\","
                      "\"metric\":\"COVID-19_cases_rateRollingMean\",\"date_from\":"
                      "\"2023-02-01\",\"date_to\":\"2023-01-01\"},\"secondary_category\":"
                      "\"age\",\"segments\":[{\"secondary_field_value\":\"90+\"}]}")
        << 400
        << QByteArray("{\"error_message\":\"Invalid plot parameter, Please check the date range "
                      "(date_from and date_to) and the topic property provided. \"}");
    // Read, but nothing to answer with.
    QTest::newRow("no data")
        << kTables << timeseries("age", "{\"secondary_field_value\":\"00-04\"}") << 400
        << QByteArray("{\"error_message\":\"No data was found for the plot(s) requested, please "
                      "review the request parameters of each plot provided.\"}");
}

void TestDualCategoryApi::answers()
{
    m_api.comparePost();
}

void TestDualCategoryApi::downloadNamesItsFile_data()
{
    addAttachmentColumns();
    // UKHSA quotes the CSV's name, not the JSON's.
    QTest::newRow("csv") << QByteArray("csv") << QByteArray("text/csv")
                         << QByteArray("attachment; filename=\"dual_category_download.csv\"");
    QTest::newRow("json") << QByteArray("json") << QByteArray("application/json")
                          << QByteArray("attachment; filename=dual_category_download.json");
}

void TestDualCategoryApi::downloadNamesItsFile()
{
    QFETCH(QByteArray, format);
    m_api.compareAttachment(kDownloads, headline(",\"file_format\":\"" + format + '"'));
}

QTEST_GUILESS_MAIN(TestDualCategoryApi)
#include "TestDualCategoryApi.moc"
