#pragma once

#include "ChartData.h"

#include <QGraphicsView>
#include <QTimer>
#include <memory>
#include <optional>

class QChart;
class QRubberBand;

namespace isobar {

// Shows the charts/ builder's scene (the one the server renders) at the view's size. Over the
// plot, the nearest point is marked, with a crosshair and its date and value, for as long as
// the pointer stays (drawn over the scene, so exports never include it); drag across the plot
// to zoom into those dates, double-click or resetZoom() to see everything again. The scene is
// rebuilt when the view is resized, so text stays crisp rather than scaled.
class ChartView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit ChartView(QWidget *parent = nullptr);
    ~ChartView() override;

    // The chart to draw: one request (its size is the view's) and its data.
    void setChart(const ChartRequest &request, const ChartDataset &data);
    // The scene shown, for export; null before the first chart.
    QGraphicsScene *chartScene() const { return m_scene.get(); }
    bool isZoomed() const { return m_zoomed; }
    // The request drawn, and the data within the zoomed dates (or all of it).
    const ChartRequest &request() const { return m_request; }
    ChartDataset shownData() const;

    // The date and value read out at a position in view coordinates (empty off the plot).
    QString toolTipAt(QPoint position) const;
    // What the readout shows now: empty when the pointer is off the plot.
    QString hoverText() const { return m_hover ? m_hover->text : QString(); }

public Q_SLOTS:
    void resetZoom();
    // Zooms to the dates between two x positions in view coordinates.
    void zoomToRange(int fromX, int toX);

Q_SIGNALS:
    void zoomChanged(bool zoomed);
    // A newly built chart reached the screen: what the first-chart benchmark times.
    void chartPainted();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void rebuild();
    // The point nearest a position's date among those shown, or null.
    const ChartPoint *nearestPoint(QPoint position) const;
    void setHover(QPoint position);
    QRectF plotAreaInView() const;
    void setZoomed(bool zoomed);

    ChartRequest m_request;
    ChartDataset m_data;
    std::optional<std::pair<QDate, QDate>> m_zoom; // first and last date shown, when zoomed
    int m_decimals = 0;                            // displayDecimals() of the data
    struct Hover {
        QPointF at; // the point, in scene coordinates
        QString text;
    };
    std::optional<Hover> m_hover;
    std::unique_ptr<QGraphicsScene> m_scene;
    QChart *m_chart = nullptr; // owned by m_scene
    QTimer m_resizeDebounce;
    QRubberBand *m_rubberBand = nullptr;
    QPoint m_dragOrigin;
    bool m_dragging = false;
    bool m_zoomed = false;
    bool m_paintPending = false;
};

} // namespace isobar
