#include "MainWindow.h"

#include "EmbeddedServer.h"
#include "FileDialogs.h"
#include "IngestTask.h"
#include "MetricsDatabase.h"
#include "PaletteIcon.h"
#include "RemoteServerDialog.h"
#include "SettingsDialog.h"
#include "credentials/AccuWeatherKeyProvider.h"
#include "metrics/MetricsPage.h"
#include "operations/OperationsPage.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTcpServer>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Files and folders a drop may hold: local paths only (a browser's URLs are not data files).
QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            return {};
        const QFileInfo info(url.toLocalFile());
        const QString suffix = info.suffix().toLower();
        if (info.isDir() || suffix == u"json" || suffix == u"csv")
            paths << info.absoluteFilePath();
        else
            return {};
    }
    return paths;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(u"MainWindow"_s);
    setWindowIcon(QIcon(u":/icons/isobar.svg"_s));
    setAcceptDrops(true);
    QSettings stored;
    m_settings = DesktopSettings::load(stored);

    m_metricsPage = new MetricsPage;
    m_operationsPage = new OperationsPage;
    m_pages = new QStackedWidget;
    m_pages->addWidget(m_metricsPage);
    m_pages->addWidget(m_operationsPage);
    setCentralWidget(m_pages);

    m_server = new EmbeddedServer(this);
    m_ingest = new IngestTask(this);
    connect(m_server, &EmbeddedServer::stateChanged, this, &MainWindow::updateServerState);
    connect(m_metricsPage, &MetricsPage::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_operationsPage, &OperationsPage::statusMessage, statusBar(),
            &QStatusBar::showMessage);

    createActions();
    createMenus();
    createToolBar();
    createStatusBar();
    createTrayIcon();

    connect(m_ingest, &IngestTask::progressed, this, [this](const IngestProgress &progress) {
        // Bytes move smoothly through big files; files count when sizes are unknown.
        if (progress.bytesTotal > 0) {
            m_importProgress->setMaximum(1000);
            m_importProgress->setValue(int(progress.bytesDone * 1000 / progress.bytesTotal));
        } else {
            m_importProgress->setMaximum(qMax(1, progress.filesTotal));
            m_importProgress->setValue(progress.filesDone);
        }
        m_importProgress->setFormat(
            tr("Importing %1 of %2 files").arg(progress.filesDone + 1).arg(progress.filesTotal));
    });
    connect(m_ingest, &IngestTask::finished, this, &MainWindow::showImportReport);

    resize(1280, 800);
    showPage(Page::Metrics);
    updateServerState();
    updateWindowTitle();
}

// The embedded server drains and its thread joins in EmbeddedServer's destructor; an import
// still running is cancelled and rolled back by IngestTask's.
MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    createPageActions();
    createFileActions();
    createEditActions();
    createViewActions();
    createServerActions();
    m_about = new QAction(tr("&About Isobar"), this);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createPageActions()
{
    m_showMetrics = new QAction(paletteIcon(u"metrics"_s), tr("&Metrics"), this);
    m_showMetrics->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_showMetrics->setStatusTip(tr("Browse metrics and their charts"));
    m_showOperations = new QAction(paletteIcon(u"operations"_s), tr("&Operations"), this);
    m_showOperations->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_showOperations->setStatusTip(tr("Watch the API server: status codes, latency, geography"));
    m_pageActions = new QActionGroup(this);
    for (QAction *action : {m_showMetrics, m_showOperations}) {
        action->setCheckable(true);
        m_pageActions->addAction(action);
    }
    connect(m_showMetrics, &QAction::triggered, this, [this] { showPage(Page::Metrics); });
    connect(m_showOperations, &QAction::triggered, this, [this] { showPage(Page::Operations); });
}

