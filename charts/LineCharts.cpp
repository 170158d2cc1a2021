#include "LineCharts.h"

#include "ChartPalette.h"
#include "ChartStyle.h"
#include "DateAxis.h"
#include "RecentChange.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QSplineSeries>
#include <QValueAxis>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar::LineCharts {

namespace {

struct Axes {
    QCategoryAxis *x = nullptr;
    QValueAxis *y = nullptr;
};

// Date axis over the plotted dates (DateAxis: ticks on calendar boundaries) and value axis
// from zero (or the data's minimum, if negative) to the maximum, unless the request fixes
// either end.
Axes addAxes(QChart &chart, const ChartRequest &request, const ChartDataset &data)
{
    QDate first, last;
    double low = 0, high = 0;
    for (const auto &plot : data.plots) {
        for (const ChartPoint &p : plot) {
            if (!first.isValid() || p.date < first)
                first = p.date;
            if (!last.isValid() || p.date > last)
                last = p.date;
            low = std::min({low, p.value, p.lower.value_or(p.value)});
            high = std::max({high, p.value, p.upper.value_or(p.value)});
        }
    }
    Axes axes;
    axes.x = DateAxis::create(first, last, request.size.width());
    axes.y = new QValueAxis;
    ChartStyle::fitValueAxis(*axes.y, low, high, request);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(axes.x), static_cast<QAbstractAxis *>(axes.y)}) {
        axis->setLabelsFont(ChartStyle::font(11));
        axis->setTitleFont(ChartStyle::font(12));
        axis->setGridLineColor(QColor(230, 230, 230));
        axis->setLinePenColor(QColor(107, 114, 118));
    }
    if (!request.xAxisTitle.isEmpty())
        axes.x->setTitleText(request.xAxisTitle);
    if (!request.yAxisTitle.isEmpty())
        axes.y->setTitleText(request.yAxisTitle);
    chart.addAxis(axes.x, Qt::AlignBottom);
    chart.addAxis(axes.y, Qt::AlignLeft);
    return axes;
}

void attach(QChart &chart, QAbstractSeries *series, const Axes &axes)
{
    chart.addSeries(series);
    series->attachAxis(axes.x);
    series->attachAxis(axes.y);
}

// A series of one point draws no line or area: a marker shows it instead.
void markLonePoint(QChart &chart, const Axes &axes, const QList<ChartPoint> &points,
                   const QColor &colour)
{
    if (points.size() != 1)
        return;
    auto *marker = new QScatterSeries;
    marker->append(ChartStyle::dateX(points.constFirst().date), points.constFirst().value);
    marker->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    marker->setMarkerSize(10);
    marker->setColor(colour);
    marker->setBorderColor(colour);
    attach(chart, marker, axes);
    if (!chart.legend()->markers(marker).isEmpty())
        chart.legend()->markers(marker).constFirst()->setVisible(false);
}

QLineSeries *lineOf(const QList<ChartPoint> &points, qsizetype from, qsizetype to, bool smooth,
                    QObject *parent = nullptr)
{
    QLineSeries *line = smooth ? new QSplineSeries(parent) : new QLineSeries(parent);
    for (qsizetype i = from; i < to; ++i)
        line->append(ChartStyle::dateX(points[i].date), points[i].value);
    return line;
}

