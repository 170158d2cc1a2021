#pragma once

#include "MetricsQuery.h"

#include <QByteArray>

namespace isobar {

// A card's points (or headline records) as a file, in the shapes of the API's POST
// /api/downloads/v2, so a file saved from the desktop and one downloaded from the server read the
// same way.
namespace SeriesExport {

enum class Format { Csv, Json };

QByteArray csv(const QList<PublicPoint> &points);
QByteArray json(const QList<PublicPoint> &points);
QByteArray encode(const QList<PublicPoint> &points, Format format);
QByteArray encode(const QList<PublicHeadline> &headlines, Format format);

} // namespace SeriesExport

} // namespace isobar
