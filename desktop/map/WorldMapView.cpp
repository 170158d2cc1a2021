#include "WorldMapView.h"

#include "CellLayerItem.h"
#include "MapProjection.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace isobar {

namespace {

// a blended towards b by t: map colours derived from the palette read in light and dark themes.
QColor mixed(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + t * (b.redF() - a.redF())),
                            float(a.greenF() + t * (b.greenF() - a.greenF())),
                            float(a.blueF() + t * (b.blueF() - a.blueF())));
}

// One wheel notch (120 eighths of a degree) zooms by 2^(1/4), about 19%.
constexpr double wheelNotchesPerDoubling = 4;
constexpr double keyZoomFactor = 1.5;
// Arrow keys pan by this share of the viewport.
constexpr int arrowPanDivisor = 8;

} // namespace

WorldMapView::WorldMapView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
    , m_cellLayer(new CellLayerItem)
{
    m_scene->setSceneRect(MapProjection::world());
    // The cell layer is the one item, the size of the world: a BSP index over it buys nothing.
    m_scene->setItemIndexMethod(QGraphicsScene::NoIndex);
    // The outlines are drawn as the background, which the view caches: panning then draws only
    // the newly exposed strips of them, and the cells and legend over the cached pixels.
    setCacheMode(CacheBackground);
    m_cellLayer->setZValue(1);
    m_cellLayer->setBins(&m_bins);
    m_scene->addItem(m_cellLayer);
    setScene(m_scene);

    setDragMode(ScrollHandDrag);
    // Zooming anchors itself under the pointer (zoomAt), from the event's own position, which
    // also holds for touchpad gestures and synthetic events where the cursor is not tracked.
    setTransformationAnchor(NoAnchor);
    setResizeAnchor(AnchorViewCenter);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setRenderHint(QPainter::Antialiasing);
    // The legend is drawn in viewport coordinates: scrolling the pixels would drag it along.
    setViewportUpdateMode(FullViewportUpdate);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("World map of requests"));
    setAccessibleDescription(
        tr("Requests per weather cell. Plus and minus zoom, arrow keys pan, Home fits the data."));

    applyPalette();
    connect(&m_outlinesWatcher, &QFutureWatcher<WorldOutlines>::finished, this, [this] {
        m_outlines = m_outlinesWatcher.result();
        m_outlinesShown = true;
        resetCachedContent();
        viewport()->update();
        Q_EMIT outlinesLoaded();
    });
    m_outlinesWatcher.setFuture(WorldOutlines::shared());
    fitToData();
}

WorldMapView::~WorldMapView() = default;

void WorldMapView::showFailure(const QString &why)
{
    setCells({});
    m_failure = why;
    viewport()->update();
}

void WorldMapView::setCells(const QList<MapCell> &cells)
{
    m_failure.clear();
    m_cells = cells;
    m_bins = CellBins(m_cells);
    m_cellLayer->setBins(&m_bins);
    if (m_followsData)
        fitToData();
    viewport()->update();
}

QList<MapCell> WorldMapView::cells() const
{
    return m_cells;
}

double WorldMapView::pixelsPerDegree() const
{
    return transform().m11();
}

int WorldMapView::aggregationLevel() const
{
    return m_bins.levelFor(pixelsPerDegree(), CellLayerItem::minimumUnitPixels);
}

QList<CellBin> WorldMapView::displayedBins() const
{
    return m_bins.bins(aggregationLevel());
}

qint64 WorldMapView::legendMaximum() const
{
    return m_bins.maximumRequests(aggregationLevel());
}

QString WorldMapView::toolTipAt(const QPoint &viewportPosition) const
{
    const QPointF scene = sceneAt(QPointF(viewportPosition) + QPointF(0.5, 0.5));
    const int level = aggregationLevel();
    const CellBin *bin = m_bins.binAt(level, scene.x(), -scene.y());
    if (!bin)
        return {};
    const MapCell &area = bin->area;
    // Enough decimals to tell a bin's edges apart, never more than the data has.
    const int decimals =
        std::clamp(int(std::ceil(-std::log10(m_bins.unitDegrees(level)))) + 1, 0, 4);
    const QLocale locale = this->locale();
    const auto latitude = [&](double value) {
        return (value >= 0 ? tr("%1°N") : tr("%1°S"))
            .arg(locale.toString(std::abs(value), 'f', decimals));
    };
    const auto longitude = [&](double value) {
        return (value >= 0 ? tr("%1°E") : tr("%1°W"))
            .arg(locale.toString(std::abs(value), 'f', decimals));
    };
    const QString where = tr("%1 to %2, %3 to %4")
                              .arg(latitude(area.south), latitude(area.north), longitude(area.west),
                                   longitude(area.east));
    QString heading;
    if (level == 0)
        heading = tr("Cell %1").arg(where);
    else if (bin->cells == 1)
        heading = tr("1 cell in %1").arg(where);
    else
        heading = tr("%1 cells in %2").arg(locale.toString(bin->cells), where);
    return heading + u'\n' + tr("Requests: %1").arg(locale.toString(area.requests)) + u'\n'
           + tr("Cache: %1 hits, %2 misses, %3 stale")
                 .arg(locale.toString(area.hits), locale.toString(area.misses),
                      locale.toString(area.stale));
}

