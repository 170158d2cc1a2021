#pragma once

#include <QVarLengthArray>

namespace isobar {

// The days one series was given points on, kept as at most kSpans spans of days: every day
// added lies in a span, so a day outside them all was certainly never added. A day between two
// added ones may be taken for added, never the other way round. Memory stays the same whatever
// the file; a series' points mostly come in order of day, and then fill one or two spans.
class SeenDays
{
public:
    // Adds the day; true when it lay outside every span, so it is new.
    bool add(qint64 day);

private:
    static constexpr qsizetype kSpans = 8;
    struct Span {
        qint64 first;
        qint64 last;
    };
    // In order of day, none overlapping. Room for two in place (a run of days, and one jump
    // back): a file of a new series a row keeps one of these for each.
    QVarLengthArray<Span, 2> m_spans;
};

} // namespace isobar
