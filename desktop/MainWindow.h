#pragma once

#include "DesktopSettings.h"
#include "IngestReport.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QActionGroup;
class QHostAddress;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QSystemTrayIcon;
class QToolBar;
class QToolButton;

namespace isobar {

class EmbeddedServer;
class IngestTask;
class MetricsPage;
class OperationsPage;

// The desktop's main window: the analysts' Metrics page and the ops' Operations page, the
// embedded API server, imports by drag and drop or File > Import, and the settings. Window
// geometry, toolbar and page state persist in QSettings; nothing secret is written there.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Page { Metrics, Operations };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Restores geometry, pages and the last database (or `databaseOverride`), and starts the
    // embedded server when the settings (or `startServer`) ask for it.
    void restoreSession(const QString &databaseOverride = {}, bool startServer = false);

    void showPage(Page page);
    Page currentPage() const;

    // Opens (creating it if needed) a local store for the Metrics page and the embedded server.
    bool openDatabase(const QString &path);
    QString databasePath() const { return m_settings.databasePath; }
    // Loads files and folders into the open store off the GUI thread; importFinished follows.
    bool importPaths(const QStringList &paths);

    bool startServer();
    void stopServer();

    MetricsPage *metricsPage() const { return m_metricsPage; }
    OperationsPage *operationsPage() const { return m_operationsPage; }
    EmbeddedServer *server() const { return m_server; }
    const DesktopSettings &settings() const { return m_settings; }

public Q_SLOTS:
    void showSettings();

Q_SIGNALS:
    void importFinished(const isobar::IngestReport &report, const QString &error);

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Whether something listens on the address and port already.
    static bool isPortTaken(const QHostAddress &address, quint16 port);
    // Says the port is taken, offering the next free one (kept in the settings) or to watch
    // the server that holds it on the Operations page.
    void offerAnotherPort(const QHostAddress &address, quint16 port);

    void createActions();
    void createPageActions();
    void createFileActions();
    void createEditActions();
    void createViewActions();
    void createServerActions();
    void chooseDatabase();
    void showAbout();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void createTrayIcon();
    void fillRecentMenu();
    void updateServerState();
    void updateWindowTitle();
    void watchRemoteServer();
    void openRemoteMetrics();
    void chooseImport(bool folders);
    void showImportReport(const IngestReport &report, const QString &error);
    void saveSession();
    void persistSettings();

    DesktopSettings m_settings;
    QStackedWidget *m_pages = nullptr;
    MetricsPage *m_metricsPage = nullptr;
    OperationsPage *m_operationsPage = nullptr;
    EmbeddedServer *m_server = nullptr;
    IngestTask *m_ingest = nullptr;
    QUrl m_remoteOperationsUrl; // set while watching a remote server (its token is not kept)

    QActionGroup *m_pageActions = nullptr;
    QAction *m_showMetrics = nullptr;
    QAction *m_showOperations = nullptr;
    QAction *m_openDatabase = nullptr;
    QAction *m_openRemote = nullptr;
    QAction *m_importFiles = nullptr;
    QAction *m_importFolder = nullptr;
    QAction *m_exportChart = nullptr;
    QAction *m_downloadData = nullptr;
    QAction *m_addCard = nullptr;
    QAction *m_shareValueAxis = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_find = nullptr;
    QAction *m_preferences = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_fullScreen = nullptr;
    QAction *m_startServer = nullptr;
    QAction *m_stopServer = nullptr;
    QAction *m_watchEmbedded = nullptr;
    QAction *m_watchRemote = nullptr;
    QAction *m_about = nullptr;
    QMenu *m_recentMenu = nullptr;

    QLabel *m_databaseLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QProgressBar *m_importProgress = nullptr;
    QToolButton *m_cancelImport = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QToolBar *m_toolBar = nullptr;
    // Below this width the toolbar's buttons show icons only, so that all of them fit.
    static constexpr int kToolBarTextWidth = 1200;
    bool m_quitting = false;
};

} // namespace isobar
