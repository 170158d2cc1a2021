#pragma once

#include "ChartRequest.h"

#include <QStringList>

namespace isobar {

// The name a point is grouped under on a category axis (its series' age, sex, ...).
QString categoryOf(const SeriesDescription &series, ChartAxis axis);

// An age band as UKHSA shows it on an axis: "65-84" as "65 - 84".
QString spacedAgeBand(const QString &age);

// Categories in reading order: age bands by age ("<1", "00-04", "5-9", "10-14", ... "90+"),
// also on the stratum axis when every stratum is an age band ("0_4", "12m"); other names
// alphabetically; the total ("all", "default") always last.
QStringList sortedCategories(QStringList categories, ChartAxis axis);

} // namespace isobar
