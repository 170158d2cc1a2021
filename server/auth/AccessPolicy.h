#pragma once

#include <QString>

namespace isobar {

// Which scope each route needs: one table (AccessPolicy.cpp), keyed by route pattern, so an
// encoded or oddly slashed path cannot reach a route under another rule. Routes not listed are
// public.
class AccessPolicy
{
public:
    static constexpr const char *kWeatherRead = "weather:read";
    static constexpr const char *kAdmin = "isobar:admin";

    // The scope a route needs, or an empty string for a public route.
    static QString requiredScope(const QString &routePattern);
};

} // namespace isobar
