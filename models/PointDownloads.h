#pragma once

#include "MetricsQuery.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace isobar {

// Points in the shapes of POST /api/downloads/v2: a JSON object per point, or CSV (RFC 4180)
// with the same columns. The API and the desktop's Download tab both write these, so a file
// saved from either reads the same way.
namespace PointDownloads {

const QStringList &columns();
QJsonObject object(const PublicPoint &point);
QByteArray csv(const QList<PublicPoint> &points);

} // namespace PointDownloads

} // namespace isobar
