#pragma once

#include "http/ApiError.h"
#include "http/HttpResponse.h"

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent>
#include <atomic>
#include <functional>

namespace isobar {

class MetricsQuery;

// Runs store reads off the event loop, on a bounded pool whose threads each keep their own
// read-only connection. Beyond `maxQueued` waiting queries, callers get 503 at once.
class QueryRunner
{
public:
    using Work = std::function<HttpResponse(MetricsQuery &)>;

    QueryRunner(QString databasePath, int threads, int maxQueued);
    ~QueryRunner();

    QFuture<HttpResponse> run(Work work);
    // Work whose answer comes later than the read (a chart: read here, then drawn elsewhere):
    // the future it returns is the answer. Same pool, same bound.
    using LaterWork = std::function<QFuture<HttpResponse>(MetricsQuery &)>;
    QFuture<HttpResponse> runThen(LaterWork work);
    // Why the store cannot be read now, from a pool thread's connection (opened if needed);
    // empty when it can. Outside the bound: /health must answer when the queue is full.
    QFuture<QString> storeProblem();
    int inFlight() const { return m_inFlight.load(); }
    // Called on a pool thread after a StoreError (QueryRunner itself does for work that throws
    // one): the thread's next query opens a fresh connection, so a store repaired or replaced
    // on disk is read again without a restart.
    static void reopenThreadConnection();

private:
    // Both kinds of work: the bound, the thread's connection, ApiError turned into its answer.
    template <typename Answer> QFuture<Answer> submit(std::function<Answer(MetricsQuery &)> work);

    QString m_databasePath;
    int m_maxQueued;
    QThreadPool m_pool;
    std::atomic_int m_inFlight{0};
};

} // namespace isobar
