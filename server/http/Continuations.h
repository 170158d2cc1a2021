#pragma once

#include <QFuture>
#include <type_traits>

namespace isobar {

// `future.then(f)`, except that a result already there (a warm cache, a refusal) is passed to
// f at once: a continuation costs a shared state, a lock and a type-erased call, which on the
// warm watch path cost more than the answer itself. A future that failed or was cancelled
// still goes through then(), which carries the exception or the cancellation on.
template <typename T, typename Function>
auto continueWith(QFuture<T> future, Function f) -> QFuture<std::invoke_result_t<Function, T>>
{
    if (future.isFinished() && future.resultCount() > 0)
        return QtFuture::makeReadyFuture(f(future.result()));
    return future.then(QtFuture::Launch::Sync, std::move(f));
}

} // namespace isobar
