#pragma once

#include "StatsClient.h"
#include "StatsSummary.h"
#include "TimeRange.h"
#include "TimelineBucket.h"

#include <QUrl>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTabWidget;

namespace isobar {

class DropoffPanel;
class ErrorBanner;
class LatencyChart;
class RequestRateChart;
class StatTile;
class StatusClassChart;
class TimeRangeBar;
class UserActivityModel;
class WorldMapView;

// The ops page, as Grafana users know it: a time range and auto-refresh bar, stat tiles with
// thresholds, charts of status classes, latency and traffic, the world map of request
// geography and requests per user. It reads only the stats API (and /metrics) of the server it
// is given, the embedded one or a remote one, never a database.
class OperationsPage : public QWidget
{
    Q_OBJECT
public:
    explicit OperationsPage(QWidget *parent = nullptr);
    ~OperationsPage() override;

    // The server to watch: the embedded one (its URL, no token with --no-auth) or a remote one.
    // The token is kept in memory only, never written to QSettings or logs.
    void setServer(const QUrl &baseUrl, const QString &bearerToken = {});
    QUrl serverUrl() const;

    QByteArray saveState() const; // range, refresh interval, splitters, table sort
    bool restoreState(const QByteArray &state);

    // The message of the last refresh's failure, empty after a refresh that worked.
    QString errorText() const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    // A refresh is complete: every answer arrived (ok is false when any request failed).
    void refreshed(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildTiles();
    QWidget *buildReplicaPicker();
    QWidget *buildCharts();
    QWidget *buildMap();
    QWidget *buildUsers();
    // Requests per user and the drop-off's runs, as tabs beside the map.
    QWidget *buildTables();

    // Sends a request whose answer the page waits for (m_outstanding).
    void fetch(const QString &path, const QUrlQuery &query, StatsClient::Handler handler);
    void requestEndpointTimeline();
    void answered(const StatsClient::Reply &reply);
    void applySummary(const StatsSummary &summary);
    void applyCounters(const QByteArray &prometheusText);
    void fillEndpointPicker(const StatsSummary &summary);
    // The replicas that served the range, from a whole-fleet summary; hidden for one replica.
    void fillReplicaPicker(const StatsSummary &summary);
    // The range, narrowed to the chosen replica: what every stats request asks about.
    QUrlQuery statsScope() const;
    void clearFailedParts(const StatsClient::Reply &reply);
    void showError(const QString &message);
    void autoRefreshDue();

    StatsClient *m_client;
    TimeRangeBar *m_bar;
    ErrorBanner *m_banner;

    StatTile *m_requestsTile;
    StatTile *m_successTile;
    StatTile *m_latencyTile;
    StatTile *m_upstreamTile;
    StatTile *m_cacheTile;

    StatusClassChart *m_statusChart;
    LatencyChart *m_latencyChart;
    QComboBox *m_endpointPicker;
    QWidget *m_replicaRow;      // the replica picker and its label
    QComboBox *m_replicaPicker; // the whole fleet, or one replica of those sharing the store
    RequestRateChart *m_rateChart;
    WorldMapView *m_map;
    UserActivityModel *m_users;
    QSortFilterProxyModel *m_usersProxy;
    QTableView *m_usersView;
    QLineEdit *m_usersFilter;
    QTabWidget *m_tables;
    DropoffPanel *m_dropoff;

    QSplitter *m_rows;   // charts above, map and users below
    QSplitter *m_charts; // the three charts side by side
    QSplitter *m_bottom; // map | users and drop-off

    StatsSummary m_summary;
    Timeline m_timeline;           // all endpoints
    QLabel *m_usersNote = nullptr; // why the users table is empty
    int m_outstanding = 0;         // requests in flight
    bool m_refreshRunning = false; // refreshed() is due when m_outstanding reaches 0
    QString m_firstError;
    StatsClient::Failure m_worstFailure = StatsClient::Failure::None;
    QString m_errorText;
    bool m_fitMapPending = true;     // the next map answer zooms to its data (new server or range)
    bool m_refreshWhenShown = false; // an auto-refresh fell due while the page was hidden
};

} // namespace isobar
