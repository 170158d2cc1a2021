#pragma once

#include <QStringList>

namespace isobar {

// `isobar accuweather-sandbox [--port N] ...`: AccuWeather's wire format on localhost.
int runSandboxCommand(const QStringList &arguments);

} // namespace isobar
