#include "DateAxis.h"

#include "ChartStyle.h"

#include <QCategoryAxis>
#include <QLocale>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar::DateAxis {

namespace {

constexpr int kPixelsPerLabel = 90;
// Either side of a lone day: enough for its marker and label to stand clear of the frame.
constexpr int kLoneDayPaddingDays = 3;

enum class Unit { Day, Week, Month };

struct Step {
    Unit unit;
    int count;
};

// The first boundary of the step on or after `date`.
QDate firstBoundary(QDate date, Step step)
{
    switch (step.unit) {
    case Unit::Day:
        return date;
    case Unit::Week:
        return date.addDays((8 - date.dayOfWeek()) % 7);
    case Unit::Month: {
        // Months counted from January, so quarters start in January, April, July, October.
        QDate month(date.year(), date.month(), 1);
        if (month < date)
            month = month.addMonths(1);
        while ((month.month() - 1) % step.count != 0)
            month = month.addMonths(1);
        return month;
    }
    }
    return date;
}

QDate next(QDate date, Step step)
{
    switch (step.unit) {
    case Unit::Day:
        return date.addDays(step.count);
    case Unit::Week:
        return date.addDays(qint64(7) * step.count);
    case Unit::Month:
        return date.addMonths(step.count);
    }
    return date;
}

QList<QDate> boundaries(QDate first, QDate last, Step step)
{
    QList<QDate> dates;
    for (QDate d = firstBoundary(first, step); d <= last; d = next(d, step))
        dates << d;
    return dates;
}

} // namespace

QList<Tick> ticks(QDate first, QDate last, int width)
{
    const QLocale locale(QLocale::English, QLocale::UnitedKingdom);
    if (first >= last)
        return {{first, locale.toString(first, u"d MMM yyyy"_s)}};
    const int maxLabels = std::max(2, width / kPixelsPerLabel);
    static constexpr Step steps[] = {{Unit::Day, 1},   {Unit::Week, 1},  {Unit::Week, 2},
                                     {Unit::Month, 1}, {Unit::Month, 2}, {Unit::Month, 3},
                                     {Unit::Month, 6}, {Unit::Month, 12}};
    Step chosen = steps[std::size(steps) - 1];
    for (const Step step : steps) {
        if (boundaries(first, last, step).size() <= maxLabels) {
            chosen = step;
            break;
        }
    }
    QList<QDate> dates = boundaries(first, last, chosen);
    for (int years = 2; dates.size() > maxLabels; ++years) // decades of data
        dates = boundaries(first, last, {Unit::Month, 12 * years});
    QList<Tick> result;
    for (qsizetype i = 0; i < dates.size(); ++i) {
        const QDate d = dates[i];
        QString format;
        if (chosen.unit != Unit::Month)
            format = i == 0 || d.year() != dates[i - 1].year() ? u"d MMM yyyy"_s : u"d MMM"_s;
        else if (chosen.count >= 12)
            format = u"yyyy"_s;
        else
            format = i == 0 || d.month() == 1 ? u"MMM yyyy"_s : u"MMM"_s;
        result.append({d, locale.toString(d, format)});
    }
    return result;
}

QCategoryAxis *create(QDate first, QDate last, int width)
{
    const bool lone = first >= last;
    const QDate from = lone ? first.addDays(-kLoneDayPaddingDays) : first;
    const QDate to = lone ? first.addDays(kLoneDayPaddingDays) : last;
    auto *axis = new QCategoryAxis;
    axis->setRange(ChartStyle::dateX(from), ChartStyle::dateX(to));
    axis->setStartValue(ChartStyle::dateX(from));
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // QCategoryAxis refuses a label it already has: a repeat ("Jan" in two years never is,
    // but a locale might make one) gets the year.
    QSet<QString> used;
    for (const Tick &tick : ticks(first, last, width)) {
        QString label = tick.label;
        if (used.contains(label))
            label += u' ' + QString::number(tick.date.year());
        used.insert(label);
        axis->append(label, ChartStyle::dateX(tick.date));
    }
    return axis;
}

} // namespace isobar::DateAxis
