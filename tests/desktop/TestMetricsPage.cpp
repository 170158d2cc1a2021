#include "CatalogueCrawl.h"
#include "ChartCard.h"
#include "ChartPalette.h"
#include "ChartStyle.h"
#include "ChartView.h"
#include "Ingestor.h"
#include "MetricNavigator.h"
#include "MetricTitles.h"
#include "MetricTreeModel.h"
#include "MetricUnit.h"
#include "MetricsDatabase.h"
#include "MetricsPage.h"
#include "RemoteMetricsSource.h"
#include "SeriesTableModel.h"
#include "TestSupport.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QValueAxis>
#include <QXmlStreamReader>
#include <map>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

const QString kDailyCases = u"new_cases_daily"_s;
const QString kCoverage = u"6-in-1_coverage_coverageByYear"_s;

// new_cases_daily for England, straight from the bundled CSV: date -> value ("NA" rows skipped).
std::map<QDate, double> dailyCasesFromFile()
{
    std::map<QDate, double> values;
    QFile file(isobar::test::sampleDataDir() + u"/respiratory_2023.csv");
    if (!file.open(QIODevice::ReadOnly))
        return values;
    file.readLine(); // header
    while (!file.atEnd()) {
        const QList<QByteArray> cells = file.readLine().trimmed().split(',');
        // parent_theme,child_theme,topic,geography_type,geography,metric_name,stratum,sex,
        // period,year,epiweek,date,metric_value
        if (cells.size() < 13 || cells[5] != kDailyCases.toLatin1() || cells[12] == "NA")
            continue;
        const QDate date = QDate::fromString(QString::fromLatin1(cells[11]), u"d/M/yyyy");
        values[date] = cells[12].toDouble();
    }
    return values;
}

QComboBox *combo(QWidget *page, const QString &accessibleName)
{
    for (QComboBox *box : page->findChildren<QComboBox *>()) {
        if (box->accessibleName() == accessibleName)
            return box;
    }
    return nullptr;
}

// Picks an item the way a user does: the combo reports `activated`, not only a new index.
bool choose(QComboBox *box, const QString &text)
{
    const int index = box->findText(text);
    if (index < 0)
        return false;
    box->setCurrentIndex(index);
    Q_EMIT box->activated(index);
    return true;
}

bool chooseMetric(MetricsPage &page, const QString &metric)
{
    MetricNavigator *navigator = page.navigator();
    const QModelIndexList found =
        navigator->model()->match(navigator->model()->index(0, 0), MetricTreeModel::MetricRole,
                                  metric, 1, Qt::MatchExactly | Qt::MatchRecursive);
    if (found.isEmpty())
        return false;
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(navigator->tree()->model());
    navigator->tree()->setCurrentIndex(proxy->mapFromSource(found.first()));
    // Moving to a row chooses nothing: Enter (or a click) does.
    QTest::keyClick(navigator->tree(), Qt::Key_Return);
    return true;
}

QList<std::pair<QDate, double>> tableRows(ChartCard *card)
{
    const QAbstractItemModel *model = card->findChild<QTableView *>()->model();
    QList<std::pair<QDate, double>> rows;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        rows.append({index.data(SeriesTableModel::DateRole).toDate(),
                     index.data(SeriesTableModel::ValueRole).toDouble()});
    }
    return rows;
}

bool catalogueShown(MetricsPage &page)
{
    return page.navigator()->model()->rowCount() > 0;
}

bool settled(MetricsPage &page)
{
    return catalogueShown(page) && page.currentCard()->selection().hasMetric()
           && !page.currentCard()->isLoading();
}

} // namespace

// An HTTP server that answers every request with the same JSON, and counts the requests.
class FixedJsonServer : public QTcpServer
{
public:
    explicit FixedJsonServer(QByteArray body)
        : m_body(std::move(body))
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_received += socket->readAll();
                    if (!m_received.contains("\r\n\r\n"))
                        return;
                    m_received.clear();
                    ++m_requests;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Connection: close\r\nContent-Length: "
                                  + QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    int requests() const { return m_requests; }

private:
    QByteArray m_body;
    QByteArray m_received;
    int m_requests = 0;
};

class TestMetricsPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database;

    // A page on the sample store, showing `metric` (at England) over all its dates.
    void openAt(MetricsPage &page, const QString &metric)
    {
        QString error;
        QVERIFY2(page.openDatabase(m_database, &error), qPrintable(error));
        page.resize(1400, 900);
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        QVERIFY(chooseMetric(page, metric));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        QCOMPARE(page.currentCard()->selection().series.metric, metric);
        QVERIFY(choose(combo(&page, u"Period"_s), u"All"_s));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true); // renamed titles go to a test settings file
        QSettings().remove(u"metrics/titles"_s);
        m_database = m_dir.filePath(u"sample.db"_s);
        MetricsDatabase store;
        QVERIFY2(store.open(m_database), qPrintable(store.errorString()));
        Ingestor ingestor(store.connection());
        const IngestReport report = ingestor.ingest({isobar::test::sampleDataDir()});
        QCOMPARE(report.filesFailed(), 0);
        QVERIFY(report.totals().inserted > 0);
    }

    void opensOnTheFirstMetricWithAPeriodThatShowsIt()
    {
        MetricsPage page;
        QString error;
        QVERIFY(!page.openDatabase(m_dir.filePath(u"missing.db"_s), &error));
        QVERIFY(error.contains(u"missing.db"));
        QVERIFY2(page.openDatabase(m_database, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        ChartCard *card = page.currentCard();
        QCOMPARE(card->selection().series.metric,
                 page.navigator()->firstMetric().metric); // shown without a click
        QCOMPARE(card->selection().series.geography, u"England"_s);
        // 6-in-1 coverage has one figure a year: a one-year period would keep one point, so
        // the card opens on all of them.
        QCOMPARE(card->selection().period, std::optional<Period>(Period::All));
        QVERIFY(card->shownPoints().size() > 1);
    }

    void anUnreadableStoreSaysSoInABanner()
    {
        // A copy: this case damages its store.
        const QString path = m_dir.filePath(u"damaged.db"_s);
        QVERIFY(QFile::copy(m_database, path));
        MetricsPage page;
        QString error;
        QVERIFY2(page.openDatabase(path, &error), qPrintable(error));
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        auto *banner = page.findChild<QLabel *>(u"errorBanner"_s);
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());

        MetricsDatabase store;
        QVERIFY(store.open(path));
        QSqlQuery damage(store.connection());
        QVERIFY(damage.exec(u"ALTER TABLE theme RENAME TO theme_gone"_s));
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 30000);
        QVERIFY2(banner->text().contains(u"the store cannot be read"), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(u"damaged.db"));

        QVERIFY(damage.exec(u"ALTER TABLE theme_gone RENAME TO theme"_s));
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 30000);
    }

    void choosingAMetricShowsItsChartAndTable()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        ChartCard *card = page.currentCard();
        const std::map<QDate, double> file = dailyCasesFromFile();
        QVERIFY(file.size() > 200);

        // The table: every value of the file, newest first.
        const QList<std::pair<QDate, double>> rows = tableRows(card);
        QCOMPARE(rows.size(), qsizetype(file.size()));
        QCOMPARE(rows.constFirst().first, file.rbegin()->first);
        for (const auto &[date, value] : rows)
            QCOMPARE(value, file.at(date));

        // The chart: the builder's QChart, whose last drawn point is the file's latest value.
        auto *view = card->findChild<ChartView *>();
        QVERIFY(view->chartScene());
        QChart *chart = nullptr;
        for (QGraphicsItem *item : view->chartScene()->items()) {
            if (auto *found = dynamic_cast<QChart *>(item))
                chart = found;
        }
        QVERIFY(chart);
        double latestDrawn = -1;
        qreal latestX = 0;
        for (QAbstractSeries *series : chart->series()) {
            // The line is drawn as areas (the trend-shaded latest week among them); the
            // reporting-delay band spans the plot's height, not the data.
            auto *area = qobject_cast<QAreaSeries *>(series);
            if (area && area->name() != u"Reporting delay") {
                for (const QPointF &p : area->upperSeries()->points()) {
                    if (p.x() >= latestX && p.y() > 0) {
                        latestX = p.x();
                        latestDrawn = p.y();
                    }
                }
            }
        }
        QCOMPARE(latestDrawn, file.rbegin()->second);

        // The latest figure rounded, with separators; the trend beside it with the 7-day total
        // it compares.
        const QList<QLabel *> labels = card->findChildren<QLabel *>();
        auto labelNamed = [&labels](const QString &name) {
            const auto found = std::find_if(labels.cbegin(), labels.cend(), [&name](QLabel *l) {
                return l->accessibleName() == name;
            });
            return found == labels.cend() ? QString() : (*found)->text();
        };
        QCOMPARE(labelNamed(u"Latest value"_s),
                 formatMetricValue(file.rbegin()->second, MetricUnit::Number, 0));
        QVERIFY2(labelNamed(u"Trend"_s).contains(u"7-day total "_s),
                 qPrintable(labelNamed(u"Trend"_s)));

        // The header names the area and the last date.
        QCOMPARE(card->shownPoints().constLast().date, file.rbegin()->first);
        QVERIFY(card->findChild<QLabel *>(u"cardTitle"_s)->text().contains(u"England"));
        QCOMPARE(card->findChild<QLabel *>(u"lastUpdated"_s)->text(),
                 u"Up to and including "_s
                     + QLocale().toString(file.rbegin()->first, QLocale::LongFormat));
    }

    void hoverTooltipNamesDateAndValue()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        auto *view = page.currentCard()->findChild<ChartView *>();
        QTRY_VERIFY_WITH_TIMEOUT(view->chartScene(), 30000);
        const QList<PublicPoint> points = page.currentCard()->shownPoints();
        // The right edge of the plot is the latest date.
        QChart *chart = nullptr;
        for (QGraphicsItem *item : view->chartScene()->items()) {
            if (auto *found = dynamic_cast<QChart *>(item))
                chart = found;
        }
        QVERIFY(chart);
        const QPoint rightEdge = view->mapFromScene(chart->mapToScene(
            chart->plotArea().topRight() + QPointF(-1, chart->plotArea().height() / 2)));
        const QString tip = view->toolTipAt(rightEdge);
        QVERIFY2(tip.contains(formatMetricValue(points.constLast().value, MetricUnit::Number, 0)),
                 qPrintable(tip));
        QVERIFY(tip.contains(QLocale().toString(points.constLast().date, QLocale::LongFormat)));
        QVERIFY(view->toolTipAt(QPoint(1, 1)).isEmpty()); // outside the plot

        // The readout stays while the pointer does: no tooltip to time out, the zoom hint in
        // the status bar instead.
        QVERIFY(view->toolTip().isEmpty());
        QVERIFY(view->statusTip().contains(u"zoom"));
        QTest::mouseMove(view->viewport(), rightEdge);
        QTRY_COMPARE(view->hoverText(), tip);
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(view, &leave);
        QVERIFY(view->hoverText().isEmpty());

        // Dragging across the plot zooms in; resetting restores.
        const QRectF plot =
            QRectF(view->mapFromScene(chart->mapToScene(chart->plotArea())).boundingRect());
        view->zoomToRange(int(plot.left() + plot.width() / 4), int(plot.right() - 10));
        QVERIFY(view->isZoomed());
        // The zoomed chart is drawn anew: round value ticks from zero, calendar date ticks.
        QChart *zoomed = nullptr;
        for (QGraphicsItem *item : view->chartScene()->items()) {
            if (auto *found = dynamic_cast<QChart *>(item))
                zoomed = found;
        }
        QVERIFY(zoomed && zoomed != chart);
        auto *values = qobject_cast<QValueAxis *>(zoomed->axes(Qt::Vertical).value(0));
        QVERIFY(values);
        QCOMPARE(values->min(), 0.0);
        const double step = values->max() / (values->tickCount() - 1);
        const double mantissa = step / std::pow(10, std::floor(std::log10(step)));
        QVERIFY2(QList<double>({1, 2, 2.5, 5}).contains(mantissa),
                 qPrintable(QString::number(step)));
        auto *dates = qobject_cast<QCategoryAxis *>(zoomed->axes(Qt::Horizontal).value(0));
        QVERIFY(dates && !dates->categoriesLabels().isEmpty());
        QVERIFY(dates->min() > ChartStyle::dateX(points.constFirst().date)); // narrowed
        view->resetZoom();
        QVERIFY(!view->isZoomed());
    }

    void areaSelectorCascadesAndClears()
    {
        MetricsPage page;
        openAt(page, kCoverage);
        QComboBox *type = combo(&page, u"Area type"_s);
        QComboBox *area = combo(&page, u"Area"_s);
        QCOMPARE(type->currentText(), u"Nation"_s);
        QCOMPARE(area->currentText(), u"England"_s);
        QVERIFY(type->count() > 1);

        const QString other = u"Upper Tier Local Authority"_s;
        QVERIFY(choose(type, other));
        // A new type clears the name and offers only that type's areas.
        QCOMPARE(area->currentIndex(), -1);
        QCOMPARE(page.currentCard()->selection().series.geography, QString());
        const QStringList expected =
            page.navigator()->model()->areas(page.currentCard()->selection().series, other);
        QCOMPARE(area->count(), int(expected.size()));
        QVERIFY(area->findText(u"England"_s) < 0);
        QCOMPARE(area->itemText(0), expected.first());

        QVERIFY(choose(area, expected.first()));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        ChartCard *card = page.currentCard();
        QCOMPARE(card->selection().series.geographyType, other);
        QVERIFY(!card->shownPoints().isEmpty());
        for (const PublicPoint &point : card->shownPoints())
            QCOMPARE(point.series->geography, expected.first());
    }

    void opensOnACombinationThatHasData()
    {
        // England's case rates come by age for males and by age for everyone, but not for
        // all ages of everyone: "all" and "all" would show nothing.
        const QString rates = u"COVID-19_cases_rateRollingMean"_s;
        MetricsPage page;
        openAt(page, rates);
        ChartCard *card = page.currentCard();
        QVERIFY(!card->shownPoints().isEmpty());
        QCOMPARE(card->selection().age, u"all"_s);
        QCOMPARE(card->selection().sex, u"Male"_s);
        // The navigator says which choices hold data with the others.
        QComboBox *sex = combo(&page, u"Sex"_s);
        QComboBox *age = combo(&page, u"Age"_s);
        QCOMPARE(sex->currentData().toString(), u"Male"_s);
        QCOMPARE(sex->itemText(sex->findData(u"all"_s)), u"all (no data)"_s);
        const int under10 = age->findData(u"05-09"_s);
        QCOMPARE(age->itemText(under10), u"05-09 (no data)"_s); // no males of 5 to 9
        QCOMPARE(age->itemText(age->findData(u"00-04"_s)), u"00-04"_s);

        // Choosing a value without data moves the others to where it has some.
        age->setCurrentIndex(under10);
        Q_EMIT age->activated(under10);
        QCOMPARE(card->selection().age, u"05-09"_s);
        QCOMPARE(card->selection().sex, u"all"_s);
        QVERIFY(!card->shownPoints().isEmpty());
        QCOMPARE(sex->currentData().toString(), u"all"_s);
        QCOMPARE(sex->itemText(sex->findData(u"Male"_s)), u"Male (no data)"_s);
    }

    void periodFilterChangesTheRange()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        ChartCard *card = page.currentCard();
        const std::map<QDate, double> file = dailyCasesFromFile();
        const QDate first = file.begin()->first;
        const QDate last = file.rbegin()->first;
        QCOMPARE(tableRows(card).constLast().first, first); // All: the file's first date

        QVERIFY(choose(combo(&page, u"Period"_s), u"1 month"_s));
        QList<std::pair<QDate, double>> rows = tableRows(card);
        QCOMPARE(rows.constFirst().first, last);
        QCOMPARE(rows.constLast().first, file.lower_bound(last.addMonths(-1).addDays(1))->first);

        QVERIFY(choose(combo(&page, u"Period"_s), u"3 months"_s));
        rows = tableRows(card);
        QCOMPARE(rows.constFirst().first, last);
        QCOMPARE(rows.constLast().first, file.lower_bound(last.addMonths(-3).addDays(1))->first);
        QVERIFY(rows.constLast().first < last.addMonths(-2));
    }

    void metricsAreListedAndSearchedByTitle()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        MetricNavigator *navigator = page.navigator();
        QTreeView *tree = navigator->tree();
        const QAbstractItemModel *shown = tree->model();
        // The metrics the tree shows now, by stored name.
        auto visibleMetrics = [shown] {
            QStringList names;
            const QModelIndexList all =
                shown->match(shown->index(0, 0), MetricTreeModel::MetricRole, u"?*"_s, -1,
                             Qt::MatchWildcard | Qt::MatchRecursive);
            for (const QModelIndex &index : all)
                names << index.data(MetricTreeModel::MetricRole).toString();
            return names;
        };
        auto itemOf = [shown](const QString &metric) {
            return shown
                ->match(shown->index(0, 0), MetricTreeModel::MetricRole, metric, 1,
                        Qt::MatchExactly | Qt::MatchRecursive)
                .value(0);
        };
        const QStringList everything = visibleMetrics();
        QVERIFY(everything.contains(kCoverage));
        // Titles, not identifiers; the stored name in the tooltip.
        const QModelIndex byAge = itemOf(u"weekly_hospital_admissions_rate_by_age"_s);
        QCOMPARE(byAge.data().toString(), u"Weekly hospital admissions rate by age"_s);
        QVERIFY(byAge.data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"weekly_hospital_admissions_rate_by_age"_s));
        QCOMPARE(tree->textElideMode(), Qt::ElideMiddle);
        // The navigator widens with its splitter, and its rows with it.
        auto *splitter = page.findChild<QSplitter *>();
        QCOMPARE(splitter->widget(0), navigator);
        splitter->setSizes({700, 700});
        QTRY_VERIFY(navigator->width() >= 650);
        QTRY_VERIFY(tree->visualRect(tree->currentIndex()).right() > 600);
        QVERIFY(page.currentCard()
                    ->findChild<QLabel *>(u"cardTitle"_s)
                    ->text()
                    .startsWith(u"New cases daily, England"_s));

        // Word by word, in titles, names and the levels above, whatever the case.
        page.focusSearch();
        QTest::keyClicks(navigator->searchField(), u"hospital admissions"_s);
        QStringList found = visibleMetrics();
        QVERIFY(found.contains(u"weekly_hospital_admissions_rate_by_age"_s));
        QVERIFY(!found.contains(kDailyCases));
        for (const QString &name : found)
            QVERIFY2(name.contains(u"hospital_admissions"), qPrintable(name));
        // Narrowing the tree leaves the card alone: it changes on a click or Enter only.
        QCOMPARE(page.currentCard()->selection().series.metric, kDailyCases);

        navigator->searchField()->clear();
        QTest::keyClicks(navigator->searchField(), u"covid CASES"_s);
        found = visibleMetrics();
        QVERIFY(found.contains(kDailyCases));
        QVERIFY(found.contains(u"COVID-19_cases_casesByDay"_s));
        QVERIFY(!found.contains(u"weekly_positivity"_s));
        for (const QString &name : found)
            QVERIFY2(name.contains(u"cases", Qt::CaseInsensitive), qPrintable(name));

        // Nothing found says so instead of an empty box.
        QTest::keyClicks(navigator->searchField(), u" zebra"_s);
        QVERIFY(visibleMetrics().isEmpty());
        QVERIFY(!tree->isVisibleTo(navigator));
        const QList<QLabel *> labels = navigator->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [navigator](QLabel *label) {
            return label->isVisibleTo(navigator) && label->text().contains(u"covid CASES zebra");
        }));

        // Down moves into the results without choosing; Enter there chooses.
        navigator->searchField()->clear();
        QTest::keyClicks(navigator->searchField(), u"coverage by year"_s);
        QVERIFY(tree->isVisibleTo(navigator));
        QTest::keyClick(navigator->searchField(), Qt::Key_Down);
        const QString first = tree->currentIndex().data(MetricTreeModel::MetricRole).toString();
        QVERIFY2(first.contains(u"coverageByYear"), qPrintable(first));
        QCOMPARE(page.currentCard()->selection().series.metric, kDailyCases);
        QTest::keyClick(tree, Qt::Key_Return);
        QCOMPARE(page.currentCard()->selection().series.metric, first);

        // Enter in the search box opens the first result.
        navigator->searchField()->clear();
        QTest::keyClicks(navigator->searchField(), u"new cases daily"_s);
        QTest::keyClick(navigator->searchField(), Qt::Key_Return);
        QCOMPARE(page.currentCard()->selection().series.metric, kDailyCases);
        navigator->searchField()->clear();
        QCOMPARE(visibleMetrics().size(), everything.size());
    }

    // The dashboard's headline numbers: listed beside the charts and shown as number cards, with
    // their unit, period and, for a change, its direction in the trend's colour.
    void headlineMetricsAreNumberCards()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        const QModelIndexList found = page.navigator()->model()->match(
            page.navigator()->model()->index(0, 0), MetricTreeModel::MetricRole,
            u"COVID-19_headline_cases_7DayTotals"_s, 1, Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        QVERIFY2(found.first().data().toString().endsWith(u"(headline)"),
                 qPrintable(found.first().data().toString()));

        ChartCard *card = page.currentCard();
        auto *figure = card->findChild<QLabel *>(u"headlineFigure"_s);
        auto *period = card->findChild<QLabel *>(u"headlinePeriod"_s);
        auto *direction = card->findChild<QLabel *>(u"headlineDirection"_s);
        QVERIFY(figure && period && direction);
        QVERIFY(!figure->isVisible()); // a chart card shows its chart

        QVERIFY(chooseMetric(page, u"COVID-19_headline_cases_7DayTotals"_s));
        QTRY_VERIFY_WITH_TIMEOUT(card->shownHeadline().has_value(), 30000);
        QVERIFY(figure->isVisible());
        QCOMPARE(figure->text(), u"6,276"_s);
        QVERIFY(!combo(&page, u"Period"_s)->isEnabled()); // a figure has its own period
        QVERIFY2(period->text().contains(u"26") && period->text().contains(u"2023"),
                 qPrintable(period->text()));
        QVERIFY(direction->text().isEmpty()); // a total has no direction
        QVERIFY(card->shownPoints().isEmpty());

        const QString path = m_dir.filePath(u"headline.csv"_s);
        QString error;
        QVERIFY2(card->writeData(path, SeriesExport::Format::Csv, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray csv = file.readAll();
        QVERIFY2(csv.contains("period_start") && csv.contains("6276.0000"), csv.constData());

        // A fall in cases is good news: green, as the dashboard colours it.
        QVERIFY(chooseMetric(page, u"COVID-19_headline_cases_7DayPercentChange"_s));
        QTRY_COMPARE_WITH_TIMEOUT(figure->text(), u"-17.7%"_s, 30000);
        QVERIFY2(direction->text().contains(u"Decrease")
                     && direction->text().contains(ChartPalette::trendPositive().name()),
                 qPrintable(direction->text()));

        // Ages are offered as for a chart; each shows its own figure.
        QVERIFY(chooseMetric(page, u"influenza_headline_positivityLatest"_s));
        QTRY_COMPARE_WITH_TIMEOUT(figure->text(), u"1.4%"_s, 30000);
        QCOMPARE(card->selection().age, u"all"_s);
        QVERIFY(choose(combo(&page, u"Age"_s), u"15-44"_s));
        QTRY_COMPARE_WITH_TIMEOUT(figure->text(), u"0.4%"_s, 30000);

        // Back to a time series: the chart again.
        QVERIFY(chooseMetric(page, kDailyCases));
        QTRY_VERIFY_WITH_TIMEOUT(!card->shownPoints().isEmpty(), 30000);
        QVERIFY(!figure->isVisible());
        QVERIFY(!card->shownHeadline());
        QVERIFY(combo(&page, u"Period"_s)->isEnabled());
    }

    void aRenamedMetricIsListedSearchedAndTitledByItsNewName()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        MetricTitles *titles = page.navigator()->titles();
        const QString topic = page.currentCard()->selection().series.topic;
        titles->rename(topic, kDailyCases, u"  Daily   confirmed cases "_s);
        QCOMPARE(page.navigator()->tree()->currentIndex().data().toString(),
                 u"Daily confirmed cases"_s);
        QVERIFY(page.currentCard()
                    ->findChild<QLabel *>(u"cardTitle"_s)
                    ->text()
                    .startsWith(u"Daily confirmed cases, England"_s));
        QTest::keyClicks(page.navigator()->searchField(), u"confirmed"_s);
        QCOMPARE(page.navigator()
                     ->tree()
                     ->model()
                     ->match(page.navigator()->tree()->model()->index(0, 0),
                             MetricTreeModel::MetricRole, u"?*"_s, -1,
                             Qt::MatchWildcard | Qt::MatchRecursive)
                     .size(),
                 1);
        // Kept for the next window; an empty title restores the derived one.
        QCOMPARE(MetricTitles().title(topic, kDailyCases), u"Daily confirmed cases"_s);
        titles->rename(topic, kDailyCases, {});
        QCOMPARE(MetricTitles().title(topic, kDailyCases), u"New cases daily"_s);
        QVERIFY(!titles->isRenamed(topic, kDailyCases));
    }

    void downloadWritesTheShownPointsAsCsv()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        QVERIFY(choose(combo(&page, u"Period"_s), u"1 month"_s));
        ChartCard *card = page.currentCard();
        const QList<PublicPoint> shown = card->shownPoints();
        const QString path = m_dir.filePath(u"download.csv"_s);
        QString error;
        QVERIFY2(card->writeData(path, SeriesExport::Format::Csv, &error), qPrintable(error));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), shown.size() + 1);
        const QList<QByteArray> header = lines[0].trimmed().split(',');
        const qsizetype dateColumn = header.indexOf("date");
        const qsizetype valueColumn = header.indexOf("metric_value");
        const qsizetype geographyColumn = header.indexOf("geography");
        QVERIFY(dateColumn >= 0 && valueColumn >= 0 && geographyColumn >= 0);
        const std::map<QDate, double> fromFile = dailyCasesFromFile();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> cells = lines[i].trimmed().split(',');
            const QDate date =
                QDate::fromString(QString::fromLatin1(cells[dateColumn]), Qt::ISODate);
            QCOMPARE(date, shown[i - 1].date);
            QCOMPARE(cells[valueColumn].toDouble(), fromFile.at(date));
            QCOMPARE(cells[geographyColumn], QByteArray("England"));
        }
    }

    void exportWritesAReportReadyChart()
    {
        MetricsPage page;
        openAt(page, kDailyCases);
        ChartCard *card = page.currentCard();
        QString error;
        // At the size chosen, whatever the card's, with what a report needs around the plot.
        const QString png = m_dir.filePath(u"chart.png"_s);
        QVERIFY2(card->exportChart(png, ChartFormat::Png, {1200, 675}, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1200, 675));
        const QString svg = m_dir.filePath(u"chart.svg"_s);
        QVERIFY2(card->exportChart(svg, ChartFormat::Svg, {800, 450}, &error), qPrintable(error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QXmlStreamReader xml(bytes);
        QStringList texts;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"text")
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
        }
        QVERIFY(!xml.hasError());
        const QString all = texts.join(u'|');
        const QString last = QLocale(QLocale::English, QLocale::UnitedKingdom)
                                 .toString(card->shownPoints().constLast().date, u"d MMMM yyyy"_s);
        QVERIFY2(all.contains(u"New cases daily, England"), qPrintable(all)); // title
        QVERIFY2(all.contains(u"COVID-19 · Nation ·"), qPrintable(all));      // subtitle
        QVERIFY2(all.contains(u"Source: UKHSA data in sample.db, data up to " + last),
                 qPrintable(all));
        QVERIFY2(texts.contains(u"Date"), qPrintable(all)); // the x axis's title
        QVERIFY(bytes.contains("<svg width=\"800\" height=\"450\""));
        // Value labels as UKHSA writes them: thousands separated, no exponent.
        QVERIFY2(std::any_of(texts.cbegin(), texts.cend(),
                             [](const QString &t) { return t.endsWith(u",000"); }),
                 qPrintable(all));
        QVERIFY2(!all.contains(u"e+"), qPrintable(all));

        // Nothing to export: an error, no file.
        MetricsPage empty;
        QVERIFY(!empty.currentCard()->exportChart(m_dir.filePath(u"none.png"_s), ChartFormat::Png,
                                                  {800, 450}, &error));
        QVERIFY(!QFile::exists(m_dir.filePath(u"none.png"_s)));
    }

    void cardsCompareAndStateRoundTrips()
    {
        QByteArray state;
        {
            MetricsPage page;
            openAt(page, kCoverage);
            page.addCard();
            QCOMPARE(page.cards().size(), 2);
            QCOMPARE(page.currentCard(), page.cards().at(1));
            QVERIFY(choose(combo(&page, u"Area"_s), u"Scotland"_s));
            QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
            // The first card still shows England: each card keeps its own selection.
            QCOMPARE(page.cards().at(0)->selection().series.geography, u"England"_s);
            QCOMPARE(page.cards().at(1)->selection().series.geography, u"Scotland"_s);
            state = page.saveState();
        }
        MetricsPage restored;
        QVERIFY(restored.restoreState(state));
        QVERIFY(!restored.restoreState("not a state"));
        QString error;
        QVERIFY(restored.openDatabase(m_database, &error));
        QCOMPARE(restored.cards().size(), 2);
        QCOMPARE(restored.currentCard(), restored.cards().at(1));
        QTRY_VERIFY_WITH_TIMEOUT(!restored.cards().at(1)->shownPoints().isEmpty(), 30000);
        QCOMPARE(restored.cards().at(1)->shownPoints().constFirst().series->geography,
                 u"Scotland"_s);
        QCOMPARE(restored.cards().at(0)->selection().series.geography, u"England"_s);
    }

    void comparedCardsCanShareTheirValueAxis()
    {
        // Daily cases and daily deaths: tens of thousands against hundreds.
        MetricsPage page;
        openAt(page, kDailyCases);
        page.addCard();
        QVERIFY(chooseMetric(page, u"new_deaths_daily"_s));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        QVERIFY(choose(combo(&page, u"Period"_s), u"All"_s));
        // The cards' titles tell them apart.
        auto title = [](ChartCard *card) {
            return card->findChild<QLabel *>(u"cardTitle"_s)->text();
        };
        QVERIFY(title(page.cards().at(0)) != title(page.cards().at(1)));
        auto valueAxis = [](ChartCard *card) {
            QGraphicsScene *scene = card->findChild<ChartView *>()->chartScene();
            for (QGraphicsItem *item : scene->items()) {
                if (auto *chart = dynamic_cast<QChart *>(item))
                    return std::pair(
                        qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0))->min(),
                        qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0))->max());
            }
            return std::pair(-1.0, -1.0);
        };
        double largest = 0;
        for (ChartCard *card : page.cards()) {
            for (const PublicPoint &point : card->shownPoints())
                largest = std::max(largest, point.value);
        }
        // Each card fits its own data...
        QVERIFY(valueAxis(page.cards().at(1)).second < largest / 10);
        // ...or both share one scale from zero to a round number above the largest value.
        page.setSharedValueAxis(true);
        const auto shared = valueAxis(page.cards().at(0));
        QCOMPARE(valueAxis(page.cards().at(1)), shared);
        QCOMPARE(shared.first, 0.0);
        QVERIFY(shared.second >= largest && shared.second < 2.5 * largest);
        // It holds for a card's later changes, and survives a restart.
        QVERIFY(choose(combo(&page, u"Period"_s), u"1 month"_s));
        QCOMPARE(valueAxis(page.cards().at(1)), shared);
        MetricsPage restored;
        QVERIFY(restored.restoreState(page.saveState()));
        QVERIFY(restored.sharesValueAxis());
        page.setSharedValueAxis(false);
        QVERIFY(valueAxis(page.cards().at(1)).second < largest / 10);
    }

    // `isobar --metric NAME`: asked before the catalogue has arrived, shown once it has; a name
    // the store does not hold leaves the first metric and says so.
    void showMetricByName()
    {
        MetricsPage page;
        page.showMetric(kDailyCases);
        QString error;
        QVERIFY2(page.openDatabase(m_database, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(settled(page), 30000);
        QCOMPARE(page.currentCard()->selection().series.metric, kDailyCases);

        MetricsPage other;
        other.showMetric(u"no_such_metric"_s);
        QSignalSpy otherMessages(&other, &MetricsPage::statusMessage);
        QVERIFY(other.openDatabase(m_database, &error));
        QTRY_VERIFY_WITH_TIMEOUT(settled(other), 30000);
        QVERIFY(other.currentCard()->selection().hasMetric());
        QVERIFY(other.currentCard()->selection().series.metric != u"no_such_metric"_s);
        bool said = false;
        for (const QList<QVariant> &message : std::as_const(otherMessages))
            said = said || message.at(0).toString().contains(u"no_such_metric"_s);
        QVERIFY(said);
    }

    void crawlFindsWhatTheCatalogueLists_data()
    {
        QTest::addColumn<QString>("mount");
        QTest::newRow("UKHSA's path") << u"/api/public/timeseries/"_s;
        QTest::newRow("the root, as UKHSA's public mode") << u"/"_s;
    }

    // A server with only UKHSA's public API is crawled by its links, wherever it is mounted: the
    // same time series as Isobar's one answer (whose headline metrics no link leads to).
    void crawlFindsWhatTheCatalogueLists()
    {
        QFETCH(QString, mount);
        isobar::test::ServerProcess server;
        QVERIFY2(
            server.start(m_database, {u"--rate-limit"_s, u"0"_s, u"--public-api-mount"_s, mount}),
            server.output().constData());
        RemoteMetricsSource source(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.port())));
        QNetworkAccessManager network;
        QFuture<CatalogueResult> crawled = (new CatalogueCrawl(source, network))->start();
        QFuture<CatalogueResult> listed = source.catalogue();
        QTRY_VERIFY_WITH_TIMEOUT(crawled.isFinished() && listed.isFinished(), 60000);
        QCOMPARE(crawled.result().error, QString());
        QCOMPARE(listed.result().error, QString());
        QList<CatalogueEntry> timeSeries = listed.result().entries;
        timeSeries.removeIf(
            [](const CatalogueEntry &e) { return e.kind != SeriesKind::TimeSeries; });
        QVERIFY(timeSeries.size() > 100);
        QVERIFY(timeSeries.size() < listed.result().entries.size());
        QCOMPARE(crawled.result().entries, timeSeries);
    }

    // The links are the server's to write but not to point anywhere: one that leaves the
    // server's origin ends the crawl, and the other host is never asked.
    void crawlStaysOnTheServer()
    {
        FixedJsonServer elsewhere("[]");
        FixedJsonServer server("{\"links\":{\"themes\":\"http://127.0.0.1:"
                               + QByteArray::number(elsewhere.serverPort()) + "/themes/\"}}");
        RemoteMetricsSource source(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
        QNetworkAccessManager network;
        QFuture<CatalogueResult> crawled = (new CatalogueCrawl(source, network))->start();
        QTRY_VERIFY_WITH_TIMEOUT(crawled.isFinished(), 30000);
        QVERIFY2(crawled.result().error.contains(u"links outside itself"_s),
                 qPrintable(crawled.result().error));
        QCOMPARE(server.requests(), 1);
        QCOMPARE(elsewhere.requests(), 0);
    }

    void remoteSourceShowsTheSameNumbers()
    {
        isobar::test::ServerProcess server;
        QVERIFY2(server.start(m_database), server.output().constData());

        MetricsPage local;
        openAt(local, kDailyCases);

        MetricsPage remote;
        remote.openRemote(QUrl(u"http://127.0.0.1:%1/"_s.arg(server.port())));
        QTRY_VERIFY_WITH_TIMEOUT(settled(remote), 90000);
        QCOMPARE(remote.navigator()->model()->catalogue(), local.navigator()->model()->catalogue());
        QVERIFY(chooseMetric(remote, kDailyCases));
        QTRY_VERIFY_WITH_TIMEOUT(settled(remote) && !remote.currentCard()->shownPoints().isEmpty(),
                                 30000);
        QVERIFY(choose(combo(&remote, u"Period"_s), u"All"_s));
        QCOMPARE(tableRows(remote.currentCard()), tableRows(local.currentCard()));
        QCOMPARE(remote.currentCard()->selection(), local.currentCard()->selection());

        // A headline figure, through downloads/v2.
        for (MetricsPage *page : {&local, &remote})
            QVERIFY(chooseMetric(*page, u"COVID-19_headline_cases_7DayTotals"_s));
        QTRY_VERIFY_WITH_TIMEOUT(local.currentCard()->shownHeadline().has_value()
                                     && remote.currentCard()->shownHeadline().has_value(),
                                 30000);
        const PublicHeadline there = *remote.currentCard()->shownHeadline();
        const PublicHeadline here = *local.currentCard()->shownHeadline();
        QCOMPARE(there.value, here.value);
        QCOMPARE(there.periodStart, here.periodStart);
        QCOMPARE(there.periodEnd, here.periodEnd);
    }
};

QTEST_MAIN(TestMetricsPage)
#include "TestMetricsPage.moc"
