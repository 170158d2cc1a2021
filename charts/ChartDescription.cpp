#include "ChartDescription.h"

#include "RecentChange.h"

#include <QLocale>

namespace isobar {

namespace {

QString typeDescription(ChartType type)
{
    switch (type) {
    case ChartType::SimpleLine:
        return QStringLiteral("A simple line chart");
    case ChartType::LineWithShadedSection:
        return QStringLiteral("A line chart, its most recent week shaded by the change,");
    case ChartType::LineMultiColoured:
        return QStringLiteral("A line chart");
    case ChartType::LineSingleSimplified:
        return QStringLiteral("A simplified line chart");
    case ChartType::Bar:
        return QStringLiteral("A bar chart");
    case ChartType::StackedBar:
        return QStringLiteral("A stacked bar chart");
    case ChartType::Waffle:
        return QStringLiteral("A waffle chart of percentages");
    case ChartType::Heatmap:
        return QStringLiteral("A heatmap");
    }
    return QStringLiteral("A chart");
}

QString day(QDate date)
{
    return date.toString(QStringLiteral("d MMMM yyyy"));
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
    QString text = typeDescription(request.type()) + QStringLiteral(" of ") + metrics.join(u", ");

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
        text += QStringLiteral(" for ") + geography;
    if (!points) {
        text += QStringLiteral(" from %1 to %2. There is no data for this period.")
                    .arg(day(*first.selection.from), day(*first.selection.to));
        return text;
    }
    text += QStringLiteral(" from %1 to %2.")
                .arg(day(points->constFirst().date), day(points->constLast().date));

    const ChartPoint &latest = points->constLast();
    text +=
        QStringLiteral(" The latest value is %1 on %2").arg(number(latest.value), day(latest.date));
    const RecentChange change = recentChange(*points);
    if (change.known && change.window > 1) {
        text += QStringLiteral("; the last %1 points sum to %2 %3 than the %1 before")
                    .arg(change.window)
                    .arg(number(std::abs(change.change)),
                         change.change >= 0 ? QStringLiteral("more") : QStringLiteral("less"));
    } else if (points->size() >= 2) {
        const double previous = (*points)[points->size() - 2].value;
        const double delta = latest.value - previous;
        text += delta == 0 ? QStringLiteral(", unchanged from the point before")
                           : QStringLiteral(", %1 %2 from the point before")
                                 .arg(delta > 0 ? QStringLiteral("up") : QStringLiteral("down"),
                                      number(std::abs(delta)));
        if (delta != 0 && previous != 0)
            text += QStringLiteral(" (%1%)").arg(
                locale.toString(std::abs(delta / previous * 100), 'f', 1));
    }
    if (change.known && change.verdict() != u"neutral")
        text += change.verdict() == u"green" ? QStringLiteral(", a change for the better")
                                             : QStringLiteral(", a change for the worse");
    text += u'.';
    if (data.plots.size() > 1)
        text += QStringLiteral(" %1 series are shown.").arg(data.plots.size());
    return text;
}

} // namespace isobar
