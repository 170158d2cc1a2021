#include "SeriesExport.h"

#include "PointDownloads.h"

namespace isobar::SeriesExport {

QByteArray csv(const QList<PublicPoint> &points)
{
    return PointDownloads::csv(points);
}

QByteArray json(const QList<PublicPoint> &points)
{
    return PointDownloads::json(points);
}

QByteArray encode(const QList<PublicPoint> &points, Format format)
{
    return format == Format::Csv ? csv(points) : json(points);
}

} // namespace isobar::SeriesExport
