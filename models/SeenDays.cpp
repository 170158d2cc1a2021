#include "SeenDays.h"

#include <algorithm>

namespace isobar {

bool SeenDays::add(qint64 day)
{
    const auto after = std::find_if(m_spans.begin(), m_spans.end(),
                                    [day](const Span &s) { return day <= s.last; });
    if (after != m_spans.end() && after->first <= day)
        return false;
    // The next day of a span's run, the usual case, lengthens it.
    if (after != m_spans.end() && after->first - 1 == day) {
        after->first = day;
        return true;
    }
    if (after != m_spans.begin() && (after - 1)->last + 1 == day) {
        (after - 1)->last = day;
        return true;
    }
    m_spans.insert(after, Span{day, day});
    if (m_spans.size() > kSpans) {
        // One span too many: the two nearest become one, and the days between count as added.
        qsizetype nearest = 0;
        for (qsizetype i = 1; i + 1 < m_spans.size(); ++i) {
            if (m_spans[i + 1].first - m_spans[i].last
                < m_spans[nearest + 1].first - m_spans[nearest].last)
                nearest = i;
        }
        m_spans[nearest].last = m_spans[nearest + 1].last;
        m_spans.remove(nearest + 1);
    }
    return true;
}

} // namespace isobar
