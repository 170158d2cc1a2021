#pragma once

// hiredis's own Qt event-loop adapter. It is written with Qt's `slots` keyword, which this
// project turns off (QT_NO_KEYWORDS), so the keyword is lent for the include alone; its
// meta-object is generated from the system header (server/CMakeLists.txt).
#ifndef slots
#define slots Q_SLOTS
#define ISOBAR_LENT_SLOTS
#endif
#include <hiredis/adapters/qt.h>
#ifdef ISOBAR_LENT_SLOTS
#undef slots
#undef ISOBAR_LENT_SLOTS
#endif
