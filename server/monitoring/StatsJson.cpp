#include "StatsJson.h"

#include <QDateTime>
#include <QJsonArray>
#include <array>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Every key of the three answers, written and read through these names.
namespace key {
const QString from = u"from"_s;
const QString to = u"to"_s;
const QString requests = u"requests"_s;
const QString errors = u"errors"_s;
const QString rateLimited = u"rate_limited"_s;
const QString statusCounts = u"status_counts"_s;
const QString statusRatios = u"status_ratios"_s;
const QString noGo = u"no_go"_s;
const QString noGoThreshold = u"no_go_threshold"_s;
const QString objectiveMs = u"objective_ms"_s;
const QString endpoints = u"endpoints"_s;
const QString replicas = u"replicas"_s;
const QString replica = u"replica"_s;
const QString endpoint = u"endpoint"_s;
const QString method = u"method"_s;
const QString overObjectiveRatio = u"over_objective_ratio"_s;
const QString meetsObjective = u"meets_objective"_s;
const QString p50Ms = u"p50_ms"_s;
const QString p95Ms = u"p95_ms"_s;
const QString p99Ms = u"p99_ms"_s;
const QString bucket = u"bucket"_s;
const QString buckets = u"buckets"_s;
const QString time = u"time"_s;
const QString users = u"users"_s;
const QString subject = u"subject"_s;
const QString firstSeen = u"first_seen"_s;
const QString lastSeen = u"last_seen"_s;
// Indexed by int(StatusClass).
const std::array<QString, kStatusClassCount> statusClasses = {u"1xx"_s, u"2xx"_s, u"3xx"_s,
                                                              u"4xx"_s, u"5xx"_s};
} // namespace key

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 readTime(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// Counts are written as JSON numbers (doubles), as they always were.
void writeCounts(QJsonObject &object, const StatusCounts &counts)
{
    for (int c = 0; c < kStatusClassCount; ++c)
        object.insert(key::statusClasses[c], double(counts[c]));
}

StatusCounts readCounts(const QJsonObject &object)
{
    StatusCounts counts{};
    for (int c = 0; c < kStatusClassCount; ++c)
        counts[c] = object.value(key::statusClasses[c]).toInteger();
    return counts;
}

QJsonObject percentiles(double p50Ms, double p95Ms, double p99Ms)
{
    return QJsonObject{{key::p50Ms, p50Ms}, {key::p95Ms, p95Ms}, {key::p99Ms, p99Ms}};
}

QJsonObject endpointJson(const EndpointLatency &e)
{
    QJsonObject json = percentiles(e.p50Ms, e.p95Ms, e.p99Ms);
    json.insert(key::endpoint, e.endpoint);
    json.insert(key::method, e.method);
    json.insert(key::requests, double(e.requests));
    json.insert(key::errors, double(e.errors));
    json.insert(key::overObjectiveRatio, e.overObjectiveRatio);
    json.insert(key::meetsObjective, e.meetsObjective);
    return json;
}

EndpointLatency readEndpoint(const QJsonObject &json)
{
    return EndpointLatency{
        json.value(key::method).toString(),
        json.value(key::endpoint).toString(),
        json.value(key::requests).toInteger(),
        json.value(key::errors).toInteger(),
        json.value(key::p50Ms).toDouble(),
        json.value(key::p95Ms).toDouble(),
        json.value(key::p99Ms).toDouble(),
        json.value(key::overObjectiveRatio).toDouble(),
        json.value(key::meetsObjective).toBool(true),
    };
}

} // namespace

QJsonObject StatsJson::summary(const StatsSummary &summary)
{
    QJsonObject ratios;
    for (int c = 0; c < kStatusClassCount; ++c)
        ratios.insert(key::statusClasses[c], summary.statusRatios[c]);
    QJsonObject counts;
    writeCounts(counts, summary.statusCounts);
    QJsonArray endpoints;
    for (const EndpointLatency &endpoint : summary.endpoints)
        endpoints.append(endpointJson(endpoint));
    QJsonArray replicas;
    for (const ReplicaRequests &replica : summary.replicas)
        replicas.append(QJsonObject{{key::replica, replica.replica},
                                    {key::requests, double(replica.requests)}});
    return QJsonObject{
        {key::from, isoTime(summary.fromMs)},
        {key::to, isoTime(summary.toMs)},
        {key::requests, double(summary.requests)},
        {key::statusRatios, ratios},
        {key::statusCounts, counts},
        {key::noGo, summary.noGo},
        {key::noGoThreshold, summary.noGoThreshold},
        {key::objectiveMs, summary.objectiveMs},
        {key::endpoints, endpoints},
        {key::replicas, replicas},
    };
}

