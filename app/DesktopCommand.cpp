#include "DesktopCommand.h"

#include "EmbeddedServer.h"
#include "MainWindow.h"
#include "map/WorldMapView.h"
#include "metrics/ChartCard.h"
#include "metrics/MetricsPage.h"
#include "operations/OperationsPage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDir>
#include <QScreen>
#include <QTextStream>
#include <QTimer>
#include <functional>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Waits on the event loop until `ready` holds (true) or the deadline passes (false).
bool waitUntil(const std::function<bool()> &ready, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!ready()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

// What is on the screen where the window is: on a real X server (Xvfb in CI) that proves the
// window was mapped and painted; on platforms that cannot read the screen, the window's paint.
QPixmap shoot(QWidget &window)
{
    QScreen *screen = window.screen();
    QPixmap pixmap =
        screen ? screen->grabWindow(0, window.x(), window.y(), window.width(), window.height())
               : QPixmap();
    return pixmap.isNull() ? window.grab() : pixmap;
}

int takeScreenshots(MainWindow &window, const QString &folder)
{
    QTextStream err(stderr);
    if (!QDir().mkpath(folder)) {
        err << "isobar: cannot create " << folder << '\n';
        return 1;
    }
    constexpr int kLoadTimeoutMs = 30'000;
    constexpr int kSettleMs = 800; // animations and the last repaint
    window.showPage(MainWindow::Page::Metrics);
    const bool chartShown = waitUntil(
        [&] {
            const ChartCard *card = window.metricsPage()->currentCard();
            return card && card->selection().hasMetric() && !card->isLoading();
        },
        kLoadTimeoutMs);
    waitUntil([] { return false; }, kSettleMs);
    const bool metricsSaved = shoot(window).save(QDir(folder).filePath(u"metrics.png"_s));

    bool refreshed = false;
    QObject::connect(window.operationsPage(), &OperationsPage::refreshed, &window,
                     [&refreshed](bool ok) { refreshed = ok; });
    window.showPage(MainWindow::Page::Operations);
    // The country outlines are parsed on a worker the first time a map is shown.
    const WorldMapView *map = window.operationsPage()->findChild<WorldMapView *>();
    const bool statsShown =
        waitUntil([&] { return refreshed && map && map->hasOutlines(); }, kLoadTimeoutMs);
    waitUntil([] { return false; }, kSettleMs);
    const bool operationsSaved = shoot(window).save(QDir(folder).filePath(u"operations.png"_s));

    if (!chartShown)
        err << "isobar: screenshots: the Metrics page showed no chart in time\n";
    if (!statsShown)
        err << "isobar: screenshots: the Operations page did not load the stats in time\n";
    if (!metricsSaved || !operationsSaved)
        err << "isobar: screenshots: cannot write PNG files to " << folder << '\n';
    return chartShown && statsShown && metricsSaved && operationsSaved ? 0 : 1;
}

} // namespace

int runDesktop(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The desktop application: browse metrics and their charts, watch an "
        "Isobar API server, run one embedded."_s);
    parser.addHelpOption();
    const QCommandLineOption database(u"database"_s, u"Open this store instead of the last one."_s,
                                      u"file"_s);
    const QCommandLineOption startServer(u"start-server"_s, u"Start the embedded API server."_s);
    const QCommandLineOption screenshots(
        u"screenshots"_s,
        u"Open both pages, save DIR/metrics.png and DIR/operations.png once "
        "loaded, and quit (exit code 1 if a page did not load)."_s,
        u"dir"_s);
    const QCommandLineOption metric(u"metric"_s,
                                    u"Show this metric first, e.g. "
                                    "COVID-19_cases_casesByDay."_s,
                                    u"name"_s);
    parser.addOptions({database, startServer, metric, screenshots});
    parser.process(arguments);

    MainWindow window;
    window.restoreSession(parser.value(database), parser.isSet(startServer));
    if (parser.isSet(metric))
        window.metricsPage()->showMetric(parser.value(metric));
    if (parser.isSet(screenshots)) {
        window.setGeometry(0, 0, 1440, 900);
        window.show();
        return takeScreenshots(window, parser.value(screenshots));
    }
    window.show();
    return QApplication::exec();
}

} // namespace isobar
