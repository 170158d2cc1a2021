#pragma once

#include "MetricsQuery.h"

#include <QDate>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace isobar {

// A problem with one field of a request body: the field as the client spelled it
// ("plots[2].metric"), and why.
struct FieldProblem {
    QString field;
    QString detail;
};

// The series and dates one entry of "plots" names, the part the tables, downloads and charts
// APIs share: topic and metric required, stratum, age, sex, geography and geography_type
// optional strings, date_from and date_to YYYY-MM-DD defaulting to [the first day of the month a
// year before `today`, `today`], date_to not before date_from. Fields are named `prefix` + name.
// nullopt, with the first problem in `problem`, if the entry is not acceptable.
std::optional<PointSelection> readPlotSelection(const QJsonObject &plot, const QString &prefix,
                                                QDate today, FieldProblem *problem);

} // namespace isobar
