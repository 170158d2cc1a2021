#pragma once

#include "http/ApiError.h"
#include "http/HttpResponse.h"

#include <QFuture>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace isobar {

class MetricsQuery;
struct ReadContext;

// Runs store reads off the event loop, on a bounded pool whose threads each keep their own
// read-only connection; answers come back on the calling thread, which runs an event loop. Beyond
// `maxQueued` waiting queries, callers get 503 at once. On PostgreSQL a query gets `timeoutMs`: the
// server cancels a slow one, and a server that does not answer at all has its connection cut
// shortly after (PostgresqlDeadline); either way 503.
class QueryRunner
{
public:
    using Work = std::function<HttpResponse(MetricsQuery &)>;

    QueryRunner(QString databasePath, int threads, int maxQueued, int timeoutMs);
    ~QueryRunner();

    QFuture<HttpResponse> run(Work work);
    // Work whose answer comes later than the read (a chart: read here, then drawn elsewhere):
    // the read returns the next step, which runs on the calling thread and whose future is the
    // answer. Same pool, same bound.
    using NextStep = std::function<QFuture<HttpResponse>()>;
    using LaterWork = std::function<NextStep(MetricsQuery &)>;
    QFuture<HttpResponse> runThen(LaterWork work);
    // Why the store cannot be read now; empty when it can. Asked on a thread and connection of
    // its own, outside the pool and its bound, one check at a time: probes must answer while
    // every reader waits on a store that does not. The answer comes within kProbeTimeoutMs,
    // a "no answer" when the store has not given one by then.
    QFuture<QString> storeProblem();
    // Under the orchestrator's probe timeout (2 s in packaging/kubernetes).
    static constexpr int kProbeTimeoutMs = 1000;
    int inFlight() const { return m_inFlight.load(); }
    // Called on a pool thread after a StoreError (QueryRunner itself does for work that throws
    // one): the thread's next query opens a fresh connection, so a store repaired or replaced
    // on disk is read again without a restart.
    static void reopenThreadConnection();

private:
    // Both kinds of work: the bound, the thread's connection, ApiError turned into its answer.
    template <typename Answer> QFuture<Answer> submit(std::function<Answer(MetricsQuery &)> work);

    ReadContext *threadContext(QString *error);

    QString m_databasePath;
    int m_maxQueued;
    int m_timeoutMs;
    QThreadPool m_pool;
    std::atomic_int m_inFlight{0};
    // After the store could not be opened, threads answer at once with that failure for this
    // long rather than each waiting out libpq's connect_timeout again, request after request.
    static constexpr int kReopenBackoffMs = 1000;
    std::mutex m_openMutex;
    qint64 m_openNotBeforeMs = 0; // steady clock
    QString m_lastOpenError;
    // storeProblem(): one thread, one check at a time, answered to every caller that asked
    // while it ran.
    struct ProbeWaiter;
    QString checkStore();
    QThreadPool m_probePool;
    std::mutex m_probeMutex;
    bool m_probeRunning = false;
    std::vector<std::shared_ptr<ProbeWaiter>> m_probeWaiters;
};

} // namespace isobar
