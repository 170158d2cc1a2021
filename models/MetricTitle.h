#pragma once

#include <QString>

namespace isobar {

// A metric's title for people, derived from its stored name and topic the way UKHSA's dashboard
// titles its charts: words, not identifiers. The topic prefix goes (the topic is shown beside
// it), as does the "headline" group; snake_case and camelCase become words, digits stand apart
// ("autumn22" -> "autumn 2022"), abbreviations are spelled as the dashboard does ("ICU/HDU",
// "7-day", "average"), and official-sensitive copies say so. Examples:
//   weekly_hospital_admissions_rate_by_age -> Weekly hospital admissions rate by age
//   COVID-19_headline_7DayAdmissionsPercentChange -> 7-day admissions percent change
//   OFF-SENS_influenza_healthcare_ICUHDUadmissionRateByWeek
//       -> Healthcare ICU/HDU admission rate by week (official-sensitive)
QString derivedMetricTitle(const QString &topic, const QString &metric);

} // namespace isobar
