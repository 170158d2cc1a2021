#pragma once

#include <QStringList>

namespace isobar {

// `isobar healthcheck [--path /readyz] [--port N] [--bind ADDR] [--timeout-ms N]`: asks the
// local `isobar serve` one probe and exits 0 when it answers 2xx, 1 otherwise. A container's
// health check with no curl in the image: it reads the port and address from the same flags,
// ISOBAR_* variables and --config file as `serve`.
int runHealthcheckCommand(const QStringList &arguments);

} // namespace isobar
