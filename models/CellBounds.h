#pragma once

namespace isobar {

// A weather request's position, as the cache cell it fell in: never finer (positions are
// personal data). Centre and half sizes in degrees.
struct CellBounds {
    double latitude = 0;
    double longitude = 0;
    double halfLatitude = 0;
    double halfLongitude = 0;
    bool operator==(const CellBounds &) const = default;
};

} // namespace isobar
