#include "OperationsChart.h"

#include "Durations.h"
#include "Thresholds.h"

#include <QCategoryAxis>
#include <QDateTime>
#include <QEvent>
#include <QMouseEvent>
#include <QRubberBand>
#include <QXYSeries>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace isobar {

OperationsChart::OperationsChart(const QString &title, QWidget *parent)
    : QChartView(parent)
    , m_title(title)
{
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(title);
    setFocusPolicy(Qt::TabFocus);
    // Small enough that the page fits a 1024x640 window with its tiles and map.
    setMinimumSize(260, 170);
}

void OperationsChart::rebuild()
{
    m_failure.clear();
    redraw();
}

void OperationsChart::showFailure(const QString &why)
{
    m_failure = why;
    redraw();
}

void OperationsChart::redraw()
{
    m_emptyText = m_failure.isEmpty() ? tr("No requests in this range") : m_failure;
    auto *chart = new QChart;
    chart->setTheme(Thresholds::isDark(palette()) ? QChart::ChartThemeDark
                                                  : QChart::ChartThemeLight);
    // The page's background shows through, so the chart sits in the window like a panel.
    chart->setBackgroundBrush(palette().brush(QPalette::Base));
    chart->setTitle(m_title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_hasTimeAxis = false; // build() says whether this chart has one
    m_empty = !build(chart);
    QChart *previous = this->chart();
    setChart(chart);
    delete previous; // setChart() releases ownership of the chart it replaces
    setAccessibleDescription(m_empty ? m_emptyText : QString());
}

namespace {

// Tick steps a time axis may use, the smallest giving at most kMaxTimeTicks ticks.
constexpr qint64 kTickSteps[] = {kMinuteMs,      2 * kMinuteMs,  5 * kMinuteMs, 10 * kMinuteMs,
                                 15 * kMinuteMs, 30 * kMinuteMs, kHourMs,       2 * kHourMs,
                                 3 * kHourMs,    6 * kHourMs,    12 * kHourMs,  kDayMs,
                                 2 * kDayMs,     7 * kDayMs,     14 * kDayMs,   28 * kDayMs};
constexpr int kMaxTimeTicks = 6;
constexpr int kMinimumDragPixels = 8;

} // namespace

QAbstractAxis *OperationsChart::timeAxis(QChart *chart, const Timeline &timeline)
{
    // The range the buckets cover, up to now at most (a bucket still under way is drawn as far
    // as it has gone, an empty range ends now), and never one instant.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    qint64 endMs = timeline.toMs > timeline.fromMs ? std::min(timeline.toMs, nowMs) : nowMs;
    qint64 startMs = timeline.toMs > timeline.fromMs ? timeline.fromMs : endMs - kHourMs;
    if (endMs - startMs < kMinuteMs)
        endMs = startMs + kMinuteMs;
    const qint64 spanMs = endMs - startMs;
    const auto step = std::find_if(std::begin(kTickSteps), std::end(kTickSteps),
                                   [spanMs](qint64 s) { return spanMs / s <= kMaxTimeTicks; });
    const qint64 stepMs = step == std::end(kTickSteps) ? spanMs : *step;
    // Ticks on the local clock's round times: 14:05, not 14:03 (five minutes after 13:58).
    const qint64 offsetMs =
        qint64(QDateTime::fromMSecsSinceEpoch(startMs).offsetFromUtc()) * kSecondMs;
    const qint64 firstTick = (startMs + offsetMs + stepMs - 1) / stepMs * stepMs - offsetMs;
    const QString format = stepMs >= kDayMs  ? u"dd MMM"_s
                           : spanMs > kDayMs ? u"dd MMM HH:mm"_s
                                             : u"HH:mm"_s;
    auto *axis = new QCategoryAxis(chart);
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setRange(double(startMs), double(endMs));
    axis->setStartValue(double(startMs));
    for (qint64 tick = firstTick; tick <= endMs; tick += stepMs)
        axis->append(QDateTime::fromMSecsSinceEpoch(tick).toString(format), double(tick));
    m_hasTimeAxis = true;
    m_timeAxisRange = {startMs, endMs};
    return axis;
}

QStringList OperationsChart::timeLabels() const
{
    for (QAbstractAxis *axis : chart() ? chart()->axes(Qt::Horizontal) : QList<QAbstractAxis *>()) {
        if (auto *categories = qobject_cast<QCategoryAxis *>(axis))
            return categories->categoriesLabels();
    }
    return {};
}

QColor OperationsChart::objectiveColour()
{
    return QColor(0xdc, 0x26, 0x26); // the red of "critical", visible on both themes
}

void OperationsChart::appendBucket(QXYSeries *series, const Timeline &timeline,
                                   const TimelineBucket &bucket, double value)
{
    const double from = double(bucket.startMs);
    series->append(from, value);
    series->append(from + double(timeline.bucketMs), value);
}

void OperationsChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && chart())
        redraw(); // light <-> dark: QtCharts themes are chosen when a chart is built
    QChartView::changeEvent(event);
}

void OperationsChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (!m_empty || !chart())
        return;
    painter->save();
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(chart()->plotArea(), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    painter->restore();
}

// Dragging across a chart over time picks a range, as in Grafana: the page then shows it.
void OperationsChart::mousePressEvent(QMouseEvent *event)
{
    if (m_hasTimeAxis && event->button() == Qt::LeftButton && chart()
        && chart()->plotArea().contains(event->position())) {
        m_dragStart = event->position();
        if (!m_dragBand)
            m_dragBand = new QRubberBand(QRubberBand::Rectangle, this);
        m_dragBand->setGeometry(dragRect(event->position()));
        m_dragBand->show();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void OperationsChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragStart) {
        m_dragBand->setGeometry(dragRect(event->position()));
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void OperationsChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragStart || event->button() != Qt::LeftButton) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    const QRect span = dragRect(event->position());
    m_dragStart.reset();
    m_dragBand->hide();
    event->accept();
    if (span.width() < kMinimumDragPixels)
        return; // a click, not a drag
    const QRectF plot = chart()->plotArea();
    auto timeAt = [&](int x) {
        const double share = std::clamp((x - plot.left()) / plot.width(), 0.0, 1.0);
        return m_timeAxisRange.first
               + qint64(share * double(m_timeAxisRange.second - m_timeAxisRange.first));
    };
    Q_EMIT timeRangeSelected(timeAt(span.left()), timeAt(span.right()));
}

QRect OperationsChart::dragRect(QPointF to) const
{
    const QRectF plot = chart()->plotArea();
    const double left = std::clamp(std::min(m_dragStart->x(), to.x()), plot.left(), plot.right());
    const double right = std::clamp(std::max(m_dragStart->x(), to.x()), plot.left(), plot.right());
    return QRectF(QPointF(left, plot.top()), QPointF(right, plot.bottom())).toRect();
}

} // namespace isobar
