#pragma once

#include "ApiServer.h"

#include <QByteArray>
#include <QFuture>
#include <QTemporaryDir>
#include <cstddef>
#include <cstdint>
#include <memory>

// What the fuzz targets share: the application object Qt needs, an ApiServer on a temporary
// store with the repository's sample data, and a way to wait for an answer. Everything is made
// once per process (libFuzzer calls a target's entry point many times in one process) and
// never destroyed: libFuzzer ends with exit(), which runs static destructors after Qt's own
// (its SQL connections' registry among them), and a store closed then would crash. Objects
// still referenced at exit are not leaks to LeakSanitizer. Logs below warnings are off.
namespace isobar::fuzz {

QByteArray bytes(const uint8_t *data, size_t size);

// A QApplication on the offscreen platform: charts are drawn on its thread.
void ensureApplication();

// A store file holding `sampleFiles` of the repository's UKHSA sample data (data/ukhsa/json),
// taken evenly from its list.
QString sampleStore(const QTemporaryDir &dir, int sampleFiles);

// An ApiServer listening on a free loopback port, with no token checks and no rate limit, on
// a store made by sampleStore(); `adjust` changes the configuration before it starts.
ApiServer *startServer(const QTemporaryDir &dir,
                       const std::function<void(ServerConfig &)> &adjust = {});

// Runs the event loop until the future has its result; false after `timeoutMs`.
bool waitFor(const QFuture<HttpResponse> &future, int timeoutMs);

} // namespace isobar::fuzz
