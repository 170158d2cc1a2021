#pragma once

#include "ChartRequest.h"

#include <QStringList>

namespace isobar {

// The name a point is grouped under on a category axis (its series' age, sex, ...).
QString categoryOf(const SeriesDescription &series, ChartAxis axis);

// Categories in reading order: age bands by their lower bound ("5-9" before "10-14",
// "90+" last but for "all"), other names alphabetically; "all" (the total) always last.
QStringList sortedCategories(QStringList categories, ChartAxis axis);

} // namespace isobar
