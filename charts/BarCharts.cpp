#include "BarCharts.h"

#include "CategoryOrder.h"
#include "ChartPalette.h"
#include "ChartStyle.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDateTimeAxis>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QHash>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSplineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar::BarCharts {

namespace {

QString dateLabel(QDate date)
{
    return date.toString(u"d MMM yyyy"_s);
}

// QtCharts elides a category label wider than its bar's slot ("0…" for "00-04"). Labels that
// do not fit across are turned to read upwards, where a slot needs only a line's height; when
// not even that fits, none is drawn rather than a row of ellipses.
void fitCategoryLabels(QBarCategoryAxis &axis, const QStringList &categories, int chartWidth)
{
    const QFontMetricsF metrics(axis.labelsFont());
    qreal widest = 0;
    for (const QString &category : categories)
        widest = std::max(widest, metrics.horizontalAdvance(category));
    // The plot is the chart less the value axis and margins: about 60 px at these sizes.
    const qreal slot = (chartWidth - 60) / qreal(std::max<qsizetype>(1, categories.size()));
    const qreal padding = 6;
    if (widest + padding <= slot)
        return;
    if (metrics.height() + padding / 2 <= slot)
        axis.setLabelsAngle(-90);
    else
        axis.setLabelsVisible(false);
}

// A line plot among bars (UKHSA's bar and line_multi_coloured together): through the middle
// of its categories, x being the category's index on the bar axis.
QLineSeries *lineOverBars(const ChartPlot &plot, const QList<std::optional<double>> &values,
                          int index)
{
    QLineSeries *line = plot.smooth ? new QSplineSeries : new QLineSeries;
    for (qsizetype c = 0; c < values.size(); ++c) {
        if (values[c])
            line->append(qreal(c), *values[c]);
    }
    line->setPen(QPen(plot.colour.value_or(ChartPalette::seriesColour(index)), 2,
                      plot.dashed ? Qt::DashLine : Qt::SolidLine));
    line->setPointsVisible(plot.markers);
    line->setName(plot.label);
    return line;
}

// A subplot chart's target, as UKHSA draws it: a light blue band from the threshold to the
// top, a dashed line at the threshold and its label at the right.
void addTarget(QChart &chart, QBarCategoryAxis &x, QValueAxis &y, const ChartRequest &request,
               qsizetype categories)
{
    const double threshold = *request.targetThreshold;
    const qreal left = -0.5;
    const qreal right = qreal(categories) - 0.5;
    auto *band = new QAreaSeries;
    auto *top = new QLineSeries(band);
    auto *bottom = new QLineSeries(band);
    top->append({QPointF(left, y.max()), QPointF(right, y.max())});
    bottom->append({QPointF(left, threshold), QPointF(right, threshold)});
    band->setUpperSeries(top);
    band->setLowerSeries(bottom);
    band->setBrush(QColor(135, 206, 235, 77)); // rgba(135, 206, 235, 0.3)
    band->setPen(Qt::NoPen);
    auto *line = new QLineSeries;
    line->append({QPointF(left, threshold), QPointF(right, threshold)});
    line->setPen(QPen(QColor(0, 0, 255), 2, Qt::DashLine));
    for (QAbstractSeries *series :
         {static_cast<QAbstractSeries *>(band), static_cast<QAbstractSeries *>(line)}) {
        chart.addSeries(series);
        series->attachAxis(&x);
        series->attachAxis(&y);
        chart.legend()->markers(series).constFirst()->setVisible(false);
    }
    if (request.targetThresholdLabel.isEmpty())
        return;
    chart.layout()->activate();
    auto *label = new QGraphicsSimpleTextItem(request.targetThresholdLabel, &chart);
    label->setFont(ChartStyle::font(10));
    const QPointF at = chart.mapToPosition(QPointF(right, threshold), line);
    label->setPos(at.x() - label->boundingRect().width(), at.y() - label->boundingRect().height());
}

void draw(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data,
          QAbstractBarSeries *series)
{
    QChart *chart = ChartStyle::addChart(scene, request.size);
    const BarTable table = barTable(request, data);
    double low = 0, high = 0;
    QList<double> stackHigh(table.categories.size(), 0.0), stackLow(table.categories.size(), 0.0);
    bool labelled = false;
    QList<QLineSeries *> lines; // line plots drawn over the bars, one point per category
    for (int plot = 0; plot < table.values.size(); ++plot) {
        if (request.plots[plot].type == ChartType::LineMultiColoured) {
            lines << lineOverBars(request.plots[plot], table.values[plot], plot);
            for (const std::optional<double> &value : std::as_const(table.values[plot])) {
                high = std::max(high, value.value_or(high));
                low = std::min(low, value.value_or(low));
            }
            labelled = labelled || !request.plots[plot].label.isEmpty();
            continue;
        }
        auto *set = new QBarSet(request.plots[plot].label);
        set->setColor(request.plots[plot].colour.value_or(ChartPalette::seriesColour(plot)));
        set->setBorderColor(Qt::transparent);
        for (int c = 0; c < table.categories.size(); ++c) {
            const double value = table.values[plot][c].value_or(0);
            *set << value;
            (value >= 0 ? stackHigh : stackLow)[c] += value;
            high = std::max(high, value);
            low = std::min(low, value);
        }
        series->append(set);
        labelled = labelled || !request.plots[plot].label.isEmpty();
    }
    if (qobject_cast<QStackedBarSeries *>(series)) {
        high = *std::max_element(stackHigh.begin(), stackHigh.end());
        low = *std::min_element(stackLow.begin(), stackLow.end());
    }
    series->setBarWidth(0.8);
    chart->addSeries(series);

    auto *x = new QBarCategoryAxis;
    x->append(table.categories);
    // One label per bar fits only up to one per 40 px; beyond, dates are labelled by a date
    // axis aligned with the bar centres, and the category axis only places the bars.
    QDateTimeAxis *dates = nullptr;
    if (request.xAxis == ChartAxis::Date && table.categories.size() * 40 > request.size.width()) {
        const QDate first = table.dates.constFirst();
        const QDate last = table.dates.constLast();
        const qint64 halfStep =
            first.daysTo(last) * 86400000LL / (2 * std::max<qsizetype>(1, table.dates.size() - 1));
        dates = new QDateTimeAxis;
        dates->setRange(QDateTime(first, QTime(0, 0), Qt::UTC).addMSecs(-halfStep),
                        QDateTime(last, QTime(0, 0), Qt::UTC).addMSecs(halfStep));
        dates->setFormat(first.daysTo(last) > 120 ? u"MMM yyyy"_s : u"d MMM"_s);
        dates->setTickCount(std::clamp(request.size.width() / 110, 2, 8));
        dates->setGridLineVisible(false);
        dates->setLabelsFont(ChartStyle::font(11));
        dates->setTitleFont(ChartStyle::font(12));
        x->setVisible(false);
    }
    if (request.targetThreshold)
        high = std::max(high, *request.targetThreshold);
    auto *y = new QValueAxis;
    ChartStyle::fitValueAxis(*y, low, high, request);
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(x), static_cast<QAbstractAxis *>(y)}) {
        axis->setLabelsFont(ChartStyle::font(11));
        axis->setTitleFont(ChartStyle::font(12));
        axis->setGridLineColor(QColor(230, 230, 230));
    }
    x->setGridLineVisible(false);
    fitCategoryLabels(*x, table.categories, request.size.width());
    if (!request.xAxisTitle.isEmpty())
        (dates ? static_cast<QAbstractAxis *>(dates) : x)->setTitleText(request.xAxisTitle);
    if (!request.yAxisTitle.isEmpty())
        y->setTitleText(request.yAxisTitle);
    chart->addAxis(x, Qt::AlignBottom);
    if (dates)
        chart->addAxis(dates, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    if (request.targetThreshold)
        addTarget(*chart, *x, *y, request, table.categories.size());
    for (QLineSeries *line : std::as_const(lines)) {
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        if (line->name().isEmpty())
            chart->legend()->markers(line).constFirst()->setVisible(false);
    }
    if (labelled) {
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->legend()->show();
    }
}

} // namespace

