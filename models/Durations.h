#pragma once

#include <QtGlobal>

namespace isobar {

// Spans in milliseconds, as QDateTime and the clocks Isobar passes around count time.
inline constexpr qint64 kSecondMs = 1'000;
inline constexpr qint64 kMinuteMs = 60 * kSecondMs;
inline constexpr qint64 kHourMs = 60 * kMinuteMs;
inline constexpr qint64 kDayMs = 24 * kHourMs;

} // namespace isobar
