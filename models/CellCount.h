#pragma once

#include "CellBounds.h"

#include <QtGlobal>

namespace isobar {

// A cache cell's weather requests over a time range, as the geography stats report them.
struct CellCount {
    CellBounds cell;
    qint64 requests = 0, hits = 0, misses = 0, stale = 0;
    bool operator==(const CellCount &) const = default;
};

} // namespace isobar
