#pragma once

#include "RequestEvent.h"
#include "RollupUpserts.h"
#include "SubjectSums.h"

#include <QHash>
#include <QList>
#include <tuple>

namespace isobar {

// Request events summed in memory the way the roll-up tables keep them: per minute and endpoint
// (route, method, status), per minute and route (a latency histogram), per minute and token
// subject, and per hour and cache cell; the hours and days of the first three are the minutes'
// sums. Summing first makes a batch of thousands of events a few dozen upserts: the request log
// keeps no row per request. RequestLogWriter sums each batch with it; the monitoring benchmark
// sums the days it stores as older roll-ups only, so both write exactly what a running server
// writes.
class RequestRollups
{
public:
    // The sums are stored as `replica`'s: each replica upserts its own rows. (Never NULL in the
    // store: no replica is '', as rows stored before replicas were.)
    RequestRollups() = default;
    explicit RequestRollups(const QString &replica)
        : m_replica(replica.isNull() ? QString::fromLatin1("") : replica)
    {}

    void add(const RequestEvent &event);
    bool isEmpty() const { return m_endpoints.isEmpty(); }

    // Adds the sums to the minute roll-ups (rollup_endpoint_minute, rollup_latency_minute,
    // rollup_subject_minute), which short ranges are read from while they are kept, in the
    // caller's transaction. False with `error` set on a failure.
    bool upsertMinutes(RollupUpserts &upserts, QString *error) const;
    // Adds the sums to the hourly roll-ups (rollup_endpoint, rollup_latency, rollup_cell,
    // rollup_subject), in the caller's transaction. False with `error` set on a failure.
    bool upsertHours(RollupUpserts &upserts, QString *error) const;
    // Adds the endpoint and latency sums to their day roll-ups (rollup_endpoint_day,
    // rollup_latency_day, UTC days), which summaries over weeks read instead of 24 hours.
    bool upsertDays(RollupUpserts &upserts, QString *error) const;

private:
    struct EndpointKey {
        qint64 time; // the minute, hour or day, as the table says
        QString route;
        QByteArray method;
        int status;
        bool operator==(const EndpointKey &) const = default;
        friend bool operator<(const EndpointKey &a, const EndpointKey &b)
        {
            return std::tie(a.time, a.route, a.method, a.status)
                   < std::tie(b.time, b.route, b.method, b.status);
        }
        friend size_t qHash(const EndpointKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.time, key.route, key.method, key.status);
        }
    };
    struct EndpointSums {
        qint64 requests = 0;
        qint64 durationUs = 0;
        qint64 bytes = 0;
    };
    using Endpoints = QHash<EndpointKey, EndpointSums>;
    using RouteKey = std::pair<qint64, QString>; // (minute, hour or day; route)
    using Histograms = QHash<RouteKey, QList<qint64>>;
    struct CellSums {
        CellBounds bounds;
        qint64 requests = 0, hits = 0, misses = 0, stale = 0;
    };
    using Subjects = QHash<std::pair<qint64, QString>, SubjectSums>; // (minute, hour; subject)

    // The same sums at a coarser resolution: each key's time divided by `factor` (60 minutes an
    // hour, 1,440 a day: UTC days).
    template <typename Hash> static Hash coarsened(const Hash &sums, qint64 factor);
    static qint64 &timeOf(EndpointKey &key) { return key.time; }
    static qint64 &timeOf(std::pair<qint64, QString> &key) { return key.first; }
    static void mergeInto(EndpointSums &into, const EndpointSums &more);
    static void mergeInto(QList<qint64> &into, const QList<qint64> &more);
    static void mergeInto(SubjectSums &into, const SubjectSums &more) { into.add(more); }

    // The minute, hour and day roll-ups of a kind have the same shape: `table`'s rows are keyed
    // by `timeColumn` (minute, hour or day) first.
    bool upsertEndpoints(RollupUpserts &upserts, const Endpoints &sums, const char *table,
                         const char *timeColumn, QString *error) const;
    bool upsertLatency(RollupUpserts &upserts, const Histograms &histograms, const char *table,
                       const char *timeColumn, QString *error) const;
    bool upsertCells(RollupUpserts &upserts, QString *error) const;
    bool upsertSubjects(RollupUpserts &upserts, const Subjects &sums, const char *table,
                        const char *timeColumn, QString *error) const;

    QString m_replica = QString::fromLatin1("");
    Endpoints m_endpoints;                                                 // per minute
    Histograms m_latency;                                                  // per minute
    QHash<std::pair<qint64, std::pair<double, double>>, CellSums> m_cells; // per hour
    Subjects m_subjects;                                                   // per minute
};

} // namespace isobar
