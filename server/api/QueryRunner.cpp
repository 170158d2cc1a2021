#include "QueryRunner.h"

#include "MetricsDatabase.h"
#include "MetricsQuery.h"
#include "StoreError.h"
#include "http/Router.h"

#include <QLoggingCategory>
#include <QThread>
#include <QThreadStorage>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

Q_LOGGING_CATEGORY(lcQuery, "isobar.query")

// A pool thread's own connection: SQLite connections must stay on the thread that opened them.
struct ReadContext {
    MetricsDatabase database;
    std::unique_ptr<MetricsQuery> query;
};
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

// The calling pool thread's query over its connection, opened if needed; null with `error` set
// when the store cannot be opened.
MetricsQuery *threadQuery(const QString &path, QString *error)
{
    if (ReadContext *known = t_context.hasLocalData() ? t_context.localData() : nullptr;
        known && known->database.path() == path && known->database.isOpen())
        return known->query.get();
    auto *context = new ReadContext;
    t_context.setLocalData(context); // deletes the thread's previous one
    if (!context->database.open(path, MetricsDatabase::Mode::ReadOnly)) {
        qCWarning(lcQuery).noquote()
            << "event=read_connection_failed error=" << context->database.errorString();
        *error = context->database.errorString();
        t_context.setLocalData(nullptr);
        return nullptr;
    }
    context->query = std::make_unique<MetricsQuery>(context->database.connection());
    return context->query.get();
}

} // namespace

QueryRunner::QueryRunner(QString databasePath, int threads, int maxQueued)
    : m_databasePath(std::move(databasePath))
    , m_maxQueued(maxQueued)
{
    m_pool.setMaxThreadCount(threads > 0 ? threads : QThread::idealThreadCount());
    m_pool.setExpiryTimeout(-1); // keep threads, and so their connections, for the server's life
}

QueryRunner::~QueryRunner()
{
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
        return readyResponse(std::move(response));
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
    return QtConcurrent::run(&m_pool, [this, work = std::move(work)]() -> Answer {
        struct Done {
            std::atomic_int &counter;
            ~Done() { --counter; }
        } done{m_inFlight};
        QString error;
        MetricsQuery *query = threadQuery(m_databasePath, &error);
        if (!query)
            return answer<Answer>(storeUnavailable(u"it cannot be opened"_s));
        try {
            return work(*query);
        } catch (const ApiError &error) {
            return answer<Answer>(error.toResponse());
        } catch (const StoreError &error) {
            qCWarning(lcQuery).noquote() << "event=store_read_failed error=" << error.reason();
            reopenThreadConnection();
            return answer<Answer>(storeUnavailable(error.reason()));
        }
    });
}

QFuture<QString> QueryRunner::storeProblem()
{
    return QtConcurrent::run(&m_pool, [this]() -> QString {
        QString error;
        MetricsQuery *query = threadQuery(m_databasePath, &error);
        if (!query)
            return error;
        try {
            query->checkReadable();
            return {};
        } catch (const StoreError &failure) {
            // A fresh connection next time, as for any other failed read.
            reopenThreadConnection();
            return failure.reason();
        }
    });
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
    return submit<QFuture<HttpResponse>>(std::move(work)).unwrap();
}

} // namespace isobar
