#pragma once

#include <QStringList>

namespace isobar {

// `isobar chart [--database FILE] --out FILE.png|.svg|.jpg REQUEST.json`: renders a charts v2
// request body with the server's code; prints the chart's alt text. Needs a QApplication
// (QtCharts). Returns the process exit code.
int runChartCommand(const QStringList &arguments);

} // namespace isobar