void MainWindow::createFileActions()
{
    m_openDatabase = new QAction(paletteIcon(u"open"_s), tr("&Open Database…"), this);
    m_openDatabase->setShortcut(QKeySequence::Open);
    m_openDatabase->setStatusTip(tr("Open or create a local metrics store"));
    connect(m_openDatabase, &QAction::triggered, this, &MainWindow::chooseDatabase);
    m_openRemote = new QAction(paletteIcon(u"remote"_s), tr("Open &Remote Server…"), this);
    m_openRemote->setStatusTip(tr("Browse the metrics of another Isobar server"));
    connect(m_openRemote, &QAction::triggered, this, &MainWindow::openRemoteMetrics);

    m_importFiles = new QAction(paletteIcon(u"import"_s), tr("&Import Files…"), this);
    m_importFiles->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_importFiles->setStatusTip(tr("Load UKHSA JSON or CSV files into the open database"));
    connect(m_importFiles, &QAction::triggered, this, [this] { chooseImport(false); });
    m_importFolder = new QAction(tr("Import &Folder…"), this);
    m_importFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(m_importFolder, &QAction::triggered, this, [this] { chooseImport(true); });

    m_exportChart = new QAction(paletteIcon(u"export"_s), tr("&Export Chart…"), this);
    m_exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportChart->setStatusTip(tr("Save the current chart as PNG or SVG"));
    connect(m_exportChart, &QAction::triggered, m_metricsPage, &MetricsPage::exportChart);
    m_downloadData = new QAction(paletteIcon(u"download"_s), tr("&Download Data…"), this);
    m_downloadData->setShortcut(QKeySequence::Save);
    m_downloadData->setStatusTip(tr("Save the current chart's data as CSV or JSON"));
    connect(m_downloadData, &QAction::triggered, m_metricsPage, &MetricsPage::downloadData);

    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, this, [this] {
        m_quitting = true;
        close();
    });
}

void MainWindow::createEditActions()
{
    m_find = new QAction(tr("&Find Metric"), this);
    m_find->setShortcut(QKeySequence::Find);
    connect(m_find, &QAction::triggered, this, [this] {
        showPage(Page::Metrics);
        m_metricsPage->focusSearch();
    });
    m_preferences = new QAction(paletteIcon(u"settings"_s), tr("&Settings…"), this);
    m_preferences->setShortcuts(
        {QKeySequence(QKeySequence::Preferences), QKeySequence(Qt::CTRL | Qt::Key_Comma)});
    m_preferences->setMenuRole(QAction::PreferencesRole);
    connect(m_preferences, &QAction::triggered, this, &MainWindow::showSettings);
}

