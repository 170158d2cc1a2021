#include "MetricUnit.h"

#include <QCoreApplication>
#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("isobar::MetricUnit", text);
}

} // namespace

MetricUnit metricUnit(const QString &metricName)
{
    const QString name = metricName.toLower();
    // Percent first: "admissions_rate_change_percentage" is a percent change of a rate.
    static constexpr std::array percent = {u"percent", u"positivity", u"uptake", u"coverage"};
    for (const char16_t *word : percent) {
        if (name.contains(QStringView(word)))
            return MetricUnit::Percent;
    }
    return name.contains(u"rate") ? MetricUnit::RatePer100k : MetricUnit::Number;
}

QString unitLabel(MetricUnit unit)
{
    switch (unit) {
    case MetricUnit::Percent:
        return u"%"_s;
    case MetricUnit::RatePer100k:
        return tr("per 100,000 people");
    case MetricUnit::Number:
        break;
    }
    return {};
}

int displayDecimals(const QList<double> &values)
{
    const bool whole =
        std::all_of(values.cbegin(), values.cend(), [](double v) { return v == std::trunc(v); });
    if (whole)
        return 0;
    const bool small =
        std::all_of(values.cbegin(), values.cend(), [](double v) { return std::abs(v) < 1; });
    return small ? 2 : 1;
}

QString formatMetricValue(double value, MetricUnit unit, int decimals, const QLocale &locale)
{
    // Thousands separators even where the locale omits them by default (the C locale).
    QLocale grouped = locale;
    grouped.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    QString number = grouped.toString(value, 'f', decimals);
    switch (unit) {
    case MetricUnit::Percent:
        return number + u'%';
    case MetricUnit::RatePer100k:
        return tr("%1 per 100,000").arg(number);
    case MetricUnit::Number:
        break;
    }
    return number;
}

} // namespace isobar
