// What the metrics API suites share: `isobar serve` as a child process on a store loaded by
// `isobar ingest` from tests/fixtures/metrics, the paths and series of those fixtures, and
// builders for the exact JSON the API answers with.
//
// The fixtures are small cuts of data/ukhsa with known values:
// - COVID-19_cases_casesByDay (England): 2022-12-30 .. 2023-01-05; 2023-01-04 is in its
//   reporting delay, 2023-01-05 is under embargo until 2099;
// - COVID-19_cases_rateRollingMean (England) for ages 90+ (all and Male) and 85-89;
// - COVID-19_deaths_ONSByWeek for "East Devon", a "Lower Tier Local Authority" (spaces);
// - two OFF-SENS_ (non-public) files, one the only data of "North Lincolnshire";
// - headline files: cases 7-day totals (an older week, the served week, and a week under
//   embargo), tests and ONS deaths 7-day change with their percentages;
// - respiratory_2023_influenza.csv: Influenza for "East Midlands" ("UKHSA Region") with an NA
//   row, and England for stratum "85+".

#pragma once

#include "TestStores.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonObject>

namespace isobar::test {

inline const QByteArray kTimeseries = "/api/public/timeseries";
inline const QByteArray kCovid =
    "/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory/topics/COVID-19";
inline const QByteArray kEngland = kCovid + "/geography_types/Nation/geographies/England/metrics";
inline const QByteArray kCasesByDay = kEngland + "/COVID-19_cases_casesByDay";
inline const QByteArray kRollingMean = kEngland + "/COVID-19_cases_rateRollingMean";
inline const QByteArray kEastDevon = kCovid
                                     + "/geography_types/Lower%20Tier%20Local%20Authority"
                                       "/geographies/East%20Devon/metrics";
inline const QByteArray kInfluenza = "/api/public/timeseries/themes/infectious_disease/sub_themes/"
                                     "respiratory/topics/Influenza";

// The names a point is filed under.
struct Series {
    const char *topic;
    const char *geographyType;
    const char *geography;
    const char *geographyCode;
    const char *metric;
    const char *metricGroup;
    const char *stratum;
    const char *sex;
    const char *age;
};

inline const Series kCases{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_casesByDay",
    "cases",    "default", "all",     "all"};
inline const Series kRate90Male{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_rateRollingMean",
    "cases",    "default", "Male",    "90+"};
inline const Series kRate90All{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_rateRollingMean",
    "cases",    "default", "all",     "90+"};
inline const Series kRate85{
    "COVID-19", "Nation",  "England", "E92000001", "COVID-19_cases_rateRollingMean",
    "cases",    "default", "all",     "85-89"};
inline const Series kDeaths{"COVID-19",
                            "Lower Tier Local Authority",
                            "East Devon",
                            "E07000040",
                            "COVID-19_deaths_ONSByWeek",
                            "deaths",
                            "default",
                            "all",
                            "all"};
inline const Series kFluRegion{"Influenza",
                               "UKHSA Region",
                               "East Midlands",
                               "",
                               "weekly_hospital_admissions_rate_by_geography",
                               "healthcare",
                               "default",
                               "all",
                               "all"};
inline const Series kFluAge{
    "Influenza",  "Nation", "England", "E92000001", "weekly_hospital_admissions_rate_by_age",
    "healthcare", "85+",    "all",     "all"};

// One result of the paginated level (and of JSON downloads), field for field.
QJsonObject point(const Series &s, const char *date, int epiweek, double value,
                  bool inDelay = false);
// The released public points of COVID-19_cases_casesByDay, oldest first.
QJsonArray casesPoints(int from, int count);

// "$BASE" in expected answers stands for the server's address as the client called it.
QJsonArray catalogue(const QByteArray &listPath, const QStringList &names,
                     const QStringList &encoded = {});
// A detail view: the one link to the level below, or none for a name UKHSA does not hold.
QJsonArray detail(const char *next, const QByteArray &nextPath);
QJsonObject page(qint64 count, const QByteArray &next, const QByteArray &previous,
                 const QJsonArray &results);

// A tables or downloads plot of a COVID-19 metric; `extra` continues the object's fields.
QByteArray plot(const QByteArray &metric, const QByteArray &extra = {});

// A value of a UKHSA table row: its label, its 4-decimal value (nullptr: null), not in the
// reporting delay.
QByteArray tableCell(const char *label, const char *value);

// The data columns of a problem+json test: method, target, body, status, field.
void addProblemColumns();
// The data columns of comparePost(): target, body, status, expected.
void addPostColumns();
// The data columns of compareAttachment(): format, contentType, disposition.
void addAttachmentColumns();

// `isobar serve` on a fresh store of the metrics fixtures, for one suite.
class MetricsApiServer
{
public:
    // Call from initTestCase(); a failure fails it, so the suite's tests are skipped.
    // `extraArguments` follow the suites' common `isobar serve` options; `extraFixtures` names
    // a folder of tests/fixtures loaded too, for one suite's crafted files.
    void start(const QStringList &extraArguments = {}, const QString &extraFixtures = {});
    void stop();

    quint16 port() const { return m_server.port(); }
    QString base() const { return m_base; }
    // The store the server reads, as --database took it.
    QString database() const { return m_database; }

    HttpReply get(const QByteArray &target) const;
    HttpReply post(const QByteArray &target, const QByteArray &body) const;
    // A 200 application/json answer equal to `expected` (with "$BASE" replaced).
    void compareJson(const HttpReply &reply, const QJsonValue &expected) const;
    // An answer of that status whose body is exactly `expected` (with "$BASE" replaced).
    void compareBytes(const HttpReply &reply, int status, const QByteArray &expected) const;
    // GETs the current row's target (columns target, status, expected) and checks the answer
    // as a DRF view gives it: JSON, its Allow, that status and exactly those bytes.
    void compareGet() const;
    // POSTs the current row's body (columns of addPostColumns()) and checks the answer as a DRF
    // view taking POST gives it: its Allow, that status, exactly those bytes, and `contentType`
    // when given.
    void comparePost(const QByteArray &contentType = {}) const;
    // POSTs `body` and checks a 200 download with the current row's (addAttachmentColumns())
    // content type and Content-Disposition.
    void compareAttachment(const QByteArray &target, const QByteArray &body) const;
    // Sends the current row of addProblemColumns() and checks the problem+json answer.
    void verifyProblem() const;

private:
    TestStores m_stores;
    ServerProcess m_server;
    QString m_database;
    QString m_base;
};

} // namespace isobar::test
