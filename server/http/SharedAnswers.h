#pragma once

#include "Eventual.h"
#include "Flight.h"
#include "HttpResponse.h"

#include <QByteArray>
#include <QHash>
#include <functional>
#include <memory>
#include <mutex>

namespace isobar {

// Identical requests in flight share one answer: while an answer is being computed (a store
// read, a chart drawn), a request with the same key waits for it rather than computing it
// again. A board's viewers poll the same stats, a page's charts are asked for by every visitor
// at once; before the answer is cached, each would have cost one more read or drawing, on the
// very pools that were then too busy to answer. Nothing is kept once the answer is given.
class SharedAnswers
{
public:
    using Compute = std::function<Eventual<HttpResponse>()>;

    // `compute`'s answer, or that of the computation under way for `key`. A ready answer is
    // never shared: nothing was waiting for it. `compute` may throw (a refused parameter):
    // nothing is shared then.
    Eventual<HttpResponse> answer(const QByteArray &key, const Compute &compute);
    // Keys being computed now.
    int underWay() const;

private:
    struct Flights {
        mutable std::mutex mutex; // answers may arrive on another thread than the requests
        QHash<QByteArray, std::shared_ptr<Flight<HttpResponse>>> byKey;
    };
    // Shared with the continuations, which may outlive this object when the server stops.
    std::shared_ptr<Flights> m_flights = std::make_shared<Flights>();
};

} // namespace isobar
