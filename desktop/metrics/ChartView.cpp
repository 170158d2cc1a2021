#include "ChartView.h"

#include "ChartBuilder.h"
#include "ChartStyle.h"
#include "MetricUnit.h"

#include <QChart>
#include <QDateTime>
#include <QFontMetricsF>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QRubberBand>

namespace isobar {

namespace {

// A drag shorter than this is a click, not a zoom.
constexpr int kMinimumDragPixels = 6;

} // namespace

ChartView::ChartView(QWidget *parent)
    : QGraphicsView(parent)
{
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    setMouseTracking(true);
    setMinimumSize(320, 200);
    setFocusPolicy(Qt::StrongFocus);
    // Resizing rebuilds the chart; a window drag sends dozens of sizes, build for the last.
    m_resizeDebounce.setSingleShot(true);
    m_resizeDebounce.setInterval(80);
    connect(&m_resizeDebounce, &QTimer::timeout, this, &ChartView::rebuild);
}

ChartView::~ChartView()
{
    // The view must let go of the scene before the scene goes.
    setScene(nullptr);
}

void ChartView::setChart(const ChartRequest &request, const ChartDataset &data)
{
    m_request = request;
    m_data = data;
    QList<double> values;
    for (const auto &plot : m_data.plots) {
        for (const ChartPoint &point : plot)
            values << point.value;
    }
    m_decimals = displayDecimals(values);
    m_zoom.reset();
    setZoomed(false);
    rebuild();
}

ChartDataset ChartView::shownData() const
{
    if (!m_zoom)
        return m_data;
    ChartDataset shown;
    for (const auto &plot : m_data.plots) {
        QList<ChartPoint> &points = shown.plots.emplace_back();
        for (const ChartPoint &point : plot) {
            if (point.date >= m_zoom->first && point.date <= m_zoom->second)
                points.append(point);
        }
    }
    return shown;
}

void ChartView::rebuild()
{
    if (m_request.plots.isEmpty())
        return;
    m_request.size =
        viewport()->size().expandedTo(QSize(ChartRequest::kMinSize, ChartRequest::kMinSize));
    // A zoom builds the chart again over its dates: the axes get calendar ticks and round
    // values from zero for what is shown, not a stretched slice of the whole.
    std::unique_ptr<QGraphicsScene> scene = ChartBuilder::build(m_request, shownData());
    m_chart = nullptr;
    for (QGraphicsItem *item : scene->items()) {
        if (auto *chart = dynamic_cast<QChart *>(item))
            m_chart = chart;
    }
    setScene(scene.get());
    m_scene = std::move(scene);
    setSceneRect(QRectF(QPointF(0, 0), QSizeF(m_request.size)));
    m_hover.reset();
    m_paintPending = true;
    viewport()->update();
}

void ChartView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (!m_request.plots.isEmpty())
        m_resizeDebounce.start();
}

void ChartView::paintEvent(QPaintEvent *event)
{
    QGraphicsView::paintEvent(event);
    if (m_paintPending) {
        m_paintPending = false;
        Q_EMIT chartPainted();
    }
}

QRectF ChartView::plotAreaInView() const
{
    if (!m_chart)
        return {};
    return mapFromScene(m_chart->mapToScene(m_chart->plotArea())).boundingRect();
}

const ChartPoint *ChartView::nearestPoint(QPoint position) const
{
    if (!m_chart || m_data.plots.isEmpty() || !plotAreaInView().contains(position))
        return nullptr;
    const QPointF value = m_chart->mapToValue(m_chart->mapFromScene(mapToScene(position)));
    // The nearest date drawn, whichever plot it belongs to.
    const ChartPoint *nearest = nullptr;
    qreal best = 0;
    for (const auto &plot : m_data.plots) {
        for (const ChartPoint &point : plot) {
            if (m_zoom && (point.date < m_zoom->first || point.date > m_zoom->second))
                continue;
            const qreal distance = std::abs(ChartStyle::dateX(point.date) - value.x());
            if (!nearest || distance < best) {
                nearest = &point;
                best = distance;
            }
        }
    }
    return nearest;
}

QString ChartView::toolTipAt(QPoint position) const
{
    const ChartPoint *nearest = nearestPoint(position);
    if (!nearest)
        return {};
    const MetricUnit unit = metricUnit(nearest->series ? nearest->series->metric : QString());
    QString text = tr("%1: %2").arg(QLocale().toString(nearest->date, QLocale::LongFormat),
                                    formatMetricValue(nearest->value, unit, m_decimals));
    if (nearest->inReportingDelay)
        text += u'\n' + tr("In the reporting delay period");
    return text;
}

void ChartView::setHover(QPoint position)
{
    const ChartPoint *nearest = nearestPoint(position);
    std::optional<Hover> hover;
    if (nearest)
        hover = Hover{m_chart->mapToScene(m_chart->mapToPosition(
                          QPointF(ChartStyle::dateX(nearest->date), nearest->value))),
                      toolTipAt(position)};
    if (hover.has_value() == m_hover.has_value()
        && (!hover || (hover->at == m_hover->at && hover->text == m_hover->text)))
        return;
    m_hover = hover;
    viewport()->update();
}

void ChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    if (!m_hover || !m_chart)
        return;
    // In scene coordinates: a crosshair down the plot at the point's date, a ring on it, and
    // the readout beside it, kept inside the plot.
    const QRectF plot = m_chart->mapRectToScene(m_chart->plotArea());
    const QColor ink = palette().color(QPalette::WindowText);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(ink, 1, Qt::DashLine));
    painter->drawLine(QPointF(m_hover->at.x(), plot.top()),
                      QPointF(m_hover->at.x(), plot.bottom()));
    painter->setPen(QPen(ink, 2));
    painter->setBrush(palette().color(QPalette::Base));
    painter->drawEllipse(m_hover->at, 5, 5);

    const QFontMetricsF metrics(font());
    const QRectF textBox = metrics.boundingRect(QRectF(0, 0, plot.width(), plot.height()),
                                                Qt::AlignLeft, m_hover->text);
    QRectF box = textBox.adjusted(-6, -4, 6, 4);
    QPointF topLeft(m_hover->at.x() + 10, plot.top() + 4);
    if (topLeft.x() + box.width() > plot.right())
        topLeft.setX(m_hover->at.x() - 10 - box.width());
    box.moveTopLeft(topLeft);
    QColor background = palette().color(QPalette::ToolTipBase);
    background.setAlpha(235);
    painter->setPen(QPen(palette().color(QPalette::Mid), 1));
    painter->setBrush(background);
    painter->drawRoundedRect(box, 4, 4);
    painter->setPen(palette().color(QPalette::ToolTipText));
    painter->drawText(box.adjusted(6, 4, -6, -4), Qt::AlignLeft, m_hover->text);
    painter->restore();
}

void ChartView::zoomToRange(int fromX, int toX)
{
    if (!m_chart)
        return;
    const QRectF plot = plotAreaInView();
    const qreal left = std::clamp<qreal>(std::min(fromX, toX), plot.left(), plot.right());
    const qreal right = std::clamp<qreal>(std::max(fromX, toX), plot.left(), plot.right());
    if (right - left < kMinimumDragPixels)
        return;
    // Only the dates narrow, as on the dashboard's charts; the values fit what is left.
    // The dates of whole days between the two positions.
    auto dayAt = [this, &plot](qreal x, qint64 rounding) {
        const QPointF value = m_chart->mapToValue(
            m_chart->mapFromScene(mapToScene(QPoint(int(x), int(plot.center().y())))));
        return QDateTime::fromMSecsSinceEpoch(qint64(value.x()) + rounding, Qt::UTC).date();
    };
    constexpr qint64 kDayMs = 86'400'000;
    const std::pair<QDate, QDate> range{dayAt(left, kDayMs - 1), dayAt(right, 0)};
    // A range holding no point would draw nothing: stay where we are.
    const bool holdsAPoint =
        std::any_of(m_data.plots.cbegin(), m_data.plots.cend(), [&](const auto &p) {
            return std::any_of(p.cbegin(), p.cend(), [&](const ChartPoint &point) {
                return point.date >= range.first && point.date <= range.second;
            });
        });
    if (!holdsAPoint)
        return;
    m_zoom = range;
    setZoomed(true);
    rebuild();
}

void ChartView::resetZoom()
{
    if (!m_zoomed)
        return;
    m_zoom.reset();
    setZoomed(false);
    rebuild();
}

void ChartView::setZoomed(bool zoomed)
{
    if (m_zoomed == zoomed)
        return;
    m_zoomed = zoomed;
    Q_EMIT zoomChanged(zoomed);
}

void ChartView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && plotAreaInView().contains(event->position())) {
        m_dragging = true;
        m_dragOrigin = event->position().toPoint();
        if (!m_rubberBand)
            m_rubberBand = new QRubberBand(QRubberBand::Rectangle, viewport());
        m_rubberBand->setGeometry(QRect(m_dragOrigin, QSize()));
        m_rubberBand->show();
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint position = event->position().toPoint();
    if (m_dragging) {
        const QRectF plot = plotAreaInView();
        m_rubberBand->setGeometry(
            QRect(QPoint(std::min(m_dragOrigin.x(), position.x()), int(plot.top())),
                  QPoint(std::max(m_dragOrigin.x(), position.x()), int(plot.bottom()))));
        return;
    }
    setHover(position);
    QGraphicsView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        m_rubberBand->hide();
        zoomToRange(m_dragOrigin.x(), event->position().toPoint().x());
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    resetZoom();
    event->accept();
}

void ChartView::leaveEvent(QEvent *event)
{
    if (m_hover) {
        m_hover.reset();
        viewport()->update();
    }
    QGraphicsView::leaveEvent(event);
}

} // namespace isobar
