#pragma once

#include "TimeRange.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QTimer;
class QToolButton;

namespace isobar {

// The Operations page's top bar, as in Grafana: the time range (presets or custom from/to), a
// refresh button and the auto-refresh interval, whose timer lives here.
class TimeRangeBar : public QWidget
{
    Q_OBJECT
public:
    explicit TimeRangeBar(QWidget *parent = nullptr);

    TimeRange range() const { return m_range; }
    void setRange(const TimeRange &range);

    // 0 for off; otherwise one of intervals().
    int refreshIntervalSeconds() const;
    void setRefreshIntervalSeconds(int seconds);
    static QList<int> intervals(); // the menu: off, 5 s, 30 s, 1 min, 5 min

    // "Updated 12:04:05", or a note while a refresh runs.
    void setUpdatedText(const QString &text);
    // The range the charts really show (whole buckets), beside the picker: "14:05 – 14:20".
    void setShownRange(qint64 fromMs, qint64 toMs);
    // Nothing shown (the timeline could not be read).
    void clearShownRange();

Q_SIGNALS:
    void rangeChanged(const isobar::TimeRange &range);
    // The refresh button.
    void refreshRequested();
    // The auto-refresh timer: the page may skip it while hidden or while a refresh still runs.
    void autoRefreshDue();

private:
    void choosePreset(int index);
    void applyCustomRange();
    void chooseInterval(int index);

    QComboBox *m_preset;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QToolButton *m_applyCustom;
    QToolButton *m_refresh;
    QComboBox *m_interval;
    QLabel *m_updated;
    QLabel *m_shown;
    QTimer *m_timer;
    TimeRange m_range;
};

} // namespace isobar
