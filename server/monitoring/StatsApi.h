#pragma once

#include "RequestStats.h"
#include "http/Flight.h"
#include "http/Router.h"

#include <QHash>
#include <functional>
#include <memory>

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
    // Whether the single events still hold every request since `fromMs`.
    bool eventsCover(qint64 fromMs) const;
    // Whether [from, to) is answered exactly from the single events rather than in hours.
    bool answeredFromEvents(qint64 fromMs, qint64 toMs) const;
    // `read`'s answer, shared by every identical request (same target) that comes while it
    // runs: a board's viewers poll the same ranges, and under heavy traffic a read of the
    // last hours' single events takes a while, which one read per poll would multiply.
    Eventual<HttpResponse> shared(const HttpRequest &request,
                                  const std::function<QFuture<HttpResponse>()> &read);

    QueryRunner &m_runner;
    RequestStats::Options m_options;
    Clock m_clock;
    // The reads under way by request target; held by their continuations too, which run on
    // this thread when a read is answered.
    using Reads = QHash<QByteArray, std::shared_ptr<Flight<HttpResponse>>>;
    std::shared_ptr<Reads> m_reads = std::make_shared<Reads>();
};

} // namespace isobar
