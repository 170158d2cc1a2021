#pragma once

#include "Thresholds.h"

#include <QFrame>

class QLabel;

namespace isobar {

// One Grafana-style stat: a title, a big value and a line of detail, filled with the colour of
// the value's threshold level. The level is also spoken by screen readers, not only shown.
class StatTile : public QFrame
{
    Q_OBJECT
public:
    explicit StatTile(const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, Thresholds::Level level, const QString &detail = {});
    // No data yet, or the last refresh failed: a dash, no colour.
    void clear(const QString &detail = {});

    QString title() const;
    QString value() const;
    QString detail() const;
    Thresholds::Level level() const { return m_level; }

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void applyLevel();

    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_detail;
    Thresholds::Level m_level = Thresholds::Level::None;
};

} // namespace isobar
