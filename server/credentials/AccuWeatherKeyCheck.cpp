#include "AccuWeatherKeyCheck.h"

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
        return {Verdict::Accepted, QStringLiteral("ok (%1 accepted the key)").arg(where)};
    const QString detail = result.error.detail;
    switch (result.error.kind) {
    case UpstreamError::Kind::Unauthorized:
        return {Verdict::Rejected, QStringLiteral("unauthorised key (%1: %2)").arg(where, detail)};
    case UpstreamError::Kind::QuotaExceeded:
        return {Verdict::QuotaExhausted,
                QStringLiteral("quota exhausted (%1: %2)").arg(where, detail)};
    case UpstreamError::Kind::Timeout:
    case UpstreamError::Kind::Network:
        return {Verdict::Unreachable, QStringLiteral("unreachable (%1: %2)").arg(where, detail)};
    default:
        return {Verdict::Unexpected, QStringLiteral("unexpected answer (%1: %2, %3)")
                                         .arg(where, upstreamErrorName(result.error.kind), detail)};
    }
}

} // namespace isobar
