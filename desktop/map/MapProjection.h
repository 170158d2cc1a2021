#pragma once

#include <QPointF>
#include <QRectF>

// The map's equirectangular projection: one scene unit per degree, x = longitude and
// y = -latitude so north is up. Zoom is the view's transform, in pixels per degree.
namespace isobar::MapProjection {

inline QPointF toScene(double longitude, double latitude)
{
    return {longitude, -latitude};
}

// A west/south/east/north box in degrees as a scene rectangle.
inline QRectF toScene(double west, double south, double east, double north)
{
    return QRectF(QPointF(west, -north), QPointF(east, -south));
}

inline QRectF world()
{
    return toScene(-180, -90, 180, 90);
}

} // namespace isobar::MapProjection
