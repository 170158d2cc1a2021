#pragma once

#include <QDate>
#include <QList>
#include <QString>

class QCategoryAxis;

namespace isobar::DateAxis {

// A date axis whose ticks, gridlines and labels fall on calendar boundaries, as a reader
// expects: days, Mondays, or the first of every 1, 2, 3, 6 or 12 months, whichever is the
// finest that keeps labels about 90 px apart. QDateTimeAxis spaces ticks evenly instead
// ("Dec" on 8 December, October skipped), and Qt 6.4 offers it no other way.
struct Tick {
    QDate date;
    QString label;
};

// The ticks between `first` and `last` for a chart `width` px wide. A single day gets one tick
// labelled with its full date.
QList<Tick> ticks(QDate first, QDate last, int width);

// A QCategoryAxis over [first, last] (x values as ChartStyle::dateX) labelled with ticks().
// A single day is widened by a few days either side so its point stands clear of the edges.
QCategoryAxis *create(QDate first, QDate last, int width);

} // namespace isobar::DateAxis
