#include "monitoring/StatsJson.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const qint64 kT0 = 1'764'028'800'000; // 2025-11-25T00:00:00Z
constexpr qint64 kHour = 3'600'000;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The same document without the line breaks that keep it readable here.
QByteArray oneLine(const char *json)
{
    return QByteArray(json).replace('\n', "");
}

// Five requests over two hours (TestRequestLog computes these figures from the events).
StatsSummary fiveRequests()
{
    StatsSummary summary;
    summary.fromMs = kT0;
    summary.toMs = kT0 + 2 * kHour;
    summary.requests = 5;
    summary.statusCounts = {0, 3, 0, 1, 1};
    summary.statusRatios = {0, 0.6, 0, 0.2, 0.2};
    summary.noGo = true;
    summary.noGoThreshold = 0.8;
    summary.objectiveMs = 200;
    summary.endpoints = {
        {u"GET"_s, u"(unmatched)"_s, 1, 1, 0.25, 0.48, 0.5, 0, true},
        {u"GET"_s, u"/prcpt"_s, 3, 1, 3.75, 9.25, 9.85, 0, true},
        {u"GET"_s, u"/uvidx"_s, 1, 0, 350, 485, 497, 1, false},
    };
    summary.replicas = {{u"oregon-1"_s, 2}, {u"paris-1"_s, 3}};
    return summary;
}

} // namespace

// The stats API's JSON, as clients have read it since the API was published: keys, number
// formatting and order must not change. And what is written reads back as it was.
class TestStatsJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryIsTheDocumentedJson()
    {
        QCOMPARE(compact(StatsJson::summary(fiveRequests())), oneLine(R"json({"endpoints":[
{"endpoint":"(unmatched)","errors":1,"meets_objective":true,"method":"GET","over_objective_ratio":0,"p50_ms":0.25,"p95_ms":0.48,"p99_ms":0.5,"requests":1},
{"endpoint":"/prcpt","errors":1,"meets_objective":true,"method":"GET","over_objective_ratio":0,"p50_ms":3.75,"p95_ms":9.25,"p99_ms":9.85,"requests":3},
{"endpoint":"/uvidx","errors":0,"meets_objective":false,"method":"GET","over_objective_ratio":1,"p50_ms":350,"p95_ms":485,"p99_ms":497,"requests":1}],
"from":"2025-11-25T00:00:00.000Z","no_go":true,"no_go_threshold":0.8,"objective_ms":200,
"replicas":[{"replica":"oregon-1","requests":2},{"replica":"paris-1","requests":3}],"requests":5,
"status_counts":{"1xx":0,"2xx":3,"3xx":0,"4xx":1,"5xx":1},
"status_ratios":{"1xx":0,"2xx":0.6,"3xx":0,"4xx":0.2,"5xx":0.2},"to":"2025-11-25T02:00:00.000Z"})json"));
    }

    void summaryReadsBack()
    {
        const StatsSummary summary = fiveRequests();
        QCOMPARE(StatsJson::readSummary(StatsJson::summary(summary)), summary);
        const StatsSummary empty;
        QCOMPARE(StatsJson::readSummary(StatsJson::summary(empty)), empty);
        // An answer without the objective and threshold keeps the defaults.
        const StatsSummary bare = StatsJson::readSummary(QJsonObject());
        QCOMPARE(bare.noGoThreshold, 0.8);
        QCOMPARE(bare.objectiveMs, 200.0);
    }

    void timelineIsTheDocumentedJson()
    {
        const QList<TimelineBucket> buckets = {
            {kT0, 3, {0, 2, 0, 0, 1}, 3.75, 9.25, 9.85},
            {kT0 + kHour, 0, {}, 0, 0, 0},
        };
        QCOMPARE(compact(StatsJson::timeline(buckets, u"2025-11-25T00:00:00Z"_s,
                                             u"2025-11-25T02:00:00Z"_s, u"hour"_s, u"/prcpt"_s)),
                 oneLine(R"json({"bucket":"hour","buckets":[
{"1xx":0,"2xx":2,"3xx":0,"4xx":0,"5xx":1,"p50_ms":3.75,"p95_ms":9.25,"p99_ms":9.85,"requests":3,"time":"2025-11-25T00:00:00.000Z"},
{"1xx":0,"2xx":0,"3xx":0,"4xx":0,"5xx":0,"p50_ms":0,"p95_ms":0,"p99_ms":0,"requests":0,"time":"2025-11-25T01:00:00.000Z"}],
"endpoint":"/prcpt","from":"2025-11-25T00:00:00Z","to":"2025-11-25T02:00:00Z"})json"));
        // All endpoints: no "endpoint" key.
        const QJsonObject all = StatsJson::timeline(buckets, {}, {}, u"day"_s, {});
        QVERIFY(!all.contains(u"endpoint"_s));
        QCOMPARE(StatsJson::readTimeline(all).buckets, buckets);
        QCOMPARE(StatsJson::readTimeline(all).bucketMs, 24 * kHour);
        // What a reader gets back: the width and the range covered.
        const Timeline minutes = StatsJson::readTimeline(StatsJson::timeline(
            buckets, u"2025-11-25T00:00:00Z"_s, u"2025-11-25T00:15:00Z"_s, u"minute"_s, {}));
        QCOMPARE(minutes.bucketMs, qint64(60'000));
        QCOMPARE(minutes.fromMs, kT0);
        QCOMPARE(minutes.toMs, kT0 + kHour / 4);
    }

    void usersAreTheDocumentedJson()
    {
        const QList<UserActivity> users = {
            {u"watch-1"_s, 2, 0, kT0 + 1000, kT0 + 2000},
            {u"watch-2"_s, 2, 1, kT0 + 3000, kT0 + kHour + 5, 1},
        };
        const QJsonObject answer =
            StatsJson::users(users, u"2025-11-25T00:00:00Z"_s, u"2025-11-25T02:00:00Z"_s);
        QCOMPARE(compact(answer),
                 oneLine(R"json({"from":"2025-11-25T00:00:00Z","to":"2025-11-25T02:00:00Z","users":[
{"errors":0,"first_seen":"2025-11-25T00:00:01.000Z","last_seen":"2025-11-25T00:00:02.000Z","rate_limited":0,"requests":2,"subject":"watch-1"},
{"errors":1,"first_seen":"2025-11-25T00:00:03.000Z","last_seen":"2025-11-25T01:00:00.005Z","rate_limited":1,"requests":2,"subject":"watch-2"}]})json"));
        QCOMPARE(StatsJson::readUsers(answer), users);
    }
};

QTEST_GUILESS_MAIN(TestStatsJson)
#include "TestStatsJson.moc"
