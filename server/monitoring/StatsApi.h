#pragma once

#include "RequestLog.h"
#include "http/Router.h"

#include <functional>

namespace isobar {

class QueryRunner;

// The ops API over the request log: /api/v1/stats/{summary,timeline,geography,users} read the
// hour and day roll-ups on the query pool (never on the event loop), and /metrics exposes the
// live process counters in Prometheus text format.
class StatsApi
{
public:
    using Clock = std::function<qint64()>;           // ms since the epoch
    using MetricsText = std::function<QByteArray()>; // the Prometheus exposition, built on call

    StatsApi(QueryRunner &runner, RequestStats::Options options, MetricsText metrics,
             Clock clock = {});

    void registerRoutes(Router &router);
    // /metrics alone, for a scrape-only listener (--metrics-port).
    void registerMetricsRoute(Router &router);

    // "now", "now-15m" (s, m, h, d), an ISO 8601 date or date-time; nullopt when unreadable.
    static std::optional<qint64> parseTime(const QString &text, qint64 nowMs);

private:
    QFuture<HttpResponse> summary(const HttpRequest &request);
    QFuture<HttpResponse> timeline(const HttpRequest &request);
    QFuture<HttpResponse> geography(const HttpRequest &request);
    QFuture<HttpResponse> users(const HttpRequest &request);

    QueryRunner &m_runner;
    RequestStats::Options m_options;
    MetricsText m_metrics;
    Clock m_clock;
};

} // namespace isobar