void MainWindow::createViewActions()
{
    m_addCard = new QAction(paletteIcon(u"add-card"_s), tr("&Compare"), this);
    m_addCard->setShortcut(QKeySequence::AddTab);
    m_addCard->setStatusTip(tr("Add a chart card beside the others to compare"));
    connect(m_addCard, &QAction::triggered, m_metricsPage, &MetricsPage::addCard);
    m_shareValueAxis = new QAction(tr("Same &Value Axis on All Cards"), this);
    m_shareValueAxis->setCheckable(true);
    m_shareValueAxis->setStatusTip(
        tr("Draw every card's values on one scale, so that compared cards' heights compare"));
    connect(m_shareValueAxis, &QAction::toggled, m_metricsPage, &MetricsPage::setSharedValueAxis);

    m_refresh = new QAction(paletteIcon(u"refresh"_s), tr("&Refresh"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    connect(m_refresh, &QAction::triggered, this, [this] {
        if (currentPage() == Page::Operations)
            m_operationsPage->refresh();
        else
            m_metricsPage->reload();
    });
    m_fullScreen = new QAction(tr("&Full Screen"), this);
    m_fullScreen->setShortcut(QKeySequence::FullScreen);
    m_fullScreen->setCheckable(true);
    connect(m_fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });
}

void MainWindow::createServerActions()
{
    m_startServer = new QAction(paletteIcon(u"start"_s), tr("&Start Server"), this);
    m_startServer->setStatusTip(tr("Serve the open database's API from this computer"));
    connect(m_startServer, &QAction::triggered, this, &MainWindow::startServer);
    m_stopServer = new QAction(paletteIcon(u"stop"_s), tr("S&top Server"), this);
    connect(m_stopServer, &QAction::triggered, this, &MainWindow::stopServer);
    m_watchEmbedded = new QAction(tr("Watch the &Embedded Server"), this);
    connect(m_watchEmbedded, &QAction::triggered, this, [this] {
        m_remoteOperationsUrl.clear();
        m_settings.operationsServerUrl.clear();
        persistSettings();
        updateServerState();
    });
    m_watchRemote = new QAction(tr("Watch a &Remote Server…"), this);
    connect(m_watchRemote, &QAction::triggered, this, &MainWindow::watchRemoteServer);
}

void MainWindow::chooseDatabase()
{
    // A save dialog, so that a store can be created as well as opened.
    const QString path = FileDialogs::saveFileName(
        this, tr("Open Database"), QFileInfo(m_settings.databasePath).absolutePath(),
        tr("SQLite databases (*.db *.sqlite);;All files (*)"), nullptr,
        QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        openDatabase(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Isobar"),
        tr("<h3>Isobar %1</h3><p>Public-health metrics for analysts, and the API server "
           "that serves them to web clients and watches.</p><p>Country outlines: Natural "
           "Earth (public domain).</p>")
            .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openDatabase);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addAction(m_openRemote);
    file->addSeparator();
    file->addAction(m_importFiles);
    file->addAction(m_importFolder);
    file->addSeparator();
    file->addAction(m_exportChart);
    file->addAction(m_downloadData);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_find);
    edit->addSeparator();
    edit->addAction(m_preferences);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_showMetrics);
    view->addAction(m_showOperations);
    view->addSeparator();
    view->addAction(m_addCard);
    view->addAction(m_shareValueAxis);
    view->addAction(m_refresh);
    view->addSeparator();
    view->addAction(m_fullScreen);

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    server->addAction(m_startServer);
    server->addAction(m_stopServer);
    server->addSeparator();
    server->addAction(m_watchEmbedded);
    server->addAction(m_watchRemote);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    m_toolBar = bar;
    bar->setObjectName(u"MainToolBar"_s); // saveState() needs a name
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(m_showMetrics);
    bar->addAction(m_showOperations);
    bar->addSeparator();
    bar->addAction(m_openDatabase);
    bar->addAction(m_importFiles);
    bar->addAction(m_addCard);
    bar->addAction(m_exportChart);
    bar->addSeparator();
    bar->addAction(m_refresh);
    bar->addAction(m_startServer);
    bar->addAction(m_stopServer);
    bar->addAction(m_preferences);
}

void MainWindow::createStatusBar()
{
    m_databaseLabel = new QLabel;
    m_databaseLabel->setAccessibleName(tr("Open database"));
    m_serverLabel = new QLabel;
    m_serverLabel->setAccessibleName(tr("Embedded server state"));
    m_importProgress = new QProgressBar;
    m_importProgress->setMaximumWidth(260);
    m_importProgress->setTextVisible(true);
    m_importProgress->setAccessibleName(tr("Import progress"));
    m_cancelImport = new QToolButton;
    m_cancelImport->setText(tr("Cancel"));
    m_cancelImport->setAccessibleName(tr("Cancel import"));
    connect(m_cancelImport, &QToolButton::clicked, m_ingest, &IngestTask::cancel);
    m_importProgress->hide();
    m_cancelImport->hide();
    statusBar()->addPermanentWidget(m_importProgress);
    statusBar()->addPermanentWidget(m_cancelImport);
    statusBar()->addPermanentWidget(m_databaseLabel);
    statusBar()->addPermanentWidget(m_serverLabel);
}

void MainWindow::createTrayIcon()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(windowIcon(), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show Isobar"), this, [this] {
        showNormal();
        activateWindow();
    });
    menu->addAction(m_stopServer);
    menu->addSeparator();
    menu->addAction(m_quit);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger) {
                    showNormal();
                    activateWindow();
                }
            });
}

