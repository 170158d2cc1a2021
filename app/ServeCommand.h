#pragma once

#include <QStringList>

namespace isobar {

// `isobar serve`: the API without a window, until SIGTERM/SIGINT; returns the exit code.
int runServeCommand(const QStringList &arguments);

} // namespace isobar
