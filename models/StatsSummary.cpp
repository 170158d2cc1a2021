#include "StatsSummary.h"

#include <algorithm>

namespace isobar {

std::optional<EndpointLatency> StatsSummary::slowestEndpoint() const
{
    const auto slowest = std::max_element(
        endpoints.cbegin(), endpoints.cend(),
        [](const EndpointLatency &a, const EndpointLatency &b) { return a.p95Ms < b.p95Ms; });
    if (slowest == endpoints.cend())
        return std::nullopt;
    return *slowest;
}

int StatsSummary::endpointsMeetingObjective() const
{
    return int(std::count_if(endpoints.cbegin(), endpoints.cend(),
                             [](const EndpointLatency &e) { return e.meetsObjective; }));
}

} // namespace isobar
