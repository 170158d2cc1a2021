#include "FuzzSupport.h"

#include "Ingestor.h"
#include "MetricsDatabase.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace isobar::fuzz {

namespace {
// Made before main(): every target runs with it.
[[maybe_unused]] const bool kQuiet = [] {
    QLoggingCategory::setFilterRules(u"*.debug=false\n*.info=false"_s);
    return true;
}();
} // namespace

QByteArray bytes(const uint8_t *data, size_t size)
{
    return {reinterpret_cast<const char *>(data), qsizetype(size)};
}

void ensureApplication()
{
    if (QCoreApplication::instance())
        return;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "isobar-fuzz";
    static char *argv[] = {name, nullptr};
    new QApplication(argc, argv); // lives as long as the process
}

QString sampleStore(const QTemporaryDir &dir, int sampleFiles)
{
    QString path = dir.filePath(u"fuzz.db"_s);
    MetricsDatabase database;
    if (!database.open(path))
        qFatal("fuzz store: %s", qPrintable(database.errorString()));
    const QDir samples(QStringLiteral(ISOBAR_SOURCE_DIR "/data/ukhsa/json"));
    // Spread over the whole list, so that every theme and kind of file is in it.
    const QStringList names = samples.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    QStringList files;
    for (qsizetype i = 0; i < sampleFiles && i < names.size(); ++i)
        files << samples.filePath(names.at(i * names.size() / sampleFiles));
    Ingestor ingestor(database.connection());
    ingestor.ingest(files);
    return path;
}

ApiServer *startServer(const QTemporaryDir &dir, const std::function<void(ServerConfig &)> &adjust)
{
    ensureApplication();
    ServerConfig config;
    config.databasePath = sampleStore(dir, 60);
    config.port = 0;
    config.queryThreads = 1;
    config.auth.enabled = false;
    config.rateLimit.ratePerSecond = 0;
    config.captureRequests = false;
    config.accuWeatherKey = [] { return u"fuzz-key"_s; };
    if (adjust)
        adjust(config);
    auto *server = new ApiServer(config);
    if (!server->start())
        qFatal("fuzz server: %s", qPrintable(server->errorString()));
    return server;
}

bool waitFor(const QFuture<HttpResponse> &future, int timeoutMs)
{
    if (future.isFinished())
        return true;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QFutureWatcher<HttpResponse> watcher; // finishes on a result and on a failure alike
    QObject::connect(&watcher, &QFutureWatcher<HttpResponse>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    loop.exec();
    return future.isFinished();
}

} // namespace isobar::fuzz
