#pragma once

#include "ChartRequest.h"
#include "MetricsQuery.h"
#include "http/HttpResponse.h"
#include "metrics/UkhsaChartFields.h"

#include <QJsonObject>
#include <variant>

namespace isobar {

// A charts v2 or v3 body read as UKHSA's ChartsSerializer reads it: DRF's errors field by field,
// then UKHSA's plot rules, then the chart (the store tells which topics and metrics exist).
// Isobar's extra chart types (simple_line, line_with_shaded_section, stacked_bar, waffle,
// heatmap) are choices too; other mixes than bars with lines are refused as UKHSA refuses them.
namespace ChartBody {

enum class Version { V2, V3 };

struct Chart {
    ChartRequest request;
    QString fileFormat; // as sent (v2 answers image/<file_format>)
};

std::variant<Chart, HttpResponse> read(MetricsQuery &store, const QJsonObject &body,
                                       Version version, QDate today);

// A chart's settings from the fields UKHSA's chart serializers share (no plots yet).
ChartRequest chartOf(const UkhsaChartFields &fields);

} // namespace ChartBody

} // namespace isobar