void WorldMapView::fitToData()
{
    m_followsData = true;
    QRectF target = MapProjection::world();
    if (!m_bins.bounds().isNull()) {
        const QRectF bounds = m_bins.bounds();
        target =
            MapProjection::toScene(bounds.left(), bounds.top(), bounds.right(), bounds.bottom());
        const double margin = std::max(target.width(), target.height()) * 0.1;
        target.adjust(-margin, -margin, margin, margin);
    }
    const QSizeF view = viewport()->size();
    setZoom(std::min(view.width() / target.width(), view.height() / target.height()),
            target.center());
}

void WorldMapView::zoomIn()
{
    m_followsData = false;
    zoomAt(keyZoomFactor, QRectF(viewport()->rect()).center());
}

void WorldMapView::zoomOut()
{
    m_followsData = false;
    zoomAt(1 / keyZoomFactor, QRectF(viewport()->rect()).center());
}

void WorldMapView::zoomAt(double factor, const QPointF &viewportPosition)
{
    const QPointF anchor = sceneAt(viewportPosition);
    const double zoom =
        std::clamp(pixelsPerDegree() * factor, minimumPixelsPerDegree(), maximumPixelsPerDegree);
    // The anchor stays under the position when the centre keeps its offset from it, in pixels.
    const QPointF offset = (QRectF(viewport()->rect()).center() - viewportPosition) / zoom;
    setZoom(zoom, anchor + offset);
}

void WorldMapView::setZoom(double pixelsPerDegree, const QPointF &sceneCentre)
{
    const double zoom =
        std::clamp(pixelsPerDegree, minimumPixelsPerDegree(), maximumPixelsPerDegree);
    setTransform(QTransform::fromScale(zoom, zoom));
    resetCachedContent(); // outlines at the new scale
    centerOn(sceneCentre);
    // centerOn() truncates to whole scroll steps, which moves an anchored point by up to a
    // pixel per zoom step; rounding keeps it within half a pixel.
    const QPointF offset = transform().map(sceneCentre) - QRectF(viewport()->rect()).center();
    horizontalScrollBar()->setValue(int(std::lround(offset.x())));
    verticalScrollBar()->setValue(int(std::lround(offset.y())));
    viewport()->update();
}

double WorldMapView::minimumPixelsPerDegree() const
{
    const QRectF world = MapProjection::world();
    const QSize view = viewport()->size();
    return std::max(1e-3, std::min(view.width() / world.width(), view.height() / world.height()));
}

QPointF WorldMapView::sceneAt(const QPointF &viewportPosition) const
{
    return viewportTransform().inverted().map(viewportPosition);
}

void WorldMapView::wheelEvent(QWheelEvent *event)
{
    const int eighths = event->angleDelta().y();
    if (eighths == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    m_followsData = false;
    zoomAt(std::exp2(eighths / (120.0 * wheelNotchesPerDoubling)), event->position());
    event->accept();
}

void WorldMapView::keyPressEvent(QKeyEvent *event)
{
    const auto pan = [this](QScrollBar *bar, int direction) {
        m_followsData = false;
        bar->setValue(bar->value() + direction * bar->pageStep() / arrowPanDivisor);
    };
    if (event->matches(QKeySequence::ZoomIn) || event->key() == Qt::Key_Plus
        || event->key() == Qt::Key_Equal) {
        zoomIn();
    } else if (event->matches(QKeySequence::ZoomOut) || event->key() == Qt::Key_Minus) {
        zoomOut();
    } else if (event->key() == Qt::Key_Home) {
        fitToData();
    } else if (event->key() == Qt::Key_Left) {
        pan(horizontalScrollBar(), -1);
    } else if (event->key() == Qt::Key_Right) {
        pan(horizontalScrollBar(), 1);
    } else if (event->key() == Qt::Key_Up) {
        pan(verticalScrollBar(), -1);
    } else if (event->key() == Qt::Key_Down) {
        pan(verticalScrollBar(), 1);
    } else {
        QGraphicsView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void WorldMapView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        m_followsData = false; // the start of a drag: the user takes over
    QGraphicsView::mousePressEvent(event);
}

void WorldMapView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_followsData)
        fitToData();
    else
        setZoom(pixelsPerDegree(), sceneAt(QRectF(viewport()->rect()).center()));
}

