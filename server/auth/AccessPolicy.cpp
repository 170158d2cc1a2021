#include "AccessPolicy.h"

namespace isobar {

namespace {

struct Rule {
    const char *patternPrefix;
    const char *scope;
};

// Longest prefix wins; the metrics API (public UKHSA data) and the system routes stay public.
constexpr Rule kRules[] = {
    {"/prcpt", AccessPolicy::kWeatherRead},
    {"/uvidx", AccessPolicy::kWeatherRead},
    {"/api/v1/weather/", AccessPolicy::kWeatherRead},
    {"/api/v1/stats/", AccessPolicy::kAdmin},
    {"/api/upload", AccessPolicy::kAdmin},
    {"/api/v1/ingest/", AccessPolicy::kAdmin},
    {"/metrics", AccessPolicy::kAdmin},
};

} // namespace

QString AccessPolicy::requiredScope(const QString &routePattern)
{
    const Rule *best = nullptr;
    for (const Rule &rule : kRules) {
        const QLatin1String prefix(rule.patternPrefix);
        if (routePattern.startsWith(prefix)
            && (!best || prefix.size() > qsizetype(qstrlen(best->patternPrefix))))
            best = &rule;
    }
    return best ? QLatin1String(best->scope) : QString();
}

} // namespace isobar
