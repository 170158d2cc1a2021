#pragma once

#include "MetricsQuery.h"

#include <QByteArray>
#include <QList>

namespace isobar {

// Points and headline records in the shapes of UKHSA's POST /api/downloads/v2: CSV (Python's
// csv.writer: minimal quoting, CRLF) and compact JSON, with UKHSA's columns in its order (the CSV
// puts sex before age, the JSON after stratum), values written as UKHSA's 4-decimal numbers. The
// API and the desktop's Download tab both write these, so a file saved from either reads the
// same way.
namespace PointDownloads {

// A value as UKHSA stores and writes it: four decimals ("123.4500").
QByteArray fourDecimals(double value);

QByteArray csv(const QList<PublicPoint> &points);
QByteArray json(const QList<PublicPoint> &points);
// `confidence`: the bounds' columns too (CSV lower then upper, JSON upper then lower, as UKHSA).
QByteArray headlineCsv(const QList<PublicHeadline> &headlines, bool confidence);
QByteArray headlineJson(const QList<PublicHeadline> &headlines, bool confidence);

} // namespace PointDownloads

} // namespace isobar
