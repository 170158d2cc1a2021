#include "OperationsChart.h"

#include "Durations.h"
#include "Thresholds.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QXYSeries>

using namespace Qt::StringLiterals;

namespace isobar {

OperationsChart::OperationsChart(const QString &title, QWidget *parent)
    : QChartView(parent)
    , m_title(title)
    , m_emptyText(tr("No requests in this range"))
{
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(title);
    setFocusPolicy(Qt::TabFocus);
    // Small enough that the page fits a 1024x640 window with its tiles and map.
    setMinimumSize(260, 170);
}

void OperationsChart::rebuild()
{
    auto *chart = new QChart;
    chart->setTheme(Thresholds::isDark(palette()) ? QChart::ChartThemeDark
                                                  : QChart::ChartThemeLight);
    // The page's background shows through, so the chart sits in the window like a panel.
    chart->setBackgroundBrush(palette().brush(QPalette::Base));
    chart->setTitle(m_title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_empty = !build(chart);
    QChart *previous = this->chart();
    setChart(chart);
    delete previous; // setChart() releases ownership of the chart it replaces
    setAccessibleDescription(m_empty ? m_emptyText : QString());
}

QAbstractAxis *OperationsChart::timeAxis(QChart *chart, const QList<TimelineBucket> &buckets)
{
    auto startOf = [](const TimelineBucket &bucket) {
        return QDateTime::fromMSecsSinceEpoch(bucket.startMs, Qt::UTC);
    };
    const QDateTime first = buckets.isEmpty() ? QDateTime() : startOf(buckets.constFirst());
    const QDateTime last = buckets.isEmpty() ? QDateTime() : startOf(buckets.constLast());
    auto *axis = new QDateTimeAxis(chart);
    // Buckets are hours: the axis covers the last one too, up to now at most (an hour still
    // under way is drawn as far as it has gone, an empty range ends now), and never
    // collapses to one instant.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime end =
        last.isValid() ? std::min(last.addMSecs(kHourMs), std::max(now, last.addMSecs(kMinuteMs)))
                       : now;
    const QDateTime start = first.isValid() && first < end ? first : end.addMSecs(-kHourMs);
    const qint64 spanMs = start.msecsTo(end);
    axis->setRange(start.toLocalTime(), end.toLocalTime());
    axis->setFormat(spanMs <= kDayMs ? u"HH:mm"_s : u"dd MMM"_s);
    axis->setTickCount(spanMs <= 2 * kHourMs ? 3 : 6);
    return axis;
}

QColor OperationsChart::objectiveColour()
{
    return QColor(0xdc, 0x26, 0x26); // the red of "critical", visible on both themes
}

void OperationsChart::appendHour(QXYSeries *series, qint64 startMs, double value)
{
    const double from = double(startMs);
    series->append(from, value);
    series->append(from + double(kHourMs), value);
}

void OperationsChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && chart())
        rebuild(); // light <-> dark: QtCharts themes are chosen when a chart is built
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

} // namespace isobar
