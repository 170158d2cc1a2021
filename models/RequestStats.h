#pragma once

#include "CellCount.h"
#include "Durations.h"
#include "StatsSummary.h"
#include "SubjectSums.h"
#include "TimelineBucket.h"
#include "UserActivity.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace isobar {

class StoreStatement;

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
        // The most rows a read of a minute roll-up takes, a bound on its time (a busy service
        // has thousands of callers a minute): a busier range is answered from the hourly ones.
        qint64 maxMinuteRows = 100'000;
        // How long the minute roll-ups are kept (the request log's minute retention): older
        // ranges are answered from the hourly ones.
        qint64 minutesKeptMs = 7 * kDayMs;
    };

    // Ranges up to this long are answered in whole minutes from the minute roll-ups while they
    // are kept; longer ones in whole hours.
    static constexpr qint64 kMinuteRangeMs = 3 * kHourMs;

    // `replica`, when not empty, narrows every answer to the requests that replica served.
    RequestStats(QSqlDatabase &db, Options options, const QString &replica = {});

    StatsSummary summary(qint64 fromMs, qint64 toMs);
    // The same over [from, to) in whole minutes, from the minute roll-ups (kept for days, where
    // the others have hours): nullopt when that reads more than maxMinuteRows rows.
    std::optional<StatsSummary> summaryOfMinutes(qint64 fromMs, qint64 toMs);
    // Every bucket of `bucketHours` hours in the range, empty ones included; `route` (when not
    // empty) keeps one route's requests.
    QList<TimelineBucket> timeline(qint64 fromMs, qint64 toMs, int bucketHours,
                                   const QString &route);
    // Every minute in the range, from the minute roll-ups: what a range under an hour or two is
    // drawn with. nullopt when that reads more than Options::maxMinuteRows rows.
    std::optional<QList<TimelineBucket>> minuteTimeline(qint64 fromMs, qint64 toMs,
                                                        const QString &route);
    // The `limit` busiest cells, busiest first (then by latitude and longitude).
    QList<CellCount> busiestCells(qint64 fromMs, qint64 toMs, int limit);
    // The `limit` busiest token subjects, busiest first (then by name).
    QList<UserActivity> users(qint64 fromMs, qint64 toMs, int limit);
    // The same in whole minutes, from the minute roll-ups; nullopt beyond maxMinuteRows rows.
    std::optional<QList<UserActivity>> usersOfMinutes(qint64 fromMs, qint64 toMs, int limit);

    // What a summary is made of, read from the roll-ups of minutes, hours or days.
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
    StatsSummary summarize(const Answers &answers, qint64 fromMs, qint64 toMs) const;
    // A subject roll-up row (kSubjectColumns) into `sums`.
    static void addSubjectRow(QHash<QByteArray, SubjectSums> &sums, const StoreStatement &row);
    // The `limit` busiest of `sums`, busiest first (then by name).
    static QList<UserActivity> ranked(const QHash<QByteArray, SubjectSums> &sums, int limit);

    QSqlDatabase &m_db;
    Options m_options;
    QByteArray m_replica; // UTF-8; empty: every replica
};

} // namespace isobar
