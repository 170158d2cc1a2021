#pragma once

#include "weather/AccuWeatherClient.h"

#include <QFuture>
#include <QString>

namespace isobar {

// "Does AccuWeather accept this key?": one geoposition search, the cheapest call that needs a
// valid key. Shared by `isobar credentials status --check` and the desktop's "Test key".
struct AccuWeatherKeyCheck {
    enum class Verdict { Accepted, Rejected, QuotaExhausted, Unreachable, Unexpected };
    Verdict verdict = Verdict::Unexpected;
    QString message; // "ok (https://... accepted the key)", never the key

    bool accepted() const { return verdict == Verdict::Accepted; }

    // The call itself; `client` must outlive the future.
    static QFuture<UpstreamResult> start(AccuWeatherClient &client);
    static AccuWeatherKeyCheck fromResult(const UpstreamResult &result, const QUrl &upstream);
};

} // namespace isobar