void MainWindow::restoreSession(const QString &databaseOverride, bool startServer)
{
    QSettings stored;
    restoreGeometry(stored.value(u"window/geometry"_s).toByteArray());
    restoreState(stored.value(u"window/state"_s).toByteArray());
    m_metricsPage->restoreState(stored.value(u"metrics/state"_s).toByteArray());
    m_shareValueAxis->setChecked(m_metricsPage->sharesValueAxis());
    m_operationsPage->restoreState(stored.value(u"operations/state"_s).toByteArray());
    showPage(stored.value(u"window/page"_s).toString() == u"operations" ? Page::Operations
                                                                        : Page::Metrics);
    openDatabase(databaseOverride.isEmpty() ? m_settings.databasePath : databaseOverride);
    // A remote server watched last time is watched again; its token was not kept, so a server
    // that checks tokens answers 401 until one is given again (Server > Watch a Remote Server).
    if (!m_settings.operationsServerUrl.isEmpty()) {
        m_remoteOperationsUrl = m_settings.operationsServerUrl;
        m_operationsPage->setServer(m_remoteOperationsUrl);
    }
    if (startServer || m_settings.startServerOnLaunch)
        this->startServer();
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(page == Page::Metrics ? 0 : 1);
    (page == Page::Metrics ? m_showMetrics : m_showOperations)->setChecked(true);
    const bool metrics = page == Page::Metrics;
    for (QAction *action : {m_exportChart, m_downloadData, m_addCard})
        action->setEnabled(metrics);
    if (!metrics)
        m_operationsPage->refresh();
}

MainWindow::Page MainWindow::currentPage() const
{
    return m_pages->currentIndex() == 0 ? Page::Metrics : Page::Operations;
}

bool MainWindow::openDatabase(const QString &path)
{
    // Created (and migrated) here with the writer's schema: the page only ever reads, and the
    // embedded server and imports write to the same file.
    QDir().mkpath(QFileInfo(path).absolutePath());
    QString error;
    {
        MetricsDatabase store;
        if (!store.open(path))
            error = store.errorString();
    }
    if (!error.isEmpty() || !m_metricsPage->openDatabase(path, &error)) {
        QMessageBox::warning(this, tr("Open Database"),
                             tr("Cannot open %1:\n%2").arg(QDir::toNativeSeparators(path), error));
        return false;
    }
    m_settings.databasePath = QFileInfo(path).absoluteFilePath();
    m_settings.rememberDatabase(path);
    persistSettings();
    updateWindowTitle();
    // The embedded server keeps the store it started with until it is restarted.
    if (m_server->state() == EmbeddedServer::State::Running)
        statusBar()->showMessage(
            tr("The server still serves the previous database until it is restarted"), 8000);
    return true;
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &path : std::as_const(m_settings.recentDatabases)) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        action->setEnabled(QFileInfo::exists(path));
        connect(action, &QAction::triggered, this, [this, path] { openDatabase(path); });
    }
    if (m_recentMenu->isEmpty())
        m_recentMenu->addAction(tr("No recent databases"))->setEnabled(false);
}

void MainWindow::chooseImport(bool folders)
{
    QStringList paths;
    if (folders) {
        const QString folder =
            FileDialogs::existingDirectory(this, tr("Import Folder"), QDir::homePath());
        if (!folder.isEmpty())
            paths << folder;
    } else {
        paths = FileDialogs::openFileNames(this, tr("Import Files"), QDir::homePath(),
                                           tr("UKHSA data (*.json *.csv)"));
    }
    if (!paths.isEmpty())
        importPaths(paths);
}

bool MainWindow::importPaths(const QStringList &paths)
{
    if (m_ingest->isRunning()) {
        statusBar()->showMessage(tr("An import is already running"), 5000);
        return false;
    }
    m_ingest->start(m_settings.databasePath, paths);
    m_importProgress->setRange(0, 0);
    m_importProgress->setFormat(tr("Importing…"));
    m_importProgress->show();
    m_cancelImport->show();
    m_importFiles->setEnabled(false);
    m_importFolder->setEnabled(false);
    return true;
}

