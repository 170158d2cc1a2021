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

// One record of a download, field by field in UKHSA's JSON order: its name, its JSON value and
// its text as Python's csv module writes it (unquoted; csvField() quotes it).
struct Field {
    QByteArray name;
    QByteArray json;
    QString text;
};
QList<Field> record(const PublicPoint &point);
QList<Field> record(const PublicHeadline &headline);
// A CSV cell as csv.writer writes it: quoted when holding a separator, a quote or a line break.
QByteArray csvField(const QString &text);

} // namespace PointDownloads

} // namespace isobar
