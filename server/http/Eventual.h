#pragma once

#include <QFuture>
#include <type_traits>
#include <utility>
#include <variant>

namespace isobar {

// A value that is here now, or a future of it. Most answers are ready at once (a warm cache, a
// refusal, a probe), and a QFuture costs a shared state, a lock and a result store even then:
// on the warm watch path the futures around an answer cost more than computing it. Code that
// may have to wait returns an Eventual; the ready case then stays a plain value all the way to
// the connection, and only work that really waits goes through QFuture.
template <typename T> class Eventual
{
public:
    Eventual(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {}
    Eventual(QFuture<T> future)
        : m_state(std::in_place_index<1>, std::move(future))
    {}

    // A value, or a future that has finished with one.
    bool isReady() const
    {
        if (m_state.index() == 0)
            return true;
        const QFuture<T> &future = std::get<1>(m_state);
        return future.isFinished() && future.resultCount() > 0;
    }
    // The value; isReady() must hold.
    T take() &&
    {
        if (m_state.index() == 0)
            return std::move(std::get<0>(m_state));
        return std::get<1>(m_state).result();
    }
    // The value as a future, ready when the value is here: for code that chains or waits.
    QFuture<T> toFuture() &&
    {
        if (m_state.index() == 0)
            return QtFuture::makeReadyFuture(std::move(std::get<0>(m_state)));
        return std::move(std::get<1>(m_state));
    }
    // f applied to the value: at once when it is ready, else when the future finishes (on the
    // thread that finishes it). A future that fails or is cancelled carries that on.
    template <typename Function>
    auto then(Function f) && -> Eventual<std::invoke_result_t<Function, T>>
    {
        if (isReady())
            return f(std::move(*this).take());
        return std::get<1>(m_state).then(QtFuture::Launch::Sync, std::move(f));
    }

private:
    std::variant<T, QFuture<T>> m_state; // not an empty QFuture: making one allocates
};

} // namespace isobar
