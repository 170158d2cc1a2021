#pragma once

#include "CellBounds.h"

#include <QByteArray>
#include <QString>
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