// Points [from, to) as an area filled down to `floor` and outlined (top, sides and floor) with
// an `edgeWidth` pen. Two costs of Qt's raster engine shape how: an antialiased fill slows down
// sharply with the number of edges in one polygon (a year of daily points: 40 ms at 1200x600,
// against 7 ms in pieces of 10), so the fill is made of pieces that overlap by a segment (it is
// opaque: an overlap looks like one fill, and no seam shows where pieces meet); and a 2 px
// pen stroking a long path is 100x slower than the same segments drawn one by one, which is
// how QtCharts draws a line series, so the outline is one. SVG has neither cost, but writes
// an element per series and per segment of a line series, so there the area is one outlined
// polygon: one <path>.
void addFilledArea(QChart &chart, const ChartRequest &request, const Axes &axes,
                   const QList<ChartPoint> &points, qsizetype from, qsizetype to, double floor,
                   const QColor &fill, const QColor &edge, qreal edgeWidth)
{
    const bool svg = request.format == ChartFormat::Svg;
    // Pieces about 40 px wide (12 daily points of a year at 1200 px, 28 at 515): narrower ones
    // cost more as QtCharts series than they save in filling.
    const qreal pixelsPerPoint =
        qreal(request.size.width()) / qreal(std::max<qsizetype>(1, points.size()));
    const qsizetype piece =
        svg ? to - from : std::clamp<qsizetype>(qRound(40 / pixelsPerPoint), 8, 64);
    for (qsizetype start = from; start < to - 1 || start == from; start += piece) {
        // One segment past the next piece's start: the two overlap over a whole segment.
        const qsizetype end = std::min(to, start + piece + 2);
        auto *area = new QAreaSeries;
        auto *upper = new QLineSeries(area);
        auto *lower = new QLineSeries(area);
        for (qsizetype i = start; i < end; ++i) {
            upper->append(ChartStyle::dateX(points[i].date), points[i].value);
            lower->append(ChartStyle::dateX(points[i].date), floor);
        }
        area->setUpperSeries(upper);
        area->setLowerSeries(lower);
        area->setBrush(fill);
        area->setPen(svg && edgeWidth > 0 ? QPen(edge, edgeWidth) : QPen(Qt::NoPen));
        attach(chart, area, axes);
    }
    if (svg || edgeWidth <= 0)
        return;
    auto *outline = new QLineSeries;
    const qreal left = ChartStyle::dateX(points[from].date);
    outline->append(left, floor);
    for (qsizetype i = from; i < to; ++i)
        outline->append(ChartStyle::dateX(points[i].date), points[i].value);
    outline->append(ChartStyle::dateX(points[to - 1].date), floor);
    outline->append(left, floor);
    outline->setPen(QPen(edge, edgeWidth));
    attach(chart, outline, axes);
}

// The reporting-delay period as a full-height band behind the data.
void addReportingDelay(QChart &chart, const QList<ChartPoint> &points, const Axes &axes)
{
    qsizetype first = -1;
    for (qsizetype i = 0; i < points.size() && first < 0; ++i) {
        if (points[i].inReportingDelay)
            first = i;
    }
    if (first < 0)
        return;
    auto *band = new QAreaSeries;
    auto *upper = new QLineSeries(band);
    auto *lower = new QLineSeries(band);
    // Start half-way from the last complete point so a one-point period is still visible.
    const QDate start =
        first > 0
            ? points[first - 1].date.addDays(points[first - 1].date.daysTo(points[first].date) / 2)
            : points[first].date;
    for (const QDate d : {start, points.constLast().date}) {
        upper->append(ChartStyle::dateX(d), axes.y->max());
        lower->append(ChartStyle::dateX(d), axes.y->min());
    }
    band->setUpperSeries(upper);
    band->setLowerSeries(lower);
    QColor shade = ChartPalette::reportingDelayShade();
    shade.setAlpha(110);
    band->setBrush(shade);
    band->setPen(Qt::NoPen);
    band->setName(u"Reporting delay"_s);
    attach(chart, band, axes);
}

QColor plotColour(const ChartRequest &request, int index)
{
    return request.plots[index].colour.value_or(ChartPalette::seriesColour(index));
}

const QList<ChartPoint> &firstNonEmpty(const ChartDataset &data)
{
    for (const auto &plot : data.plots) {
        if (!plot.isEmpty())
            return plot;
    }
    return data.plots.constFirst();
}

} // namespace

void simpleLine(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    QChart *chart = ChartStyle::addChart(scene, request.size);
    chart->setMargins(QMargins(0, 0, 0, 0));
    chart->setBackgroundBrush(ChartPalette::lineBackground());
    const QList<ChartPoint> &points = firstNonEmpty(data);
    const Axes axes = addAxes(*chart, request, data);
    axes.x->hide();
    axes.y->hide();
    addFilledArea(*chart, request, axes, points, 0, points.size(), axes.y->min(),
                  ChartPalette::lineFill(), QColor(Qt::black), 2);
    markLonePoint(*chart, axes, points, QColor(Qt::black));
    chart->setPlotArea(QRectF(QPointF(0, 0), QSizeF(request.size)));
}

