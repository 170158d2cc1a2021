#pragma once

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <exception>
#include <memory>
#include <mutex>
#include <type_traits>

namespace isobar {

// Where a thread's HomePromises are settled: a QObject living on that thread, for as long as
// the thread runs. Posting after the thread has ended drops the answer (its future is then
// cancelled), never touches a deleted object.
class ThreadInbox
{
public:
    static std::shared_ptr<ThreadInbox> ofCurrentThread();

    template <typename Function> void post(Function function)
    {
        const std::lock_guard lock(m_mutex);
        if (m_receiver)
            QMetaObject::invokeMethod(m_receiver, std::move(function), Qt::QueuedConnection);
    }

private:
    friend struct ThreadInboxOwner;
    std::mutex m_mutex;
    QObject *m_receiver = nullptr;
};

// A promise any thread may keep whose future settles on the thread that made it (its home).
//
// Qt 6.4 runs a continuation twice when then() is attached while another thread is finishing
// the future (setContinuation() runs it at once, then stores it back for runContinuation() to
// run again with its promise moved out): a crash, seen under load. A future handed to code
// that chains on it must therefore finish on the chaining thread, and work done elsewhere
// answers through one of these. The thread must run an event loop.
template <typename T> class HomePromise
{
public:
    HomePromise()
        : m_promise(std::make_shared<QPromise<T>>())
        , m_home(ThreadInbox::ofCurrentThread())
    {
        m_promise->start();
    }

    QFuture<T> future() const { return m_promise->future(); }

    void settle(T value) const
    {
        m_home->post([promise = m_promise, value = std::move(value)]() mutable {
            promise->addResult(std::move(value));
            promise->finish();
        });
    }

    void fail(std::exception_ptr exception) const
    {
        m_home->post([promise = m_promise, exception] {
            promise->setException(exception);
            promise->finish();
        });
    }

private:
    std::shared_ptr<QPromise<T>> m_promise;
    std::shared_ptr<ThreadInbox> m_home;
};

// QtConcurrent::run(pool, work), except that the answer arrives on the calling thread (above).
template <typename Work>
auto runOnPool(QThreadPool &pool, Work work) -> QFuture<std::invoke_result_t<Work &>>
{
    HomePromise<std::invoke_result_t<Work &>> promise;
    pool.start([promise, work = std::move(work)]() mutable {
        try {
            promise.settle(work());
        } catch (...) {
            promise.fail(std::current_exception());
        }
    });
    return promise.future();
}

} // namespace isobar
