#pragma once

#include "MetricRecords.h"
#include "MetricsQuery.h"

#include <QJsonArray>
#include <QJsonObject>
#include <memory>

namespace isobar::test {

using namespace Qt::StringLiterals;

// The series the suites build on, written once: a COVID-19 metric for England (a nation, code
// E92000001), all ages and sexes, the default stratum, as UKHSA publishes it. Each builder gives
// the shape one layer takes; a suite changes the fields its case is about.

// A UKHSA time-series JSON file for `metric` with `records` as its time_series.
QJsonObject englandFile(const QString &metric, const QJsonArray &records);
// The same series as MetricsWriter takes it.
SeriesKey englandKey(const QString &metric);
// The same series as the store describes it to readers (charts, the desktop).
std::shared_ptr<const SeriesDescription> englandSeries(const QString &metric,
                                                       const QString &frequency = u"daily"_s,
                                                       const QString &age = u"all"_s);

} // namespace isobar::test
