// The main window as a user drives it: drop files to import them, the embedded server, the
// session kept across restarts. Offscreen, on a real SQLite file and a real port.
#include "EmbeddedServer.h"
#include "MainWindow.h"
#include "PaletteIcon.h"
#include "RemoteServerDialog.h"
#include "TestSupport.h"
#include "operations/OperationsPage.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

using namespace isobar;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void dropImportsAndReportsTheCounts();
    void dropRefusesWhatIsNotData();
    void importOfABrokenFileReportsTheFailure();
    void cancelledImportKeepsWhatItLoaded();
    void embeddedServerStartsServesAndStops();
    void iconsTakeThePalettesColour();
    void remoteServerNeedsAnHttpUrl();
    void sessionIsRestored();
    void f5RefreshesTheShownPage();
    void aTakenPortOffersAnotherOrTheRunningServer();
    void theWindowWatchesItsOwnServerWithTokensOn();
    void bothPagesFitASmallScreen();

private:
    static QMimeData *urlsOf(const QStringList &paths);
    static qint64 pointsIn(const QString &databasePath);
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    // QSettings and data folders go under ~/.qttest, never the user's real ones.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    QSettings().clear();
    QSettings().setValue(u"database/path"_s, m_dir.filePath(u"store.db"_s));
    QFile::remove(m_dir.filePath(u"store.db"_s));
}

QMimeData *TestMainWindow::urlsOf(const QStringList &paths)
{
    auto *mime = new QMimeData;
    QList<QUrl> urls;
    for (const QString &path : paths)
        urls << QUrl::fromLocalFile(path);
    mime->setUrls(urls);
    return mime;
}

qint64 TestMainWindow::pointsIn(const QString &databasePath)
{
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"count"_s);
        db.setDatabaseName(databasePath);
        if (db.open()) {
            QSqlQuery query(u"SELECT count(*) FROM point"_s, db);
            if (query.next())
                count = query.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(u"count"_s);
    return count;
}

