#pragma once

#include <QtGlobal>
#include <algorithm>

namespace isobar {

// A caller's requests over some span, as the subject roll-ups keep them: summed when a batch is
// written (RequestRollups) and when a range's rows are read (RequestStats).
struct SubjectSums {
    qint64 requests = 0, errors = 0, limited = 0, firstMs = 0, lastMs = 0;

    void add(const SubjectSums &more)
    {
        firstMs = requests == 0 ? more.firstMs : std::min(firstMs, more.firstMs);
        lastMs = std::max(lastMs, more.lastMs);
        requests += more.requests;
        errors += more.errors;
        limited += more.limited;
    }
};

} // namespace isobar
