#pragma once

#include <QStringList>

namespace isobar {

// `isobar accuweather-sandbox [--port N] [--bind ADDR] [--fault KIND ...]`: AccuWeather's wire
// format on a local port until SIGTERM/SIGINT. The key comes from ISOBAR_SANDBOX_API_KEY.
int runSandboxCommand(const QStringList &arguments);

} // namespace isobar
