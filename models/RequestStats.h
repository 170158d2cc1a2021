#pragma once

#include "CellCount.h"
#include "Durations.h"
#include "StatsSummary.h"
#include "TimelineBucket.h"
#include "UserActivity.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace isobar {

// Reads the roll-ups for the stats API. Times in ms since the epoch; ranges are [from, to),
// widened to whole hours (the roll-ups' resolution). The whole days inside a range are read from
// the day roll-ups, its partial first and last days from the hours. Rows are streamed in primary
// key order and summed here: no sort in SQLite, no QVariant per value. Reads that fail throw
// StoreError: stats computed from part of the rows are not given.
class RequestStats
{
public:
    struct Options {
        double noGoSuccessRatio = 0.8; // below this share of 2xx the service is a no-go
        qint64 objectiveUs = 200'000;  // the response-time objective per endpoint
        // The most single events a minute timeline or exact summary reads, a bound on its time
        // (a few microseconds an event): a busier range is answered from the hourly roll-ups.
        qint64 maxMinuteEvents = 100'000;
        // How long single events are kept (the request log's raw retention): older ranges
        // are answered from the roll-ups.
        qint64 eventsKeptMs = 7 * kDayMs;
    };

    // Ranges up to this long are answered exactly, in minutes, from the single events while
    // they are kept; longer ones in whole hours from the roll-ups.
    static constexpr qint64 kEventRangeMs = 3 * kHourMs;

    // `replica`, when not empty, narrows every answer to the requests that replica served.
    RequestStats(QSqlDatabase &db, Options options, const QString &replica = {});

    StatsSummary summary(qint64 fromMs, qint64 toMs);
    // The same over exactly [from, to), from the single events (kept for days, where the
    // roll-ups have hours): nullopt when the range holds more than maxMinuteEvents of them.
    std::optional<StatsSummary> summaryOfEvents(qint64 fromMs, qint64 toMs);
    // Every bucket of `bucketHours` hours in the range, empty ones included; `route` (when not
    // empty) keeps one route's requests.
    QList<TimelineBucket> timeline(qint64 fromMs, qint64 toMs, int bucketHours,
                                   const QString &route);
    // Every minute in the range, from the single events (kept for days, where the roll-ups
    // have hours): what a range under an hour or two is drawn with. nullopt when the range
    // holds more than Options::maxMinuteEvents of them.
    std::optional<QList<TimelineBucket>> minuteTimeline(qint64 fromMs, qint64 toMs,
                                                        const QString &route);
    // The `limit` busiest cells, busiest first (then by latitude and longitude).
    QList<CellCount> busiestCells(qint64 fromMs, qint64 toMs, int limit);
    // The `limit` busiest token subjects, busiest first (then by name).
    QList<UserActivity> users(qint64 fromMs, qint64 toMs, int limit);
    // The same over exactly [from, to), from the single events; nullopt beyond maxMinuteEvents.
    std::optional<QList<UserActivity>> usersOfEvents(qint64 fromMs, qint64 toMs, int limit);

    // What a summary is made of, read from roll-ups or single events.
    struct EndpointSums {
        qint64 requests = 0, errors = 0;
    };
    using EndpointTotals = QHash<std::pair<QByteArray, QByteArray>, EndpointSums>; // method, route
    using RouteHistograms = QHash<QByteArray, QList<qint64>>; // latency is kept per route
    struct Answers {
        EndpointTotals endpoints;
        RouteHistograms histograms;
        StatusCounts classes{};
        QMap<QByteArray, qint64> replicas;
        // `count` answers of `status` by `method route`, served by `replica`.
        void add(const QByteArray &method, const QByteArray &route, qint64 status,
                 const QByteArray &replica, qint64 count);
    };

private:
    struct SubjectSums {
        qint64 requests = 0, errors = 0, limited = 0, firstMs = 0, lastMs = 0;
        void add(qint64 moreRequests, qint64 moreErrors, qint64 moreLimited, qint64 seenFirstMs,
                 qint64 seenLastMs);
    };

    StatsSummary summarize(const Answers &answers, qint64 fromMs, qint64 toMs) const;
    // The `limit` busiest of `sums`, busiest first (then by name).
    static QList<UserActivity> ranked(const QHash<QByteArray, SubjectSums> &sums, int limit);

    QSqlDatabase &m_db;
    Options m_options;
    QByteArray m_replica; // UTF-8; empty: every replica
};

} // namespace isobar
