#include "Today.h"

#include <QDateTime>

namespace isobar {

QDate localToday()
{
    // Per thread: the event loop and the query threads each keep their own, without a lock.
    thread_local QDate today;
    thread_local qint64 startsMs = 0, endsMs = 0; // local midnights around it
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!today.isValid() || now < startsMs || now >= endsMs) {
        today = QDate::currentDate();
        startsMs = today.startOfDay().toMSecsSinceEpoch();
        endsMs = today.addDays(1).startOfDay().toMSecsSinceEpoch();
    }
    return today;
}

} // namespace isobar
