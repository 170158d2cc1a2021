#include "SeriesExport.h"

#include "PointDownloads.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace isobar::SeriesExport {

QByteArray csv(const QList<PublicPoint> &points)
{
    return PointDownloads::csv(points);
}

QByteArray json(const QList<PublicPoint> &points)
{
    QJsonArray rows;
    for (const PublicPoint &point : points)
        rows.append(PointDownloads::object(point));
    return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}

QByteArray encode(const QList<PublicPoint> &points, Format format)
{
    return format == Format::Csv ? csv(points) : json(points);
}

} // namespace isobar::SeriesExport
