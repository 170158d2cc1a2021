#include "WorldOutlines.h"

#include "MapProjection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPolygonF>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// One linear ring as a closed subpath. TopoJSON stitching leaves rings that cross the
// antimeridian jumping from +180 to -180; following the ring continuously instead keeps it one
// shape, which may then reach past +-180 and is copied to the other side and clipped.
QPainterPath ringPath(const QJsonArray &ring)
{
    QPolygonF polygon;
    polygon.reserve(ring.size() + 2);
    double offset = 0;
    double previous = 0;
    for (const auto &value : ring) {
        const QJsonArray position = value.toArray();
        double longitude = position.at(0).toDouble() + offset;
        if (!polygon.isEmpty() && longitude - previous > 180) {
            offset -= 360;
            longitude -= 360;
        } else if (!polygon.isEmpty() && longitude - previous < -180) {
            offset += 360;
            longitude += 360;
        }
        previous = longitude;
        polygon << MapProjection::toScene(longitude, position.at(1).toDouble());
    }
    if (polygon.size() < 3)
        return {};
    // A ring that went once around the globe encloses a pole: close it along that pole.
    if (offset != 0) {
        const double poleY = polygon.constFirst().y() > 0 ? 90 : -90;
        polygon << QPointF(polygon.constLast().x(), poleY)
                << QPointF(polygon.constFirst().x(), poleY);
    }
    QPainterPath path;
    path.addPolygon(polygon);
    path.closeSubpath();
    const QRectF world = MapProjection::world();
    const QRectF extent = path.boundingRect();
    if (extent.left() >= world.left() && extent.right() <= world.right())
        return path;
    path.addPath(path.translated(extent.left() < world.left() ? 360 : -360, 0));
    QPainterPath clip;
    clip.addRect(world);
    return path.intersected(clip);
}

QPainterPath polygonPath(const QJsonArray &rings)
{
    QPainterPath path;
    for (const auto &ring : rings)
        path.addPath(ringPath(ring.toArray()));
    return path;
}

QList<WorldOutlines::Country> countriesFromResource(const QString &name)
{
    QFile file(name);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("world map: cannot open %s", qPrintable(name));
        return {};
    }
    return WorldOutlines::countriesFromGeoJson(file.readAll());
}

} // namespace

QList<WorldOutlines::Country> WorldOutlines::countriesFromGeoJson(const QByteArray &json)
{
    QList<Country> countries;
    const QJsonArray features = QJsonDocument::fromJson(json).object().value(u"features").toArray();
    for (const auto &feature : features) {
        const QJsonObject geometry = feature.toObject().value(u"geometry").toObject();
        const QString type = geometry.value(u"type").toString();
        const QJsonArray coordinates = geometry.value(u"coordinates").toArray();
        QPainterPath path;
        // Holes are rings inside their polygon's outer ring: odd-even filling leaves them out.
        path.setFillRule(Qt::OddEvenFill);
        if (type == u"Polygon") {
            path.addPath(polygonPath(coordinates));
        } else if (type == u"MultiPolygon") {
            for (const auto &polygon : coordinates)
                path.addPath(polygonPath(polygon.toArray()));
        }
        if (path.isEmpty())
            continue;
        const QString name =
            feature.toObject().value(u"properties").toObject().value(u"name").toString();
        countries.append(Country{name, path, path.boundingRect()});
    }
    return countries;
}

QFuture<WorldOutlines> WorldOutlines::shared()
{
    static const QFuture<WorldOutlines> outlines = QtConcurrent::run([] {
        return WorldOutlines{countriesFromResource(u":/world/countries-110m.geojson"_s),
                             countriesFromResource(u":/world/countries-50m.geojson"_s)};
    });
    return outlines;
}

} // namespace isobar
