#include "QueryRunner.h"

#include "MetricsDatabase.h"
#include "MetricsQuery.h"
#include "PostgresqlDeadline.h"
#include "StoreError.h"
#include "http/HomePromise.h"
#include "http/Router.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadStorage>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace isobar {

// A pool thread's own connection: SQLite connections must stay on the thread that opened them.
struct ReadContext {
    MetricsDatabase database;
    std::unique_ptr<MetricsQuery> query;
};

namespace {

Q_LOGGING_CATEGORY(lcQuery, "isobar.query")

// Deleted as its thread finishes, before QThread::wait() returns (QThreadStorage), so before
// the pool's owner goes on, and the process perhaps exits. A thread_local would be destroyed
// after that, racing Qt SQL's own teardown at exit: isobar serve crashed on stop that way.
QThreadStorage<ReadContext *> t_context;

// Never an empty answer from a store that cannot be read: clients must be able to tell.
HttpResponse storeUnavailable(const QString &why)
{
    HttpResponse response =
        HttpResponse::problem(503, u"the metrics store cannot be read: %1"_s.arg(why));
    response.setHeader("Retry-After", "5");
    return response;
}

// How much longer than the server's own statement timeout a connection may stay silent before
// it is cut: the server's cancellation, which keeps the connection, comes first when it can.
constexpr int kSilenceGraceMs = 1000;

qint64 steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString noAnswerWithin(int ms)
{
    return u"no answer within %1 ms"_s.arg(ms);
}

} // namespace

QueryRunner::QueryRunner(QString databasePath, int threads, int maxQueued, int timeoutMs)
    : m_databasePath(std::move(databasePath))
    , m_maxQueued(maxQueued)
    , m_timeoutMs(timeoutMs)
{
    m_pool.setMaxThreadCount(threads > 0 ? threads : QThread::idealThreadCount());
    m_pool.setExpiryTimeout(-1); // keep threads, and so their connections, for the server's life
    m_probePool.setMaxThreadCount(1);
    m_probePool.setExpiryTimeout(-1);
}

// The calling thread's connection, opened if needed (again after it was lost); null with
// `error` set when the store cannot be opened. On PostgreSQL the server itself cancels a query
// running past the timeout.
ReadContext *QueryRunner::threadContext(QString *error)
{
    if (ReadContext *known = t_context.hasLocalData() ? t_context.localData() : nullptr;
        known && known->database.path() == m_databasePath && known->database.isOpen()
        && !known->database.isConnectionLost())
        return known;
    const qint64 now = steadyMs();
    {
        const std::lock_guard lock(m_openMutex);
        if (now < m_openNotBeforeMs) {
            *error = m_lastOpenError;
            return nullptr;
        }
    }
    auto *context = new ReadContext;
    t_context.setLocalData(context); // deletes the thread's previous one
    bool opened = context->database.open(m_databasePath, MetricsDatabase::Mode::ReadOnly);
    if (opened && context->database.isPostgresql()) {
        QSqlQuery timeout(context->database.connection());
        opened = timeout.exec(u"SET statement_timeout = %1"_s.arg(m_timeoutMs));
        if (!opened)
            *error = timeout.lastError().text();
    } else if (!opened) {
        *error = context->database.errorString();
    }
    if (!opened) {
        qCWarning(lcQuery).noquote() << "event=read_connection_failed error=" << *error;
        t_context.setLocalData(nullptr);
        const std::lock_guard lock(m_openMutex);
        m_openNotBeforeMs = steadyMs() + kReopenBackoffMs;
        m_lastOpenError = *error;
        return nullptr;
    }
    context->query = std::make_unique<MetricsQuery>(context->database.connection());
    return context;
}

QueryRunner::~QueryRunner()
{
    m_probePool.waitForDone();
    m_pool.waitForDone();
    // Each pool thread closes its connection when it ends, on its own thread.
}

namespace {
// An answer known at once, in the shape each kind of work returns.
template <typename Answer> Answer answer(HttpResponse response)
{
    if constexpr (std::is_same_v<Answer, HttpResponse>)
        return response;
    else
        return [response] { return readyResponse(response); };
}
} // namespace

