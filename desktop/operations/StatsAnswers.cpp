#include "StatsAnswers.h"

#include <algorithm>

namespace isobar {

namespace {

constexpr const char16_t *kClassKeys[kStatusClassCount] = {u"1xx", u"2xx", u"3xx", u"4xx", u"5xx"};

std::array<qint64, kStatusClassCount> readStatusCounts(const QJsonObject &object)
{
    std::array<qint64, kStatusClassCount> counts{};
    for (int i = 0; i < kStatusClassCount; ++i)
        counts[i] = object.value(QStringView(kClassKeys[i])).toInteger();
    return counts;
}

QDateTime utcTime(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

} // namespace

StatsSummary StatsSummary::fromJson(const QJsonObject &json)
{
    StatsSummary summary;
    summary.requests = json.value(u"requests").toInteger();
    summary.statusCounts = readStatusCounts(json.value(u"status_counts").toObject());
    summary.successRatio = json.value(u"status_ratios").toObject().value(u"2xx").toDouble();
    summary.noGo = json.value(u"no_go").toBool();
    summary.noGoThreshold = json.value(u"no_go_threshold").toDouble(summary.noGoThreshold);
    summary.objectiveMs = json.value(u"objective_ms").toDouble(summary.objectiveMs);
    for (const QJsonValue &value : json.value(u"endpoints").toArray()) {
        const QJsonObject e = value.toObject();
        summary.endpoints.append(EndpointLatency{
            e.value(u"method").toString(),
            e.value(u"endpoint").toString(),
            e.value(u"requests").toInteger(),
            e.value(u"errors").toInteger(),
            e.value(u"p50_ms").toDouble(),
            e.value(u"p95_ms").toDouble(),
            e.value(u"p99_ms").toDouble(),
            e.value(u"meets_objective").toBool(true),
        });
    }
    return summary;
}

std::optional<EndpointLatency> StatsSummary::slowestEndpoint() const
{
    const auto slowest = std::max_element(
        endpoints.cbegin(), endpoints.cend(),
        [](const EndpointLatency &a, const EndpointLatency &b) { return a.p95Ms < b.p95Ms; });
    if (slowest == endpoints.cend())
        return std::nullopt;
    return *slowest;
}

int StatsSummary::endpointsMeetingObjective() const
{
    return int(std::count_if(endpoints.cbegin(), endpoints.cend(),
                             [](const EndpointLatency &e) { return e.meetsObjective; }));
}

QList<TimelineBucket> TimelineBucket::listFromJson(const QJsonArray &buckets)
{
    QList<TimelineBucket> list;
    list.reserve(buckets.size());
    for (const QJsonValue &value : buckets) {
        const QJsonObject b = value.toObject();
        list.append(TimelineBucket{
            utcTime(b.value(u"time")),
            b.value(u"requests").toInteger(),
            readStatusCounts(b),
            b.value(u"p50_ms").toDouble(),
            b.value(u"p95_ms").toDouble(),
            b.value(u"p99_ms").toDouble(),
        });
    }
    return list;
}

QList<UserActivity> UserActivity::listFromJson(const QJsonArray &users)
{
    QList<UserActivity> list;
    list.reserve(users.size());
    for (const QJsonValue &value : users) {
        const QJsonObject u = value.toObject();
        list.append(UserActivity{
            u.value(u"subject").toString(),
            u.value(u"requests").toInteger(),
            u.value(u"errors").toInteger(),
            utcTime(u.value(u"first_seen")),
            utcTime(u.value(u"last_seen")),
        });
    }
    return list;
}

} // namespace isobar
