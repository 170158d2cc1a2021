#pragma once

#include <QString>

namespace isobar {

// One token subject's requests over a time range (RequestStats::users).
struct UserActivity {
    QString subject;
    qint64 requests = 0;
    qint64 errors = 0; // 4xx and 5xx
    qint64 firstSeenMs = 0, lastSeenMs = 0;
    qint64 limited = 0; // 429s (also counted in errors): over a rate limit
    bool operator==(const UserActivity &) const = default;
};

} // namespace isobar
