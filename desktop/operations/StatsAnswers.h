#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <array>
#include <optional>

namespace isobar {

// The stats API's JSON answers (models/RequestLog.cpp, RequestStats) as the page uses them.

enum class StatusClass { Informational, Success, Redirection, ClientError, ServerError };
inline constexpr int kStatusClassCount = 5;

struct EndpointLatency {
    QString method;
    QString endpoint; // the route pattern, e.g. /api/v1/weather/<kind>
    qint64 requests = 0;
    qint64 errors = 0;
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    bool meetsObjective = true;
};

// GET /api/v1/stats/summary
struct StatsSummary {
    qint64 requests = 0;
    std::array<qint64, kStatusClassCount> statusCounts{};
    double successRatio = 0; // share of 2xx, 0..1
    bool noGo = false;
    double noGoThreshold = 0.8;
    double objectiveMs = 200;
    QList<EndpointLatency> endpoints;

    static StatsSummary fromJson(const QJsonObject &json);
    // The endpoint with the highest p95, or nullopt when nothing was requested: the one that
    // decides whether the service meets its latency objective.
    std::optional<EndpointLatency> slowestEndpoint() const;
    int endpointsMeetingObjective() const;
};

// One entry of GET /api/v1/stats/timeline's "buckets".
struct TimelineBucket {
    QDateTime time; // the bucket's start, UTC
    qint64 requests = 0;
    std::array<qint64, kStatusClassCount> statusCounts{};
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;

    static QList<TimelineBucket> listFromJson(const QJsonArray &buckets);
};

// One entry of GET /api/v1/stats/users's "users".
struct UserActivity {
    QString subject;
    qint64 requests = 0;
    qint64 errors = 0;
    QDateTime firstSeen;
    QDateTime lastSeen;

    static QList<UserActivity> listFromJson(const QJsonArray &users);
};

} // namespace isobar
