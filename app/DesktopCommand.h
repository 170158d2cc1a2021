#pragma once

#include <QStringList>

namespace isobar {

// `isobar` with no command: the desktop application. Runs inside an existing QApplication.
// Options: --database FILE, --start-server, --screenshots DIR (open both pages, save each as
// DIR/metrics.png and DIR/operations.png once loaded, then quit: docs and the CI's Xvfb run).
int runDesktop(const QStringList &arguments);

} // namespace isobar
