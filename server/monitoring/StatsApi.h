#pragma once

#include "RequestStats.h"
#include "http/Router.h"
#include "http/SharedAnswers.h"

#include <functional>

namespace isobar {

class QueryRunner;

// The ops API over the request log: /api/v1/stats/{summary,timeline,geography,users} read the
// hour and day roll-ups on the query pool (never on the event loop). (The live process counters
// are /metrics: PrometheusExposition.)
class StatsApi
{
public:
    using Clock = std::function<qint64()>; // ms since the epoch

    StatsApi(QueryRunner &runner, RequestStats::Options options, Clock clock = {});

    void registerRoutes(Router &router);

    // "now", "now-15m" (s, m, h, d), an ISO 8601 date or date-time; nullopt when unreadable.
    static std::optional<qint64> parseTime(const QString &text, qint64 nowMs);

private:
    QFuture<HttpResponse> summary(const HttpRequest &request);
    QFuture<HttpResponse> timeline(const HttpRequest &request);
    QFuture<HttpResponse> geography(const HttpRequest &request);
    QFuture<HttpResponse> users(const HttpRequest &request);
    // Whether the minute roll-ups still hold every request since `fromMs`.
    bool minutesCover(qint64 fromMs) const;
    // Whether [from, to) is answered in minutes rather than in hours.
    bool answeredInMinutes(qint64 fromMs, qint64 toMs) const;

    QueryRunner &m_runner;
    RequestStats::Options m_options;
    Clock m_clock;
    // Identical requests (same target) in flight share one read: a board's viewers poll the
    // same ranges, and under heavy traffic a read of the last hours takes a while.
    SharedAnswers m_shared;
};

} // namespace isobar
