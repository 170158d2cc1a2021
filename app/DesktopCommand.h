#pragma once

#include <QStringList>

namespace isobar {

// `isobar` with no command: the desktop application. Runs inside an existing QApplication.
// Options: --database FILE, --start-server, --metric NAME, --screenshots DIR (open both pages,
// save DIR/metrics.png and DIR/operations.png once loaded, then quit: docs and the CI's Xvfb
// end-to-end run).
int runDesktop(const QStringList &arguments);

} // namespace isobar