void MainWindow::showImportReport(const IngestReport &report, const QString &error)
{
    m_importProgress->hide();
    m_cancelImport->hide();
    m_importFiles->setEnabled(true);
    m_importFolder->setEnabled(true);
    m_metricsPage->reload();

    auto *box = new QMessageBox(this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(u"ImportReport"_s);
    box->setWindowTitle(tr("Import"));
    if (!error.isEmpty()) {
        box->setIcon(QMessageBox::Critical);
        box->setText(tr("Cannot open the database: %1").arg(error));
    } else {
        const WriteCounts totals = report.totals();
        const QLocale locale;
        box->setIcon(report.filesFailed() > 0 ? QMessageBox::Warning : QMessageBox::Information);
        box->setText(tr("%1 files loaded, %2 failed%3.")
                         .arg(report.filesOk())
                         .arg(report.filesFailed())
                         .arg(m_ingest->isCanceled() ? tr(" (cancelled)") : QString()));
        box->setInformativeText(
            tr("%1 records: %2 new, %3 updated, %4 unchanged, %5 skipped.")
                .arg(locale.toString(totals.records()), locale.toString(totals.inserted),
                     locale.toString(totals.updated), locale.toString(totals.unchanged),
                     locale.toString(totals.skipped)));
        box->setDetailedText(report.summary()); // the same report as `isobar ingest`
    }
    box->open();
    Q_EMIT importFinished(report, error);
}

bool MainWindow::startServer()
{
    if (const QString problem = m_settings.problem(); !problem.isEmpty()) {
        QMessageBox::warning(this, tr("Start Server"), problem);
        return false;
    }
    // Looked up once per start, like `isobar serve`: a file or variable set for containers
    // wins over the keychain. Only where it came from is ever shown.
    const AccuWeatherKeyProvider::Resolution key = AccuWeatherKeyProvider().resolve();
    const ServerConfig config = m_settings.serverConfig([secret = key.key] { return secret; });
    if (!m_server->start(config)) {
        if (isPortTaken(config.bind, config.port))
            offerAnotherPort(config.bind, config.port);
        else
            QMessageBox::warning(this, tr("Start Server"),
                                 tr("The server could not start: %1").arg(m_server->errorString()));
        return false;
    }
    if (key.key.isEmpty())
        statusBar()->showMessage(
            tr("No AccuWeather key: weather requests will fail (Settings ▸ Weather)"), 10000);
    return true;
}

bool MainWindow::isPortTaken(const QHostAddress &address, quint16 port)
{
    QTcpServer probe;
    return !probe.listen(address, port)
           && probe.serverError() == QAbstractSocket::AddressInUseError;
}

void MainWindow::offerAnotherPort(const QHostAddress &address, quint16 port)
{
    // The next free port above, which the settings keep if the user takes it.
    quint16 free = 0;
    for (quint32 candidate = quint32(port) + 1; candidate <= 65535 && candidate <= port + 100u;
         ++candidate) {
        if (!isPortTaken(address, quint16(candidate))) {
            free = quint16(candidate);
            break;
        }
    }
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Start Server"),
                        tr("Port %1 is already in use on %2.").arg(port).arg(address.toString()),
                        QMessageBox::Cancel, this);
    box->setObjectName(u"PortInUse"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(tr("Another program, or another Isobar, serves there. Start this "
                               "server on another port, or watch the server that is running."));
    QPushButton *other =
        free ? box->addButton(tr("Use Port %1").arg(free), QMessageBox::AcceptRole) : nullptr;
    QPushButton *watch = box->addButton(tr("Watch the Running Server"), QMessageBox::ActionRole);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, other, watch, address, port, free](QAbstractButton *clicked) {
                if (clicked == other) {
                    m_settings.port = free;
                    persistSettings();
                    startServer();
                } else if (clicked == watch) {
                    QUrl url;
                    url.setScheme(u"http"_s);
                    // A wildcard bind is reached on this machine's loopback.
                    url.setHost(address.isEqual(QHostAddress::Any, QHostAddress::TolerantConversion)
                                    ? u"127.0.0.1"_s
                                    : address.toString());
                    url.setPort(port);
                    url.setPath(u"/"_s);
                    m_remoteOperationsUrl = url;
                    m_settings.operationsServerUrl = url;
                    persistSettings();
                    m_operationsPage->setServer(url);
                    showPage(Page::Operations);
                }
            });
    box->open();
}

void MainWindow::stopServer()
{
    m_server->stop();
}

