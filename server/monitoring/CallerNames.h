#pragma once

#include <QString>

namespace isobar::CallerNames {

// Who the request log counts a request against ("Requests per user") when no token subject was
// verified for it. Where tokens are checked, a refused or missing token still names the caller
// class, so 401s and 429s show up in the users table rather than nowhere; where they are not
// (--no-auth), the client's address does, as the rate limiter keys it.
inline constexpr char16_t kAnonymous[] = u"anonymous";              // no token presented
inline constexpr char16_t kInvalidToken[] = u"invalid token";       // a token that was refused
inline constexpr char16_t kUnverifiedToken[] = u"unverified token"; // throttled before its check
inline constexpr char16_t kAddressPrefix[] = u"addr:";              // + the client's address

// The name for a request refused before its token was verified or accepted.
inline QString presented(bool hasToken, bool throttled)
{
    if (!hasToken)
        return QString::fromUtf16(kAnonymous);
    return QString::fromUtf16(throttled ? kUnverifiedToken : kInvalidToken);
}

inline QString address(const QString &peer)
{
    return QString::fromUtf16(kAddressPrefix) + peer;
}

} // namespace isobar::CallerNames