template <typename Answer>
QFuture<Answer> QueryRunner::submit(std::function<Answer(MetricsQuery &)> work)
{
    if (m_inFlight.load() >= m_maxQueued) {
        HttpResponse busy =
            HttpResponse::problem(503, u"too many queries waiting; retry shortly"_s);
        busy.setHeader("Retry-After", "1");
        return QtFuture::makeReadyFuture(answer<Answer>(std::move(busy)));
    }
    ++m_inFlight;
    return runOnPool(m_pool, [this, work = std::move(work)]() -> Answer {
        struct Done {
            std::atomic_int &counter;
            ~Done() { --counter; }
        } done{m_inFlight};
        QString error;
        ReadContext *context = threadContext(&error);
        if (!context)
            return answer<Answer>(storeUnavailable(u"it cannot be opened"_s));
        QString failure;
        {
            // Disarmed before the connection is dropped below: the watchdog must never act on
            // a descriptor that may have been reused.
            const PostgresqlDeadline deadline(context->database.connection(),
                                              m_timeoutMs + kSilenceGraceMs);
            try {
                return work(*context->query);
            } catch (const ApiError &error) {
                return answer<Answer>(error.toResponse());
            } catch (const StoreError &error) {
                failure = deadline.expired() ? noAnswerWithin(m_timeoutMs) : error.reason();
            }
        }
        qCWarning(lcQuery).noquote() << "event=store_read_failed error=" << failure;
        reopenThreadConnection();
        return answer<Answer>(storeUnavailable(failure));
    });
}

// One caller's answer: the check's, or "no answer" when its time is up first.
struct QueryRunner::ProbeWaiter {
    HomePromise<QString> promise;
    std::atomic_bool settled{false};
    void settle(const QString &problem)
    {
        if (!settled.exchange(true))
            promise.settle(problem);
    }
};

QFuture<QString> QueryRunner::storeProblem()
{
    auto waiter = std::make_shared<ProbeWaiter>();
    QFuture<QString> answer = waiter->promise.future();
    {
        const std::lock_guard lock(m_probeMutex);
        m_probeWaiters.push_back(waiter);
        if (!m_probeRunning) {
            m_probeRunning = true;
            m_probePool.start([this] {
                const QString problem = checkStore();
                std::vector<std::shared_ptr<ProbeWaiter>> waiters;
                {
                    const std::lock_guard lock(m_probeMutex);
                    waiters.swap(m_probeWaiters);
                    m_probeRunning = false;
                }
                for (const auto &each : waiters)
                    each->settle(problem);
            });
        }
    }
    // Opening a connection to a silent server takes its connect_timeout, longer than a probe
    // may wait: the answer is not waited for past the probe's time, the check goes on.
    QTimer::singleShot(kProbeTimeoutMs,
                       [waiter] { waiter->settle(noAnswerWithin(kProbeTimeoutMs)); });
    return answer;
}

QString QueryRunner::checkStore()
{
    QString error;
    ReadContext *context = threadContext(&error);
    if (!context)
        return error;
    QString failure;
    {
        const PostgresqlDeadline deadline(context->database.connection(), kProbeTimeoutMs);
        try {
            context->query->checkReadable();
            return {};
        } catch (const StoreError &error) {
            failure = deadline.expired() ? noAnswerWithin(kProbeTimeoutMs) : error.reason();
        }
    }
    // A fresh connection next time, as for any other failed read.
    reopenThreadConnection();
    return failure;
}

void QueryRunner::reopenThreadConnection()
{
    t_context.setLocalData(nullptr);
}

QFuture<HttpResponse> QueryRunner::run(Work work)
{
    return submit<HttpResponse>(std::move(work));
}

QFuture<HttpResponse> QueryRunner::runThen(LaterWork work)
{
    return submit<NextStep>(std::move(work))
        .then(QtFuture::Launch::Sync, [](const NextStep &next) { return next(); })
        .unwrap();
}

} // namespace isobar
