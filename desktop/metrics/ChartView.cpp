#include "ChartView.h"

#include "ChartBuilder.h"
#include "ChartStyle.h"

#include <QChart>
#include <QDateTime>
#include <QLocale>
#include <QMouseEvent>
#include <QRubberBand>
#include <QToolTip>

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

QString ChartView::toolTipAt(QPoint position) const
{
    if (!m_chart || m_data.plots.isEmpty() || !plotAreaInView().contains(position))
        return {};
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
    if (!nearest)
        return {};
    const QLocale locale;
    QString text = tr("%1: %2").arg(locale.toString(nearest->date, QLocale::LongFormat),
                                    locale.toString(nearest->value, 'g', 12));
    if (nearest->inReportingDelay)
        text += u'\n' + tr("In the reporting delay period");
    return text;
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
    const QString tip = toolTipAt(position);
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
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
    QToolTip::hideText();
    QGraphicsView::leaveEvent(event);
}

} // namespace isobar
