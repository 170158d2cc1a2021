#pragma once

#include <QtGlobal>
#include <algorithm>
#include <array>

namespace isobar {

// The status of an answer refused by a rate limit, which the per-caller stats count apart.
inline constexpr int kTooManyRequests = 429;

// HTTP status classes, as the stats count answers: 1xx to 5xx.
enum class StatusClass { Informational, Success, Redirection, ClientError, ServerError };
inline constexpr int kStatusClassCount = 5;

// Requests per status class, indexed by int(StatusClass).
using StatusCounts = std::array<qint64, kStatusClassCount>;

// A status outside 100..599 (a bad row) counts in the nearest class rather than nowhere.
inline StatusClass statusClassOf(qint64 status)
{
    return StatusClass(std::clamp<qint64>(status / 100, 1, kStatusClassCount) - 1);
}

} // namespace isobar
