#include "AccuWeatherKeyCheck.h"

using namespace Qt::StringLiterals;

namespace isobar {

QFuture<UpstreamResult> AccuWeatherKeyCheck::start(AccuWeatherClient &client)
{
    return client.geoposition(51.5072, -0.1276); // London
}

AccuWeatherKeyCheck AccuWeatherKeyCheck::fromResult(const UpstreamResult &result,
                                                    const QUrl &upstream)
{
    const QString where = upstream.toString(QUrl::RemoveUserInfo);
    if (result.ok)
        return {Verdict::Accepted, u"ok (%1 accepted the key)"_s.arg(where)};
    const QString detail = result.error.detail;
    switch (result.error.kind) {
    case UpstreamError::Kind::Unauthorized:
        return {Verdict::Rejected, u"unauthorised key (%1: %2)"_s.arg(where, detail)};
    case UpstreamError::Kind::QuotaExceeded:
        return {Verdict::QuotaExhausted, u"quota exhausted (%1: %2)"_s.arg(where, detail)};
    case UpstreamError::Kind::Timeout:
    case UpstreamError::Kind::Network:
        return {Verdict::Unreachable, u"unreachable (%1: %2)"_s.arg(where, detail)};
    default:
        return {Verdict::Unexpected, u"unexpected answer (%1: %2, %3)"_s.arg(
                                         where, upstreamErrorName(result.error.kind), detail)};
    }
}

} // namespace isobar
