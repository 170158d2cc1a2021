#pragma once

#include <QDate>

namespace isobar {

// Today's local date, as QDate::currentDate() gives it, without that call's cost on every
// request: Qt reads the time zone again each time (a stat() of /etc/localtime), 3.5% of a cached
// answer. The date is worked out again once the clock passes the next local midnight, or goes
// back before the last one; a change of the machine's time zone shows from then on.
QDate localToday();

} // namespace isobar
