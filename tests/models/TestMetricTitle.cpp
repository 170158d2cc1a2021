#include "MetricTitle.h"

#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

// Titles derived from the names the UKHSA files and the respiratory CSV use: what the navigator
// lists and searches, and what cards and exports are titled.
class TestMetricTitle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void titles_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QString>("title");
        const auto row = [](const char *topic, const char *metric, const char *title) {
            QTest::newRow(metric) << QString::fromUtf8(topic) << QString::fromUtf8(metric)
                                  << QString::fromUtf8(title);
        };
        // The CSV's snake_case.
        row("Influenza", "weekly_hospital_admissions_rate_by_age",
            "Weekly hospital admissions rate by age");
        row("COVID-19", "new_cases_7day_avg", "New cases 7-day average");
        row("COVID-19", "new_cases_7days_sum", "New cases 7-day sum");
        row("COVID-19", "covid_occupied_MV_beds", "COVID-19 occupied MV beds");
        row("COVID-19", "positivity_PCR_rolling_sum", "Positivity PCR rolling sum");
        row("Influenza", "weekly_icuhdu_admissions_rate", "Weekly ICU/HDU admissions rate");
        row("COVID-19", "vaccinations_percentage_uptake_autumn22",
            "Vaccinations percentage uptake autumn 2022");
        // The dashboard's topic_group_camelCase: the topic goes, a repeated group goes.
        row("COVID-19", "COVID-19_cases_casesByDay", "Cases by day");
        row("COVID-19", "COVID-19_cases_rateRollingMean", "Cases rate rolling mean");
        row("6-in-1", "6-in-1_coverage_coverageByYear", "Coverage by year");
        row("COVID-19", "COVID-19_deaths_ONSByWeek", "Deaths ONS by week");
        row("COVID-19", "COVID-19_testing_PCRcountByDay", "Testing PCR count by day");
        row("COVID-19", "COVID-19_testing_positivity7DayRolling",
            "Testing positivity 7-day rolling");
        row("COVID-19", "COVID-19_vaccinations_autumn23_dosesByDay",
            "Vaccinations autumn 2023 doses by day");
        row("Influenza", "influenza_healthcare_ICUHDUadmissionRateByWeek",
            "Healthcare ICU/HDU admission rate by week");
        row("COVID-19-like", "COVID-19-like_syndromic_emergencyDepartment_countsByDay",
            "Syndromic emergency department counts by day");
        // Headlines: the kind goes.
        row("COVID-19", "COVID-19_headline_7DayAdmissionsPercentChange",
            "7-day admissions percent change");
        row("COVID-19", "COVID-19_headline_ONSdeaths_7DayChange", "ONS deaths 7-day change");
        row("Cold-alert", "cold-alert_headline_matrixNumber", "Matrix number");
        row("hMPV", "hMPV_headline_positivityLatest", "Positivity latest");
        // Official-sensitive copies say so.
        row("Influenza", "OFF-SENS_influenza_testing_positivityByWeek",
            "Testing positivity by week (official-sensitive)");
        // Names with nothing to rewrite, or nothing left, stay readable.
        row("Topic", "Topic_", "Topic_");
        row("", "cases", "Cases");
    }

    void titles()
    {
        QFETCH(QString, topic);
        QFETCH(QString, metric);
        QFETCH(QString, title);
        QCOMPARE(derivedMetricTitle(topic, metric), title);
    }
};

QTEST_APPLESS_MAIN(TestMetricTitle)
#include "TestMetricTitle.moc"
