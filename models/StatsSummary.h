#pragma once

#include "EndpointLatency.h"
#include "StatusClass.h"

#include <QList>
#include <QString>
#include <optional>

namespace isobar {

// One replica's share of a range's requests ('' for requests stored before replicas were named).
struct ReplicaRequests {
    QString replica;
    qint64 requests = 0;
    bool operator==(const ReplicaRequests &) const = default;
};

// The requests of a time range (RequestStats::summary): counts per status class, whether the
// service is a no-go, and latency per endpoint against the objective.
struct StatsSummary {
    qint64 fromMs = 0, toMs = 0; // the whole hours counted, [from, to)
    qint64 requests = 0;
    StatusCounts statusCounts{};
    // Each class's share of the requests, to 4 decimals (0 when there were none).
    std::array<double, kStatusClassCount> statusRatios{};
    // The success ratio is under the threshold: the no-go rule (RequestStats::Options).
    bool noGo = false;
    double noGoThreshold = 0.8;
    double objectiveMs = 200;
    QList<EndpointLatency> endpoints; // sorted by "METHOD route"
    QList<ReplicaRequests> replicas;  // those that served requests in the range, by name
    bool operator==(const StatsSummary &) const = default;

    // The share of 2xx answers, 0..1.
    double successRatio() const { return statusRatios[int(StatusClass::Success)]; }
    // The endpoint with the highest p95, or nullopt when nothing was requested: the one that
    // decides whether the service meets its latency objective.
    std::optional<EndpointLatency> slowestEndpoint() const;
    int endpointsMeetingObjective() const;
};

} // namespace isobar