void MainWindow::updateServerState()
{
    const EmbeddedServer::State state = m_server->state();
    m_startServer->setEnabled(state == EmbeddedServer::State::Stopped);
    m_stopServer->setEnabled(state == EmbeddedServer::State::Running);
    m_serverLabel->setText(m_server->describe());
    if (m_tray) {
        m_tray->setToolTip(m_server->describe());
        m_tray->setVisible(m_settings.keepServerInTray && state != EmbeddedServer::State::Stopped);
    }
    // The Operations page follows the embedded server unless a remote one was chosen.
    if (m_remoteOperationsUrl.isEmpty())
        m_operationsPage->setServer(m_server->url(), QString::fromLatin1(m_server->localToken()));
}

void MainWindow::watchRemoteServer()
{
    RemoteServerDialog dialog(tr("Watch a Remote Server"), m_settings.operationsServerUrl,
                              /*askToken=*/true, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_remoteOperationsUrl = dialog.url();
    m_settings.operationsServerUrl = dialog.url(); // the token stays in memory only
    persistSettings();
    m_operationsPage->setServer(dialog.url(), dialog.token());
    showPage(Page::Operations);
}

void MainWindow::openRemoteMetrics()
{
    RemoteServerDialog dialog(tr("Open Remote Server"), m_settings.operationsServerUrl,
                              /*askToken=*/false, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_metricsPage->openRemote(dialog.url());
    setWindowTitle(tr("%1 — Isobar").arg(dialog.url().toString()));
    showPage(Page::Metrics);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_settings, Keychain(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString previousDatabase = m_settings.databasePath;
    const DesktopSettings chosen = dialog.settings();
    m_settings = chosen;
    persistSettings();
    if (chosen.databasePath != previousDatabase)
        openDatabase(chosen.databasePath);
    updateServerState();
    if (m_server->state() == EmbeddedServer::State::Running)
        statusBar()->showMessage(tr("Server settings apply when the server is restarted"), 8000);
}

void MainWindow::updateWindowTitle()
{
    const QFileInfo database(m_settings.databasePath);
    setWindowTitle(tr("%1 — Isobar").arg(database.fileName()));
    m_databaseLabel->setText(database.fileName());
    m_databaseLabel->setToolTip(QDir::toNativeSeparators(database.absoluteFilePath()));
}

void MainWindow::persistSettings()
{
    QSettings stored;
    m_settings.save(stored);
}

void MainWindow::saveSession()
{
    QSettings stored;
    stored.setValue(u"window/geometry"_s, saveGeometry());
    stored.setValue(u"window/state"_s, saveState());
    stored.setValue(u"window/page"_s,
                    currentPage() == Page::Operations ? u"operations"_s : u"metrics"_s);
    stored.setValue(u"metrics/state"_s, m_metricsPage->saveState());
    stored.setValue(u"operations/state"_s, m_operationsPage->saveState());
    m_settings.save(stored);
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    // Narrow windows keep every button on the toolbar by dropping their text (each keeps its
    // tooltip), rather than hiding the last ones behind an overflow arrow.
    m_toolBar->setToolButtonStyle(width() < kToolBarTextWidth ? Qt::ToolButtonIconOnly
                                                              : Qt::ToolButtonTextBesideIcon);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSession();
    // With the tray option, closing the window leaves the server serving.
    if (!m_quitting && m_tray && m_tray->isVisible()) {
        hide();
        m_tray->showMessage(tr("Isobar"), tr("The server keeps running; quit from this icon."));
        event->ignore();
        return;
    }
    if (m_ingest->isRunning()) {
        m_ingest->cancel();
        statusBar()->showMessage(tr("Cancelling the import…"));
    }
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importPaths(paths);
}

void MainWindow::changeEvent(QEvent *event)
{
    // Qt 6.4 has no colour-scheme API: a theme switch arrives as a palette change. The icons
    // take the palette's colour when painted, so a repaint is all they need.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ThemeChange)
        for (QToolBar *bar : findChildren<QToolBar *>())
            bar->update();
    QMainWindow::changeEvent(event);
}

} // namespace isobar
