#pragma once

#include <QString>

namespace isobar {

struct HttpRequest;

// The requests a monitoring client (the desktop's Operations page, a scraper that says so)
// makes to read the stats API, /metrics and the ingest runs. Recorded, they would fill the
// very stats they read: at a 5 s refresh the page's five reads made 3,600 requests an hour,
// became the "slowest endpoint" and, unauthorised, raised the error-rate alarm about
// themselves. A client marks them with this header; the server leaves marked reads of these
// routes out of its request log and counters unless told to keep them (record-monitoring).
// Marked requests to other routes count as any request: the mark hides nothing else.
inline constexpr char kMonitoringHeader[] = "X-Isobar-Monitor";

bool isMonitoringRead(const HttpRequest &request, const QString &route);

} // namespace isobar
