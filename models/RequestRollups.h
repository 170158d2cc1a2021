#pragma once

#include "RequestEvent.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <tuple>

namespace isobar {

// Request events summed in memory the way the roll-up tables keep them: per hour and endpoint
// (route, method, status), per hour and route (a latency histogram), per hour and cache cell,
// per hour and token subject. Summing first makes a batch of 1,000 events a few dozen upserts.
// RequestLogWriter sums each batch with it; the monitoring benchmark sums the days it stores as
// roll-ups only, so both write exactly what a running server writes.
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

    // Adds the sums to the hourly roll-ups (rollup_endpoint, rollup_latency, rollup_cell,
    // rollup_subject), in the caller's transaction. False with `error` set on a failure.
    bool upsertHours(QSqlDatabase &db, QString *error) const;
    // Adds the endpoint and latency sums to their day roll-ups (rollup_endpoint_day,
    // rollup_latency_day, UTC days), which summaries over weeks read instead of 24 hours.
    bool upsertDays(QSqlDatabase &db, QString *error) const;

private:
    struct EndpointKey {
        qint64 time; // the hour, or the day in the day roll-ups
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
    using RouteKey = std::pair<qint64, QString>; // (hour or day, route)
    using Histograms = QHash<RouteKey, QList<qint64>>;
    struct CellSums {
        CellBounds bounds;
        qint64 requests = 0, hits = 0, misses = 0, stale = 0;
    };
    struct SubjectSums {
        qint64 requests = 0, errors = 0, limited = 0, firstMs = 0, lastMs = 0;
    };

    // The hour and day roll-ups of endpoints and latency have the same shape: `table`'s rows are
    // keyed by `timeColumn` (hour or day) first.
    bool upsertEndpoints(QSqlDatabase &db, const QHash<EndpointKey, EndpointSums> &sums,
                         const char *table, const char *timeColumn, QString *error) const;
    bool upsertLatency(QSqlDatabase &db, const Histograms &histograms, const char *table,
                       const char *timeColumn, QString *error) const;
    bool upsertCells(QSqlDatabase &db, QString *error) const;
    bool upsertSubjects(QSqlDatabase &db, QString *error) const;

    QString m_replica = QString::fromLatin1("");
    QHash<EndpointKey, EndpointSums> m_endpoints;
    Histograms m_latency;
    QHash<std::pair<qint64, std::pair<double, double>>, CellSums> m_cells;
    QHash<std::pair<qint64, QString>, SubjectSums> m_subjects;
};

} // namespace isobar
