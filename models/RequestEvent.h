#pragma once

#include "CellBounds.h"

#include <QByteArray>
#include <QString>
#include <QTypeInfo>
#include <optional>

namespace isobar {

// One answered request, as ops see it.
struct RequestEvent {
    qint64 timeMs = 0;
    QByteArray method;
    QString route; // the route pattern, so /geographies/England and /Wales are one endpoint
    int status = 0;
    qint64 durationUs = 0;
    qint64 responseBytes = 0;
    QString subject; // the token's sub, when authenticated
    QString client;  // the peer address
    std::optional<CellBounds> cell;
    QByteArray cacheOutcome; // hit | miss | stale, for weather calls
};

} // namespace isobar

// Qt's strings and plain values only: a queue of events that outgrows its reservation (the
// writer busy with maintenance) moves as memory, not event by event on the serving thread.
Q_DECLARE_TYPEINFO(isobar::RequestEvent, Q_RELOCATABLE_TYPE);
