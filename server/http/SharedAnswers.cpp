#include "SharedAnswers.h"

namespace isobar {

Eventual<HttpResponse> SharedAnswers::answer(const QByteArray &key, const Compute &compute)
{
    {
        const std::lock_guard lock(m_flights->mutex);
        if (const auto underWay = m_flights->byKey.constFind(key);
            underWay != m_flights->byKey.constEnd())
            return (*underWay)->join();
    }
    Eventual<HttpResponse> computed = compute();
    if (computed.isReady())
        return computed;
    auto flight = std::make_shared<Flight<HttpResponse>>();
    QFuture<HttpResponse> first = flight->join();
    {
        const std::lock_guard lock(m_flights->mutex);
        m_flights->byKey.insert(key, flight);
    }
    const auto landed = [flights = m_flights, key, flight] {
        const std::lock_guard lock(flights->mutex);
        if (flights->byKey.value(key) == flight)
            flights->byKey.remove(key);
    };
    // A computation that fails fails its waiters too; one cancelled (the server stopping)
    // drops the flight, which cancels theirs. Their connections answer for either.
    std::move(computed)
        .toFuture()
        .then(QtFuture::Launch::Sync,
              [landed, flight](const HttpResponse &response) {
                  landed();
                  flight->finish(response);
              })
        .onFailed([landed, flight] {
            landed();
            flight->fail(std::current_exception());
        })
        .onCanceled(landed);
    return first;
}

int SharedAnswers::underWay() const
{
    const std::lock_guard lock(m_flights->mutex);
    return int(m_flights->byKey.size());
}

} // namespace isobar
