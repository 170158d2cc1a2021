#pragma once

#include <QObject>
#include <functional>

namespace isobar {

// Calls `onShutdown` on the event loop (in `context`'s thread) at the first SIGTERM or SIGINT.
// The signals reach the loop through a socket pair, the only async-signal-safe way to wake Qt;
// the handler itself only writes one byte. False when the socket pair cannot be made.
bool watchShutdownSignals(QObject *context, std::function<void()> onShutdown);

} // namespace isobar
