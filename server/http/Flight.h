#pragma once

#include <QFuture>
#include <QPromise>
#include <exception>
#include <vector>

namespace isobar {

// Callers waiting for one piece of work under way (an upstream call, a store read): each gets a
// future of its own, and all get the one result. Each needs its own: a Qt 6.4 QFuture holds a
// single continuation, so handing one future to many callers who each chain .then() would
// silently cancel all but the last of them.
template <typename T> class Flight
{
public:
    QFuture<T> join()
    {
        m_waiters.emplace_back();
        m_waiters.back().start();
        return m_waiters.back().future();
    }
    void finish(const T &value)
    {
        for (QPromise<T> &waiter : m_waiters) {
            waiter.addResult(value);
            waiter.finish();
        }
        m_waiters.clear();
    }
    void fail(const std::exception_ptr &error)
    {
        for (QPromise<T> &waiter : m_waiters) {
            waiter.setException(error);
            waiter.finish();
        }
        m_waiters.clear();
    }

private:
    std::vector<QPromise<T>> m_waiters; // a promise dropped unfinished cancels its future
};

} // namespace isobar
