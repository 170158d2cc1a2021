#pragma once

#include <QFuture>
#include <QList>
#include <QPainterPath>
#include <QString>

namespace isobar {

// Country outlines of Natural Earth (resources/world/) as painter paths in the map's scene
// coordinates (MapProjection), at two resolutions: 110m to draw when zoomed out, 50m in.
struct WorldOutlines {
    struct Country {
        QString name;
        QPainterPath path;
        QRectF bounds; // of the path, to skip countries outside the area being drawn
    };

    QList<Country> coarse;
    QList<Country> fine;

    // Both resolutions, parsed once per process on a worker thread (2 MB of JSON): every map
    // shares the one future.
    static QFuture<WorldOutlines> shared();

    // A GeoJSON FeatureCollection of Polygon and MultiPolygon countries. Rings that cross the
    // antimeridian are unwrapped and folded back into the world; rings around a pole
    // (Antarctica) are closed along the pole.
    static QList<Country> countriesFromGeoJson(const QByteArray &json);
};

} // namespace isobar
