#pragma once

#include "ChartData.h"

namespace isobar {

// The alternative text of a chart: one paragraph naming its type, metric, geography and date
// range, then the latest value and how it changed. Plain data, any thread.
class ChartDescription
{
public:
    static QString describe(const ChartRequest &request, const ChartDataset &data);
};

} // namespace isobar
