// bench_desktop_first_chart: how long the desktop's Metrics page takes from openDatabase() to
// its first chart on screen, on a large store (bench/run-desktop.sh: 10 million points).
//
//   bench_desktop_first_chart --database FILE [--runs N]
//
// Each run builds a fresh MetricsPage (a fresh worker thread and connection, as opening a
// database in the window does), opens the store and waits for the first card's ChartView to
// paint: the catalogue read, the default metric's series read, the chart build and the paint.
// The reference, measured in the same run: the same series' points read by one plain QtSql
// query on a fresh connection, with nothing drawn. Prints p50 and max of both in ms, the ratio,
// when the navigator's tree was filled, and one line `first_chart_ms=... reference_ms=...`.

#include "ChartCard.h"
#include "ChartView.h"
#include "MetricNavigator.h"
#include "MetricTreeModel.h"
#include "MetricsPage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

struct PageTimes {
    double catalogueMs = -1; // the navigator's tree filled
    double chartMs = -1;     // the first card's chart painted
    SeriesSelection shown;
};

PageTimes timeFirstChart(const QString &database)
{
    PageTimes times;
    MetricsPage page;
    page.resize(1440, 900);
    page.show();
    QCoreApplication::processEvents(); // the empty page is on screen before the clock starts

    QEventLoop loop;
    QElapsedTimer clock;
    auto *view = page.currentCard()->findChild<ChartView *>();
    QObject::connect(page.navigator()->model(), &QAbstractItemModel::rowsInserted, &loop, [&] {
        if (times.catalogueMs < 0)
            times.catalogueMs = clock.nsecsElapsed() / 1e6;
    });
    QObject::connect(view, &ChartView::chartPainted, &loop, [&] {
        times.chartMs = clock.nsecsElapsed() / 1e6;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    clock.start();
    QString error;
    if (!page.openDatabase(database, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return times;
    }
    loop.exec();
    times.shown = page.currentCard()->selection();
    return times;
}

// The same series the page showed, read by one query on a fresh connection.
double timeReference(const QString &database, const SeriesSelection &shown, int *rows)
{
    QElapsedTimer clock;
    clock.start();
    double ms = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"reference"_s);
        db.setDatabaseName(database);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            query.prepare(
                u"SELECT p.day, p.value FROM point p JOIN series s ON s.id = p.series_id"
                " JOIN metric m ON m.id = s.metric_id JOIN geography g ON g.id = s.geography_id"
                " WHERE m.name = ? AND g.name = ? ORDER BY p.day"_s);
            query.addBindValue(shown.series.metric);
            query.addBindValue(shown.series.geography);
            *rows = 0;
            if (query.exec()) {
                while (query.next())
                    ++*rows;
            }
            ms = clock.nsecsElapsed() / 1e6;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"reference"_s);
    return ms;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? -1 : values[values.size() / 2];
}

double maximum(const QList<double> &values)
{
    return values.isEmpty() ? -1 : *std::max_element(values.begin(), values.end());
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"database"_s, u"the store to open"_s, u"file"_s});
    parser.addOption(
        {u"runs"_s, u"measured runs after one warm-up (default 10)"_s, u"n"_s, u"10"_s});
    parser.process(app);
    const QString database = parser.value(u"database"_s);
    const int runs = std::max(1, parser.value(u"runs"_s).toInt());
    if (database.isEmpty()) {
        std::fprintf(stderr, "--database is required\n");
        return 2;
    }

    // One warm-up: the first open pays for the file's pages entering the OS cache, once.
    const PageTimes warmup = timeFirstChart(database);
    if (warmup.chartMs < 0) {
        std::fprintf(stderr, "no chart was painted\n");
        return 1;
    }
    QList<double> charts, catalogues, references;
    int rows = 0;
    for (int i = 0; i < runs; ++i) {
        const PageTimes times = timeFirstChart(database);
        charts << times.chartMs;
        catalogues << times.catalogueMs;
        references << timeReference(database, times.shown, &rows);
    }
    const SeriesQuery &s = warmup.shown.series;
    std::printf("first chart: %s at %s (%d points in the store, %d runs after a warm-up)\n",
                qPrintable(s.metric), qPrintable(s.geography), rows, runs);
    std::printf("  page: openDatabase -> chart painted  p50 %8.1f ms  max %8.1f ms  (target < "
                "300 ms)\n",
                median(charts), maximum(charts));
    std::printf("        of which catalogue in tree     p50 %8.1f ms\n", median(catalogues));
    std::printf("  reference: plain QtSql read          p50 %8.1f ms  max %8.1f ms\n",
                median(references), maximum(references));
    std::printf("  ratio page/reference p50: %.1f\n", median(charts) / median(references));
    std::printf("first_chart_ms=%.1f reference_ms=%.1f catalogue_ms=%.1f\n", median(charts),
                median(references), median(catalogues));
    return 0;
}