void lineWithShadedSection(QGraphicsScene &scene, const ChartRequest &request,
                           const ChartDataset &data)
{
    QChart *chart = ChartStyle::addChart(scene, request.size);
    const QList<ChartPoint> &points = firstNonEmpty(data);
    const Axes axes = addAxes(*chart, request, data);
    addReportingDelay(*chart, points, axes);

    const RecentChange change = recentChange(points);
    const QString verdict = change.verdict();
    const QColor shade = verdict == u"green" ? ChartPalette::goodShade()
                         : verdict == u"red" ? ChartPalette::badShade()
                                             : ChartPalette::neutralShade();
    const QColor line = verdict == u"green" ? ChartPalette::trendPositive()
                        : verdict == u"red" ? ChartPalette::trendNegative()
                                            : ChartPalette::trendNeutral();
    // The section spans the last N points and the step into them, so it meets the rest.
    const qsizetype split = std::max<qsizetype>(0, points.size() - change.window - 1);
    if (split > 0)
        addFilledArea(*chart, request, axes, points, 0, split + 1, axes.y->min(),
                      ChartPalette::neutralShade(), ChartPalette::trendNeutral(), 2);
    addFilledArea(*chart, request, axes, points, split, points.size(), axes.y->min(), shade, line,
                  2);
    markLonePoint(*chart, axes, points, line);
}

void lineMultiColoured(QGraphicsScene &scene, const ChartRequest &request, const ChartDataset &data)
{
    QChart *chart = ChartStyle::addChart(scene, request.size);
    const Axes axes = addAxes(*chart, request, data);
    bool labelled = false;
    for (int i = 0; i < data.plots.size(); ++i) {
        const QList<ChartPoint> &points = data.plots[i];
        const ChartPlot &plot = request.plots[i];
        if (points.isEmpty())
            continue;
        const QColor colour = plotColour(request, i);
        const bool hasBounds = std::all_of(points.begin(), points.end(),
                                           [](const ChartPoint &p) { return p.upper && p.lower; });
        if (request.confidenceIntervals && hasBounds) {
            auto *band = new QAreaSeries;
            auto *upper = new QLineSeries(band);
            auto *lower = new QLineSeries(band);
            for (const ChartPoint &p : points) {
                upper->append(ChartStyle::dateX(p.date), *p.upper);
                lower->append(ChartStyle::dateX(p.date), *p.lower);
            }
            band->setUpperSeries(upper);
            band->setLowerSeries(lower);
            QColor fill = colour;
            fill.setAlpha(60);
            band->setBrush(fill);
            band->setPen(Qt::NoPen);
            attach(*chart, band, axes);
            chart->legend()->markers(band).constFirst()->setVisible(false);
        }
        QLineSeries *line = lineOf(points, 0, points.size(), plot.smooth);
        line->setPen(QPen(colour, 2, plot.dashed ? Qt::DashLine : Qt::SolidLine));
        line->setPointsVisible(plot.markers);
        line->setName(plot.label);
        attach(*chart, line, axes);
        markLonePoint(*chart, axes, points, colour);
        if (plot.label.isEmpty())
            chart->legend()->markers(line).constFirst()->setVisible(false);
        labelled = labelled || !plot.label.isEmpty();
    }
    if (labelled) {
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->legend()->show();
    }
}

void lineSingleSimplified(QGraphicsScene &scene, const ChartRequest &request,
                          const ChartDataset &data)
{
    QChart *chart = ChartStyle::addChart(scene, request.size);
    const QList<ChartPoint> &points = firstNonEmpty(data);
    const Axes axes = addAxes(*chart, request, data);
    // Simplified: no value axis at all (the two labelled ends carry the values).
    axes.y->setVisible(false);
    axes.x->setGridLineVisible(false);
    const QString verdict = recentChange(points).verdict();
    const QColor colour = verdict == u"green" ? ChartPalette::trendPositive()
                          : verdict == u"red" ? ChartPalette::trendNegative()
                                              : ChartPalette::trendNeutral();
    QLineSeries *line = lineOf(points, 0, points.size(), request.plots[0].smooth);
    line->setPen(QPen(colour, 2));
    attach(*chart, line, axes);

    // Labels need the laid-out plot area to find where the first and last points landed.
    chart->layout()->activate();
    const QLocale locale(QLocale::English, QLocale::UnitedKingdom);
    const QList<ChartPoint> ends = {points.constFirst(), points.constLast()};
    for (qsizetype i = 0; i < ends.size(); ++i) {
        const QPointF at =
            chart->mapToPosition(QPointF(ChartStyle::dateX(ends[i].date), ends[i].value), line);
        auto *label = new QGraphicsSimpleTextItem(locale.toString(ends[i].value, 'g', 6), chart);
        label->setFont(ChartStyle::font(11, true));
        label->setBrush(colour);
        const QRectF box = label->boundingRect();
        const qreal x = i == 0 ? at.x() + 4 : at.x() - box.width() - 4;
        const qreal y = at.y() - box.height() - 4 < chart->plotArea().top()
                            ? at.y() + 4
                            : at.y() - box.height() - 4;
        label->setPos(x, y);
    }
}

} // namespace isobar::LineCharts
