#pragma once

#include <QStringList>

namespace isobar {

// `isobar credentials set|status|clear`: the AccuWeather API key in the OS keychain, and which
// key `serve` would use. Returns the process exit code (documented in its --help).
int runCredentialsCommand(const QStringList &arguments);

} // namespace isobar
