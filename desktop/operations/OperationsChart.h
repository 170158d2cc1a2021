#pragma once

#include "TimelineBucket.h"

#include <QChartView>
#include <QList>

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

protected:
    static constexpr qint64 kHourMs = 3'600'000; // a timeline bucket's span

    // Fills a fresh, themed chart from the subclass's data. Returns false when there is nothing
    // to draw (the chart then shows emptyText()).
    virtual bool build(QChart *chart) = 0;
    // Call after the data changed.
    void rebuild();

    // A time axis over the buckets' hours, labelled with times within a day and dates beyond.
    static QAbstractAxis *timeAxis(QChart *chart, const QList<TimelineBucket> &buckets);
    static QColor objectiveColour();
    // A bucket as a flat step across its hour rather than a point at its start: a value per
    // hour reads as such, and a range of one or two hours still shows something.
    static void appendHour(QXYSeries *series, qint64 startMs, double value);

    void changeEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    QString m_title;
    QString m_emptyText;
    bool m_empty = true;
};

} // namespace isobar