StatsSummary StatsJson::readSummary(const QJsonObject &json)
{
    StatsSummary summary;
    summary.fromMs = readTime(json.value(key::from));
    summary.toMs = readTime(json.value(key::to));
    summary.requests = json.value(key::requests).toInteger();
    summary.statusCounts = readCounts(json.value(key::statusCounts).toObject());
    const QJsonObject ratios = json.value(key::statusRatios).toObject();
    for (int c = 0; c < kStatusClassCount; ++c)
        summary.statusRatios[c] = ratios.value(key::statusClasses[c]).toDouble();
    summary.noGo = json.value(key::noGo).toBool();
    summary.noGoThreshold = json.value(key::noGoThreshold).toDouble(summary.noGoThreshold);
    summary.objectiveMs = json.value(key::objectiveMs).toDouble(summary.objectiveMs);
    const QJsonArray endpoints = json.value(key::endpoints).toArray();
    summary.endpoints.reserve(endpoints.size());
    for (const auto &endpoint : endpoints)
        summary.endpoints.append(readEndpoint(endpoint.toObject()));
    const QJsonArray replicas = json.value(key::replicas).toArray();
    for (const auto &replica : replicas)
        summary.replicas.append(
            ReplicaRequests{replica[key::replica].toString(), replica[key::requests].toInteger()});
    return summary;
}

QJsonObject StatsJson::timeline(const QList<TimelineBucket> &buckets, const QString &from,
                                const QString &to, const QString &bucket, const QString &endpoint)
{
    QJsonArray entries;
    for (const TimelineBucket &b : buckets) {
        QJsonObject entry = percentiles(b.p50Ms, b.p95Ms, b.p99Ms);
        entry.insert(key::time, isoTime(b.startMs));
        entry.insert(key::requests, double(b.requests));
        writeCounts(entry, b.statusCounts);
        entries.append(entry);
    }
    QJsonObject answer{
        {key::from, from}, {key::to, to}, {key::bucket, bucket}, {key::buckets, entries}};
    if (!endpoint.isEmpty())
        answer.insert(key::endpoint, endpoint);
    return answer;
}

Timeline StatsJson::readTimeline(const QJsonObject &json)
{
    const QJsonArray entries = json.value(key::buckets).toArray();
    Timeline timeline;
    timeline.bucketMs = timelineBucketMs(json.value(key::bucket).toString());
    timeline.fromMs = readTime(json.value(key::from));
    timeline.toMs = readTime(json.value(key::to));
    timeline.buckets.reserve(entries.size());
    for (const auto &value : entries) {
        const QJsonObject b = value.toObject();
        timeline.buckets.append(TimelineBucket{
            readTime(b.value(key::time)),
            b.value(key::requests).toInteger(),
            readCounts(b),
            b.value(key::p50Ms).toDouble(),
            b.value(key::p95Ms).toDouble(),
            b.value(key::p99Ms).toDouble(),
        });
    }
    return timeline;
}

QJsonObject StatsJson::users(const QList<UserActivity> &users, const QString &from,
                             const QString &to)
{
    QJsonArray entries;
    for (const UserActivity &user : users)
        entries.append(QJsonObject{{key::subject, user.subject},
                                   {key::requests, double(user.requests)},
                                   {key::errors, double(user.errors)},
                                   {key::rateLimited, double(user.limited)},
                                   {key::firstSeen, isoTime(user.firstSeenMs)},
                                   {key::lastSeen, isoTime(user.lastSeenMs)}});
    return QJsonObject{{key::from, from}, {key::to, to}, {key::users, entries}};
}

QList<UserActivity> StatsJson::readUsers(const QJsonObject &json)
{
    const QJsonArray entries = json.value(key::users).toArray();
    QList<UserActivity> users;
    users.reserve(entries.size());
    for (const auto &value : entries) {
        const QJsonObject u = value.toObject();
        users.append(UserActivity{
            u.value(key::subject).toString(),
            u.value(key::requests).toInteger(),
            u.value(key::errors).toInteger(),
            readTime(u.value(key::firstSeen)),
            readTime(u.value(key::lastSeen)),
            u.value(key::rateLimited).toInteger(),
        });
    }
    return users;
}

} // namespace isobar
