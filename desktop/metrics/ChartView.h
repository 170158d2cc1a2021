#pragma once

#include "ChartData.h"

#include <QGraphicsView>
#include <QTimer>
#include <memory>
#include <optional>

class QChart;
class QRubberBand;

namespace isobar {

// Shows the charts/ builder's scene (the one the server renders) at the view's size: hover
// tooltips with a point's date and value, drag across the plot to zoom into those dates,
// double-click or resetZoom() to see everything again. The scene is rebuilt when the view is
// resized, so text stays crisp rather than scaled.
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

    // The text a tooltip shows at a position in view coordinates (empty off the plot).
    QString toolTipAt(QPoint position) const;

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

private:
    void rebuild();
    // The data within the zoomed dates, or all of it.
    ChartDataset shownData() const;
    QRectF plotAreaInView() const;
    void setZoomed(bool zoomed);

    ChartRequest m_request;
    ChartDataset m_data;
    std::optional<std::pair<QDate, QDate>> m_zoom; // first and last date shown, when zoomed
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
