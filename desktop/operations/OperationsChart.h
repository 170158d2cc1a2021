#pragma once

#include "TimelineBucket.h"

#include <QChartView>
#include <QList>
#include <optional>

class QRubberBand;
class QXYSeries;

namespace isobar {

// What the Operations page's charts share: a chart rebuilt from the data each subclass keeps,
// themed for the current palette (light or dark) and rebuilt when the palette changes, and a
// line in the plot area saying why it is empty.
class OperationsChart : public QChartView
{
    Q_OBJECT
public:
    explicit OperationsChart(const QString &title, QWidget *parent = nullptr);

    QString emptyText() const { return m_emptyText; }
    // Nothing to draw because the data could not be read: says `why` instead of "no requests"
    // until the chart is given data again.
    void showFailure(const QString &why);

    // The labels of the time axis as drawn, for tests: "14:05", "14:10", ...
    QStringList timeLabels() const;

Q_SIGNALS:
    // A span dragged across a time axis (ms since the epoch): the page zooms to it.
    void timeRangeSelected(qint64 fromMs, qint64 toMs);

protected:
    // Fills a fresh, themed chart from the subclass's data. Returns false when there is nothing
    // to draw (the chart then shows emptyText()).
    virtual bool build(QChart *chart) = 0;
    // Call after the data changed (it ends a failure shown).
    void rebuild();

    // A time axis over the range the timeline covers (up to now at most), with ticks on round
    // times of the local clock ("14:05", "14:10"; "03 Dec" beyond a day). Charts built with
    // one can be zoomed by dragging across them.
    QAbstractAxis *timeAxis(QChart *chart, const Timeline &timeline);
    static QColor objectiveColour();
    // A bucket as a flat step across its width rather than a point at its start: a value per
    // minute or hour reads as such, and a range of one or two buckets still shows something.
    static void appendBucket(QXYSeries *series, const Timeline &timeline,
                             const TimelineBucket &bucket, double value);

    void changeEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    // The band a drag from m_dragStart to `to` covers: the plot's height, within its width.
    QRect dragRect(QPointF to) const;

    bool m_hasTimeAxis = false;
    std::pair<qint64, qint64> m_timeAxisRange{0, 0}; // ms since the epoch
    std::optional<QPointF> m_dragStart;              // where a drag across the time axis began
    QRubberBand *m_dragBand = nullptr;
    // Builds the chart again from the data, as they are.
    void redraw();

    QString m_title;
    QString m_emptyText;
    QString m_failure;
    bool m_empty = true;
};

} // namespace isobar