void WorldMapView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QGraphicsView::changeEvent(event);
}

bool WorldMapView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QGraphicsView::viewportEvent(event);
}

void WorldMapView::applyPalette()
{
    const QPalette palette = this->palette();
    const QColor window = palette.color(QPalette::Window);
    const QColor text = palette.color(QPalette::WindowText);
    m_outlinePen = QPen(mixed(window, text, 0.45), 1);
    m_outlinePen.setCosmetic(true); // one pixel at any zoom
    m_landBrush = QBrush(mixed(window, text, 0.1));
    m_colorScale = CountColorScale(palette);
    m_cellLayer->setColorScale(m_colorScale);
    resetCachedContent();
    viewport()->update();
}

void WorldMapView::drawBackground(QPainter *painter, const QRectF &rect)
{
    // Outside the world the window's colour, the sea in the base colour of text fields.
    painter->fillRect(rect, palette().color(QPalette::Window));
    painter->fillRect(rect & MapProjection::world(), palette().color(QPalette::Base));
    if (!m_outlinesShown)
        return;
    const QList<WorldOutlines::Country> &countries =
        pixelsPerDegree() >= fineOutlinesPixelsPerDegree ? m_outlines.fine : m_outlines.coarse;
    painter->setPen(m_outlinePen);
    painter->setBrush(m_landBrush);
    for (const WorldOutlines::Country &country : countries) {
        if (country.bounds.intersects(rect))
            painter->drawPath(country.path);
    }
}

void WorldMapView::drawForeground(QPainter *painter, const QRectF &)
{
    painter->save();
    painter->resetTransform(); // the legend stays put in the viewport's corner
    drawLegend(painter);
    painter->restore();
}

QString WorldMapView::legendTitle() const
{
    const int level = aggregationLevel();
    if (m_bins.maximumRequests(level) > 0)
        return level == 0 ? tr("Requests per cell")
                          : tr("Requests per %1° square")
                                .arg(locale().toString(m_bins.unitDegrees(level), 'g', 3));
    return m_failure.isEmpty() ? tr("No requests with a position") : m_failure;
}

void WorldMapView::drawLegend(QPainter *painter)
{
    const QPalette palette = this->palette();
    const QFontMetrics metrics(font());
    constexpr int margin = 12, padding = 8, swatchWidth = 7, swatchHeight = 12;
    const int level = aggregationLevel();
    const qint64 maximum = m_bins.maximumRequests(level);
    const int lineHeight = metrics.height();

    const QString title = legendTitle();
    QStringList labels; // under the left, middle and right of the colour bar
    if (maximum > 0) {
        for (double position : {0.0, 0.5, 1.0})
            labels << locale().toString(CountColorScale::countAt(position, maximum));
    }

    const int barWidth = CountColorScale::stepCount * swatchWidth;
    const int contentWidth = std::max(metrics.horizontalAdvance(title), maximum > 0 ? barWidth : 0);
    const int contentHeight =
        maximum > 0 ? lineHeight + 4 + swatchHeight + 2 + lineHeight : lineHeight;
    const QRect box(margin, viewport()->height() - margin - contentHeight - 2 * padding,
                    contentWidth + 2 * padding, contentHeight + 2 * padding);

    painter->setRenderHint(QPainter::Antialiasing, false);
    QColor background = palette.color(QPalette::Window);
    background.setAlpha(225);
    painter->setPen(
        mixed(palette.color(QPalette::Window), palette.color(QPalette::WindowText), 0.3));
    painter->setBrush(background);
    painter->drawRect(box.adjusted(0, 0, -1, -1));
    painter->setPen(palette.color(QPalette::WindowText));
    painter->setFont(font());
    const int left = box.left() + padding;
    int y = box.top() + padding;
    painter->drawText(QRect(left, y, contentWidth, lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                      title);
    if (maximum == 0)
        return;
    y += lineHeight + 4;
    painter->setPen(Qt::NoPen);
    for (int step = 0; step < CountColorScale::stepCount; ++step) {
        painter->setBrush(m_colorScale.color(step));
        painter->drawRect(left + step * swatchWidth, y, swatchWidth, swatchHeight);
    }
    y += swatchHeight + 2;
    painter->setPen(palette.color(QPalette::WindowText));
    const QRect labelRow(left, y, barWidth, lineHeight);
    painter->drawText(labelRow, Qt::AlignLeft | Qt::AlignVCenter, labels.at(0));
    if (maximum > 2)
        painter->drawText(labelRow, Qt::AlignHCenter | Qt::AlignVCenter, labels.at(1));
    painter->drawText(labelRow, Qt::AlignRight | Qt::AlignVCenter, labels.at(2));
}

} // namespace isobar