void TestMainWindow::dropImportsAndReportsTheCounts()
{
    const QString json = test::sampleDataDir() + u"/json"_s;
    const QStringList files = {
        json + u"/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json"_s,
        json + u"/6-in-1_coverage_coverageByYear_CTRY_W92000004_all_all_5y.json"_s};
    // What `isobar ingest` reports for the same files, into a store of its own.
    QByteArray cliOutput;
    QCOMPARE(test::runIngest(m_dir.filePath(u"cli.db"_s), files, &cliOutput), 0);

    MainWindow window;
    window.restoreSession();
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    std::unique_ptr<QMimeData> mime(urlsOf(files));
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, mime.get(), Qt::LeftButton,
                          Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(finished.wait(30'000));

    const auto report = finished.at(0).at(0).value<IngestReport>();
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QCOMPARE(report.filesOk(), 2);
    QCOMPARE(report.filesFailed(), 0);
    QVERIFY(report.totals().inserted > 0);
    QCOMPARE(pointsIn(m_dir.filePath(u"store.db"_s)), report.totals().inserted);
    QCOMPARE(pointsIn(m_dir.filePath(u"store.db"_s)), pointsIn(m_dir.filePath(u"cli.db"_s)));
    // The same words as the command line, in the dialog's details.
    auto *box = window.findChild<QMessageBox *>(u"ImportReport"_s);
    QVERIFY(box);
    QCOMPARE(box->detailedText(), report.summary());
    const QByteArray cliPoints =
        "points: " + QByteArray::number(report.totals().inserted) + " inserted";
    QVERIFY2(cliOutput.contains(cliPoints), cliOutput.constData());
    QVERIFY2(box->text().startsWith(u"2 files loaded, 0 failed"_s), qPrintable(box->text()));
    QVERIFY2(
        box->informativeText().contains(QLocale().toString(report.totals().inserted) + u" new"_s),
        qPrintable(box->informativeText()));
}

void TestMainWindow::dropRefusesWhatIsNotData()
{
    MainWindow window;
    window.restoreSession();
    QFile text(m_dir.filePath(u"notes.txt"_s));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not data");
    text.close();
    for (const QList<QUrl> &urls : {QList<QUrl>{QUrl::fromLocalFile(text.fileName())},
                                    QList<QUrl>{QUrl(u"https://example.org/data.json"_s)}}) {
        QMimeData mime;
        mime.setUrls(urls);
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        enter.setAccepted(false);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY2(!enter.isAccepted(), qPrintable(urls.first().toString()));
    }
}

void TestMainWindow::importOfABrokenFileReportsTheFailure()
{
    QFile broken(m_dir.filePath(u"broken.json"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"theme\": \"infectious_disease\", \"data\": [");
    broken.close();
    const QString good = test::sampleDataDir()
                         + u"/json/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json"_s;

    MainWindow window;
    window.restoreSession();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    QVERIFY(window.importPaths({good, broken.fileName()}));
    QVERIFY(finished.wait(30'000));
    const auto report = finished.at(0).at(0).value<IngestReport>();
    QCOMPARE(report.filesOk(), 1);
    QCOMPARE(report.filesFailed(), 1);
    auto *box = window.findChild<QMessageBox *>(u"ImportReport"_s);
    QVERIFY(box);
    QCOMPARE(box->icon(), QMessageBox::Warning);
    QVERIFY2(box->text().startsWith(u"1 files loaded, 1 failed"_s), qPrintable(box->text()));
    QVERIFY(box->detailedText().contains(u"broken.json"_s));
    // The broken file changed nothing: only the good file's points are there.
    QCOMPARE(pointsIn(m_dir.filePath(u"store.db"_s)), report.totals().inserted);
}

void TestMainWindow::cancelledImportKeepsWhatItLoaded()
{
    MainWindow window;
    window.restoreSession();
    window.show();
    QSignalSpy finished(&window, &MainWindow::importFinished);
    QToolButton *cancel = nullptr;
    for (QToolButton *button : window.findChildren<QToolButton *>())
        if (button->accessibleName() == u"Cancel import")
            cancel = button;
    QVERIFY(cancel);
    QVERIFY(window.importPaths({test::sampleDataDir() + u"/json"_s}));  // 938 files
    QVERIFY(!window.importPaths({test::sampleDataDir() + u"/json"_s})); // one at a time
    QVERIFY(cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(finished.wait(60'000));
    const auto report = finished.at(0).at(0).value<IngestReport>();
    QVERIFY2(report.filesOk() < 938, "the import ran to the end despite the cancel");
    // What was committed before the cancel stays; the file being loaded was rolled back.
    QCOMPARE(pointsIn(m_dir.filePath(u"store.db"_s)), report.totals().inserted);
    auto *box = window.findChild<QMessageBox *>(u"ImportReport"_s);
    QVERIFY(box);
    QVERIFY2(box->text().contains(u"(cancelled)"_s), qPrintable(box->text()));
}

void TestMainWindow::iconsTakeThePalettesColour()
{
    const QPalette original = QGuiApplication::palette();
    const QIcon icon = paletteIcon(u"stop"_s);
    auto dominant = [&icon] {
        const QImage image = icon.pixmap(QSize(48, 48)).toImage();
        QColor strongest;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (const QColor c = image.pixelColor(x, y); c.alpha() == 255)
                    return c;
        return strongest;
    };
    QPalette red = original;
    red.setColor(QPalette::WindowText, Qt::red);
    QGuiApplication::setPalette(red);
    QCOMPARE(dominant(), QColor(Qt::red));
    QPalette blue = original;
    blue.setColor(QPalette::WindowText, Qt::blue);
    QGuiApplication::setPalette(blue);
    QCOMPARE(dominant(), QColor(Qt::blue)); // the same icon, painted anew
    QGuiApplication::setPalette(original);
}

void TestMainWindow::remoteServerNeedsAnHttpUrl()
{
    RemoteServerDialog dialog(u"Watch"_s, QUrl(u"ftp://example.org"_s), /*askToken=*/true);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    bool named = false;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        named = named || label->text().startsWith(u"Server URL"_s);
    QVERIFY(named);

    for (QLineEdit *field : dialog.findChildren<QLineEdit *>()) {
        if (field->accessibleName() == u"Server URL")
            field->setText(u"127.0.0.1:8080"_s); // what people type: the scheme is added
        if (field->accessibleName() == u"Bearer token") {
            QCOMPARE(field->echoMode(), QLineEdit::Password);
            field->setText(u"  abc.def.ghi "_s);
        }
    }
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.url(), QUrl(u"http://127.0.0.1:8080"_s));
    QCOMPARE(dialog.token(), u"abc.def.ghi"_s);
}

void TestMainWindow::embeddedServerStartsServesAndStops()
{
    // The settings refuse port 0: a port of its own, held until the test ends, so that no
    // other test takes it before the server listens or after it stops.
    const test::ReservedPort reserved(test::ReservedPort::Use::ForAListener);
    const quint16 port = reserved.port();
    QSettings().setValue(u"server/port"_s, port);
    MainWindow window;
    window.restoreSession();
    QSignalSpy states(window.server(), &EmbeddedServer::stateChanged);
    QVERIFY(window.startServer());
    QCOMPARE(window.server()->state(), EmbeddedServer::State::Running);
    QCOMPARE(window.server()->url().port(), int(port));

    const test::HttpReply health = test::HttpClient::request(port, "GET", "/health");
    QCOMPARE(health.status, 200);
    // The same store the window has open, served by the same code as `isobar serve`.
    const test::HttpReply themes =
        test::HttpClient::request(port, "GET", "/api/public/timeseries/themes/");
    QCOMPARE(themes.status, 200);

    // A second start while running is refused, the port stays with the first.
    QVERIFY(!window.server()->start(window.settings().serverConfig({})));

    window.stopServer();
    QTRY_COMPARE_WITH_TIMEOUT(window.server()->state(), EmbeddedServer::State::Stopped, 10'000);
    QTcpServer again;
    QVERIFY2(again.listen(QHostAddress::LocalHost, port), "the port is free after a stop");
    QCOMPARE(states.size(), 3); // Running, Stopping, Stopped
}

void TestMainWindow::sessionIsRestored()
{
    const QString other = m_dir.filePath(u"other.db"_s);
    {
        MainWindow window;
        window.restoreSession();
        QVERIFY(window.openDatabase(other));
        window.showPage(MainWindow::Page::Operations);
        window.resize(1111, 777);
        window.show();
        window.close();
    }
    MainWindow restored;
    restored.restoreSession();
    QCOMPARE(restored.currentPage(), MainWindow::Page::Operations);
    QCOMPARE(restored.databasePath(), QFileInfo(other).absoluteFilePath());
    QCOMPARE(restored.settings().recentDatabases.first(), QFileInfo(other).absoluteFilePath());
    QVERIFY(restored.settings().recentDatabases.contains(
        QFileInfo(m_dir.filePath(u"store.db"_s)).absoluteFilePath()));
    QCOMPARE(restored.size(), QSize(1111, 777));
}

void TestMainWindow::f5RefreshesTheShownPage()
{
    MainWindow window;
    window.restoreSession();
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.showPage(MainWindow::Page::Operations);
    QAction *refresh = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcut() == QKeySequence(QKeySequence::Refresh))
            refresh = action;
    }
    QVERIFY(refresh);
    // One owner of the key: a second one would make it ambiguous, and neither would run.
    QSignalSpy triggered(refresh, &QAction::triggered);
    QTest::keyClick(&window, Qt::Key_F5);
    QCOMPARE(triggered.size(), 1);
}

void TestMainWindow::aTakenPortOffersAnotherOrTheRunningServer()
{
    QTcpServer holder; // another program on the port the settings name
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    QSettings().setValue(u"server/port"_s, holder.serverPort());
    MainWindow window;
    window.restoreSession();
    auto offer = [&window]() -> QMessageBox * {
        return window.findChild<QMessageBox *>(u"PortInUse"_s);
    };
    auto button = [](QMessageBox *box, const QString &prefix) -> QAbstractButton * {
        for (QAbstractButton *b : box->buttons()) {
            if (b->text().startsWith(prefix))
                return b;
        }
        return nullptr;
    };

    // Watching the server that holds the port.
    QVERIFY(!window.startServer());
    QVERIFY(offer());
    QVERIFY2(offer()->text().contains(QString::number(holder.serverPort())),
             qPrintable(offer()->text()));
    button(offer(), u"Watch"_s)->click();
    QCOMPARE(window.currentPage(), MainWindow::Page::Operations);
    QCOMPARE(window.findChild<OperationsPage *>()->serverUrl().port(), int(holder.serverPort()));
    QTRY_VERIFY(!offer()); // closed and gone

    // Or starting on the next free port, which the settings keep.
    QVERIFY(!window.startServer());
    QAbstractButton *other = button(offer(), u"Use Port "_s);
    QVERIFY(other);
    const int suggested = other->text().mid(9).toInt();
    QVERIFY(suggested > holder.serverPort());
    other->click();
    QCOMPARE(window.server()->state(), EmbeddedServer::State::Running);
    QCOMPARE(window.server()->url().port(), suggested);
    QCOMPARE(window.settings().port, quint16(suggested));
    window.stopServer();
    QTRY_COMPARE_WITH_TIMEOUT(window.server()->state(), EmbeddedServer::State::Stopped, 10'000);
}

void TestMainWindow::theWindowWatchesItsOwnServerWithTokensOn()
{
    const test::ReservedPort reserved(test::ReservedPort::Use::ForAListener);
    {
        QSettings stored;
        DesktopSettings settings = DesktopSettings::load(stored);
        settings.port = reserved.port();
        settings.authMode = DesktopSettings::AuthMode::Oidc;
        // A provider nobody runs: no token of its could be verified.
        settings.oidcIssuer = QUrl(u"http://127.0.0.1:9/realms/isobar"_s);
        settings.oidcAudience = u"isobar"_s;
        settings.save(stored);
    }
    MainWindow window;
    window.restoreSession();
    QVERIFY(window.startServer());
    const QByteArray local = window.server()->localToken();
    QVERIFY(local.size() >= 40);
    // The server checks tokens: none, or any other, is refused; the window's own is not.
    const quint16 port = reserved.port();
    QCOMPARE(test::HttpClient::request(port, "GET", "/api/v1/stats/summary").status, 401);
    QCOMPARE(test::HttpClient::request(port, "GET", "/api/v1/stats/summary", {},
                                       "Authorization: Bearer " + local.chopped(1) + "x\r\n")
                 .status,
             401);
    QCOMPARE(test::HttpClient::request(port, "GET", "/api/v1/stats/summary", {},
                                       "Authorization: Bearer " + local + "\r\n")
                 .status,
             200);
    // So the Operations page reads its own server without anyone pasting a token.
    auto *page = window.findChild<OperationsPage *>();
    QSignalSpy refreshed(page, &OperationsPage::refreshed);
    page->refresh();
    QVERIFY(refreshed.wait(30'000));
    QVERIFY2(refreshed.last().at(0).toBool(), qPrintable(page->errorText()));

    // A new start, a new credential; the old one is worth nothing.
    window.stopServer();
    QTRY_COMPARE_WITH_TIMEOUT(window.server()->state(), EmbeddedServer::State::Stopped, 10'000);
    QVERIFY(window.server()->localToken().isEmpty());
    QVERIFY(window.startServer());
    QVERIFY(window.server()->localToken() != local);
    QCOMPARE(test::HttpClient::request(port, "GET", "/api/v1/stats/summary", {},
                                       "Authorization: Bearer " + local + "\r\n")
                 .status,
             401);
    window.stopServer();
    QTRY_COMPARE_WITH_TIMEOUT(window.server()->state(), EmbeddedServer::State::Stopped, 10'000);
}

void TestMainWindow::bothPagesFitASmallScreen()
{
    // 1024x640: a small laptop with a taskbar. Every page lays out within the window there,
    // nothing forced wider or taller than the screen.
    MainWindow window;
    window.restoreSession();
    window.resize(1024, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (const MainWindow::Page page : {MainWindow::Page::Metrics, MainWindow::Page::Operations}) {
        window.showPage(page);
        QCoreApplication::processEvents();
        const QSize needed = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(
            needed.width() <= 1024 && needed.height() <= 640,
            qPrintable(
                u"page %1 needs %2x%3"_s.arg(int(page)).arg(needed.width()).arg(needed.height())));
        QCOMPARE(window.size(), QSize(1024, 640));
        // Every toolbar button is on the bar, none behind its overflow arrow.
        auto *bar = window.findChild<QToolBar *>(u"MainToolBar"_s);
        QTRY_VERIFY(bar->sizeHint().width() <= bar->width());
    }
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