BarTable barTable(const ChartRequest &request, const ChartDataset &data)
{
    BarTable table;
    QList<QHash<QString, ChartPoint>> byCategory(data.plots.size());
    QStringList categories;
    QList<QDate> dates;
    for (int plot = 0; plot < data.plots.size(); ++plot) {
        for (const ChartPoint &p : data.plots[plot]) {
            QString key;
            if (request.xAxis == ChartAxis::Date) {
                key = dateLabel(p.date);
                if (!byCategory[plot].contains(key) && !dates.contains(p.date))
                    dates << p.date;
            } else if (request.xAxis == ChartAxis::Subplot) {
                key = p.category;
            } else {
                key = p.series ? categoryOf(*p.series, request.xAxis) : QString();
                categories << key;
            }
            // By category the newest point of each group stands for it; by date the first
            // series of the plot does (a plot normally names one series).
            auto found = byCategory[plot].find(key);
            if (found == byCategory[plot].end())
                byCategory[plot].insert(key, p);
            else if (request.xAxis != ChartAxis::Date && p.date >= found->date)
                *found = p;
        }
    }
    if (request.xAxis == ChartAxis::Date) {
        std::sort(dates.begin(), dates.end());
        for (const QDate d : dates)
            table.categories << dateLabel(d);
        table.dates = dates;
    } else if (request.xAxis == ChartAxis::Subplot) {
        table.categories = request.subplotTitles;
    } else {
        table.categories = sortedCategories(categories, request.xAxis);
    }
    for (int plot = 0; plot < data.plots.size(); ++plot) {
        QList<std::optional<double>> row;
        for (const QString &category : std::as_const(table.categories)) {
            const auto found = byCategory[plot].constFind(category);
            row << (found == byCategory[plot].cend() ? std::nullopt
                                                     : std::optional<double>(found->value));
        }
        table.values << row;
    }
    return table;
}

void bar(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    draw(scene, request, data, new QBarSeries);
}

void stackedBar(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    draw(scene, request, data, new QStackedBarSeries);
}

} // namespace isobar::BarCharts
