#pragma once

#include "MetricsQuery.h"

#include <QDate>
#include <QJsonObject>
#include <QString>
#include <QStringView>
#include <optional>

namespace isobar {

// A problem with one field of a request body: the field as the client spelled it
// ("plots[2].metric"), and why.
struct FieldProblem {
    QString field;
    QString detail;
};

// The longest text any field of a plot or chart request may hold (names, label, titles), in
// characters as JSON Schema's maxLength counts them. QtCharts lays titles and labels out at a
// cost that grows faster than their length (a 50 KB axis title: 7 s and 2.4 GB), and a table
// repeats a label on every row, so longer text is refused before any work.
inline constexpr qsizetype kMaxTextFieldLength = 255;

// Why `text` is refused ("at most 255 characters, got 51200"), or nullopt if it fits.
std::optional<QString> textLengthProblem(QStringView text);

// The series and dates one entry of "plots" names, the part the tables, downloads and charts
// APIs share: topic and metric required, stratum, age, sex, geography and geography_type
// optional strings, each at most kMaxTextFieldLength, date_from and date_to YYYY-MM-DD
// defaulting to [the first day of the month a year before `today`, `today`], date_to not before
// date_from. Fields are named `prefix` + name.
// nullopt, with the first problem in `problem`, if the entry is not acceptable.
std::optional<PointSelection> readPlotSelection(const QJsonObject &plot, const QString &prefix,
                                                QDate today, FieldProblem *problem);

} // namespace isobar
