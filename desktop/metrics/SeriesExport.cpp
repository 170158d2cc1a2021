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

QByteArray encode(const QList<PublicHeadline> &headlines, Format format)
{
    return format == Format::Csv ? PointDownloads::headlineCsv(headlines, false)
                                 : PointDownloads::headlineJson(headlines, false);
}

} // namespace isobar::SeriesExport
