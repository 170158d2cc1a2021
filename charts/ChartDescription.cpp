#include "ChartDescription.h"

#include "RecentChange.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString typeDescription(ChartType type)
{
    switch (type) {
    case ChartType::SimpleLine:
        return u"A simple line chart"_s;
    case ChartType::LineWithShadedSection:
        return u"A line chart, its most recent week shaded by the change,"_s;
    case ChartType::LineMultiColoured:
        return u"A line chart"_s;
    case ChartType::LineSingleSimplified:
        return u"A simplified line chart"_s;
    case ChartType::Bar:
        return u"A bar chart"_s;
    case ChartType::StackedBar:
        return u"A stacked bar chart"_s;
    case ChartType::Waffle:
        return u"A waffle chart of percentages"_s;
    case ChartType::Heatmap:
        return u"A heatmap"_s;
    }
    return u"A chart"_s;
}

QString day(QDate date)
{
    return date.toString(u"d MMMM yyyy"_s);
}

} // namespace

QString ChartDescription::describe(const ChartRequest &request, const ChartDataset &data)
{
    const QLocale locale(QLocale::English, QLocale::UnitedKingdom);
    auto number = [&](double value) {
        return locale.toString(value, 'f', value == qRound64(value) ? 0 : 2);
    };

    QStringList metrics;
    for (const ChartPlot &plot : request.plots) {
        const QString name = plot.selection.topic + u' ' + plot.selection.metric;
        if (!metrics.contains(name))
            metrics << name;
    }
    QString text = typeDescription(request.type()) + u" of "_s + metrics.join(u", ");

    const ChartPlot &first = request.plots.constFirst();
    const QList<ChartPoint> *points = nullptr;
    for (const auto &plot : data.plots) {
        if (!plot.isEmpty()) {
            points = &plot;
            break;
        }
    }
    QString geography = first.selection.geography;
    if (geography.isEmpty() && points && points->constFirst().series)
        geography = points->constFirst().series->geography;
    if (!geography.isEmpty())
        text += u" for "_s + geography;
    if (!points) {
        text += u" from %1 to %2. There is no data for this period."_s.arg(
            day(*first.selection.from), day(*first.selection.to));
        return text;
    }
    text += u" from %1 to %2."_s.arg(day(points->constFirst().date), day(points->constLast().date));

    const ChartPoint &latest = points->constLast();
    text += u" The latest value is %1 on %2"_s.arg(number(latest.value), day(latest.date));
    const RecentChange change = recentChange(*points);
    if (change.known && change.window > 1) {
        text +=
            u"; the last %1 points sum to %2 %3 than the %1 before"_s.arg(change.window)
                .arg(number(std::abs(change.change)), change.change >= 0 ? u"more"_s : u"less"_s);
    } else if (points->size() >= 2) {
        const double previous = (*points)[points->size() - 2].value;
        const double delta = latest.value - previous;
        text += delta == 0 ? u", unchanged from the point before"_s
                           : u", %1 %2 from the point before"_s.arg(delta > 0 ? u"up"_s : u"down"_s,
                                                                    number(std::abs(delta)));
        if (delta != 0 && previous != 0)
            text += u" (%1%)"_s.arg(locale.toString(std::abs(delta / previous * 100), 'f', 1));
    }
    if (change.known && change.verdict() != u"neutral")
        text += change.verdict() == u"green" ? u", a change for the better"_s
                                             : u", a change for the worse"_s;
    text += u'.';
    if (data.plots.size() > 1)
        text += u" %1 series are shown."_s.arg(data.plots.size());
    return text;
}

} // namespace isobar
