#include "OperationsPage.h"

#include "DropoffPanel.h"
#include "ErrorBanner.h"
#include "LatencyChart.h"
#include "RequestRateChart.h"
#include "ServerCounters.h"
#include "StatTile.h"
#include "StatusClassChart.h"
#include "TimeRangeBar.h"
#include "UserActivityModel.h"
#include "map/MapCell.h"
#include "map/WorldMapView.h"
#include "monitoring/PrometheusExposition.h"
#include "monitoring/StatsJson.h"

#include <QComboBox>
#include <QDataStream>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

const QString kSummaryPath = u"/api/v1/stats/summary"_s;
const QString kTimelinePath = u"/api/v1/stats/timeline"_s;
const QString kGeographyPath = u"/api/v1/stats/geography"_s;
const QString kUsersPath = u"/api/v1/stats/users"_s;
const QString kIngestRunsPath = u"/api/v1/ingest/runs"_s;
// How many of the drop-off's latest runs the table shows.
constexpr int kIngestRunsLimit = 200;
// How many subjects the table asks for: the busiest first.
constexpr int kUsersLimit = 1000;
constexpr int kMessageTimeoutMs = 5000;

constexpr quint32 kOperationsStateMagic = 0x4f505331; // "OPS1"
constexpr quint8 kOperationsStateVersion = 1;

// Marks requests of the per-endpoint latency timeline, told apart from the page-wide one.
const QString kEndpointParameter = u"endpoint"_s;

// Which failure the banner names when several requests fail at once: the one that tells the
// user what to change.
int severity(StatsClient::Failure failure)
{
    switch (failure) {
    case StatsClient::Failure::Unauthorized:
    case StatsClient::Failure::Forbidden:
        return 3;
    case StatsClient::Failure::Unreachable:
    case StatsClient::Failure::TimedOut:
        return 2;
    case StatsClient::Failure::HttpError:
    case StatsClient::Failure::BadAnswer:
        return 1;
    case StatsClient::Failure::None:
        break;
    }
    return 0;
}

QString percent(double ratio)
{
    return QLocale().toString(ratio * 100, 'f', 1) + u'%';
}

QString milliseconds(double ms)
{
    return StatTile::tr("%1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 1 : 0));
}

} // namespace

OperationsPage::OperationsPage(QWidget *parent)
    : QWidget(parent)
    , m_client(new StatsClient(this))
    , m_bar(new TimeRangeBar(this))
    , m_banner(new ErrorBanner(this))
{
    setAccessibleName(tr("Operations"));

    m_rows = new QSplitter(Qt::Vertical, this);
    m_rows->setChildrenCollapsible(false);
    m_rows->addWidget(buildCharts());
    m_bottom = new QSplitter(Qt::Horizontal, m_rows);
    m_bottom->setChildrenCollapsible(false);
    m_bottom->addWidget(buildMap());
    m_bottom->addWidget(buildTables());
    m_bottom->setStretchFactor(0, 3);
    m_bottom->setStretchFactor(1, 2);
    m_rows->addWidget(m_bottom);
    m_rows->setObjectName(u"rowsSplitter"_s);
    m_charts->setObjectName(u"chartsSplitter"_s);
    m_bottom->setObjectName(u"bottomSplitter"_s);

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_bar, 1);
    top->addWidget(buildReplicaPicker());
    layout->addLayout(top);
    layout->addWidget(m_banner);
    layout->addWidget(buildTiles());
    layout->addWidget(m_rows, 1);

    connect(m_bar, &TimeRangeBar::rangeChanged, this, [this] {
        m_fitMapPending = true;
        refresh();
    });
    connect(m_bar, &TimeRangeBar::refreshRequested, this, &OperationsPage::refresh);
    // A span dragged across any chart over time becomes the range, as in Grafana.
    for (OperationsChart *chart : {static_cast<OperationsChart *>(m_statusChart),
                                   static_cast<OperationsChart *>(m_latencyChart),
                                   static_cast<OperationsChart *>(m_rateChart)})
        connect(chart, &OperationsChart::timeRangeSelected, this, [this](qint64 from, qint64 to) {
            m_bar->setRange(TimeRange::custom(QDateTime::fromMSecsSinceEpoch(from, Qt::UTC),
                                              QDateTime::fromMSecsSinceEpoch(to, Qt::UTC)));
            m_fitMapPending = true;
            refresh();
        });
    connect(m_bar, &TimeRangeBar::autoRefreshDue, this, &OperationsPage::autoRefreshDue);
    connect(m_client, &StatsClient::replied, this, &OperationsPage::answered);
}

OperationsPage::~OperationsPage() = default;

QWidget *OperationsPage::buildTiles()
{
    auto *tiles = new QWidget(this);
    m_requestsTile = new StatTile(tr("Requests"), tiles);
    m_successTile = new StatTile(tr("2xx ratio"), tiles);
    m_latencyTile = new StatTile(tr("p95 latency (slowest endpoint)"), tiles);
    m_upstreamTile = new StatTile(tr("Upstream calls"), tiles);
    m_cacheTile = new StatTile(tr("Weather cache hit ratio"), tiles);
    // Object names: what style sheets, screenshots and tests address the parts by.
    m_requestsTile->setObjectName(u"requestsTile"_s);
    m_successTile->setObjectName(u"successTile"_s);
    m_latencyTile->setObjectName(u"latencyTile"_s);
    m_upstreamTile->setObjectName(u"upstreamTile"_s);
    m_cacheTile->setObjectName(u"cacheTile"_s);
    // The range's figures and the server's running totals, set apart: the latter do not
    // change with the range picker, and should not look as if they did.
    auto group = [tiles](const QString &title, const QString &name,
                         std::initializer_list<StatTile *> members) {
        auto *box = new QGroupBox(title, tiles);
        box->setObjectName(name);
        box->setFlat(true);
        auto *row = new QHBoxLayout(box);
        row->setContentsMargins(0, 4, 0, 0);
        for (StatTile *tile : members)
            row->addWidget(tile);
        return box;
    };
    auto *layout = new QHBoxLayout(tiles);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(group(tr("In the chosen range"), u"rangeTiles"_s,
                            {m_requestsTile, m_successTile, m_latencyTile}),
                      3);
    layout->addWidget(
        group(tr("Since the server started"), u"runningTiles"_s, {m_upstreamTile, m_cacheTile}), 2);
    return tiles;
}

QWidget *OperationsPage::buildReplicaPicker()
{
    // Replicas sharing one store share one request log: the page shows the fleet, or one.
    m_replicaRow = new QWidget(this);
    m_replicaPicker = new QComboBox(m_replicaRow);
    m_replicaPicker->setObjectName(u"replicaPicker"_s);
    m_replicaPicker->setAccessibleName(tr("Replica whose requests are shown"));
    m_replicaPicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_replicaPicker->addItem(tr("Whole fleet"), QString());
    auto *label = new QLabel(tr("Re&plica:"), m_replicaRow);
    label->setBuddy(m_replicaPicker);
    auto *row = new QHBoxLayout(m_replicaRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(label);
    row->addWidget(m_replicaPicker);
    m_replicaRow->hide(); // until a summary names more than one replica
    connect(m_replicaPicker, &QComboBox::activated, this, [this] {
        m_fitMapPending = true;
        refresh();
    });
    return m_replicaRow;
}

QWidget *OperationsPage::buildCharts()
{
    m_charts = new QSplitter(Qt::Horizontal, this);
    m_charts->setChildrenCollapsible(false);
    m_statusChart = new StatusClassChart(m_charts);
    m_charts->addWidget(m_statusChart);

    auto *latency = new QWidget(m_charts);
    m_endpointPicker = new QComboBox(latency);
    m_endpointPicker->setObjectName(u"endpointPicker"_s);
    m_endpointPicker->setAccessibleName(tr("Endpoint for the latency chart"));
    m_endpointPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_endpointPicker->setMinimumContentsLength(24);
    m_endpointPicker->addItem(tr("All endpoints (p95)"));
    auto *pickerLabel = new QLabel(tr("&Latency of:"), latency);
    pickerLabel->setBuddy(m_endpointPicker);
    m_latencyChart = new LatencyChart(latency);
    auto *pickerRow = new QHBoxLayout;
    pickerRow->addWidget(pickerLabel);
    pickerRow->addWidget(m_endpointPicker, 1);
    auto *latencyLayout = new QVBoxLayout(latency);
    latencyLayout->setContentsMargins(0, 0, 0, 0);
    latencyLayout->addLayout(pickerRow);
    latencyLayout->addWidget(m_latencyChart, 1);
    m_charts->addWidget(latency);

    m_rateChart = new RequestRateChart(m_charts);
    m_charts->addWidget(m_rateChart);

    connect(m_endpointPicker, &QComboBox::activated, this, [this] {
        if (m_endpointPicker->currentIndex() == 0) {
            m_latencyChart->showEndpoints(m_summary.endpoints, m_summary.objectiveMs);
            return;
        }
        requestEndpointTimeline(); // during a refresh, its completion waits for this too
    });
    return m_charts;
}

QWidget *OperationsPage::buildMap()
{
    auto *panel = new QWidget(this);
    m_map = new WorldMapView(panel);
    m_map->setAccessibleName(tr("Map of weather requests"));
    auto *fit = new QPushButton(tr("&Fit to data"), panel);
    fit->setAccessibleName(tr("Fit the map to the requests"));
    connect(fit, &QPushButton::clicked, m_map, &WorldMapView::fitToData);
    auto *title = new QLabel(tr("Where weather requests came from"), panel);
    auto *header = new QHBoxLayout;
    header->addWidget(title, 1);
    header->addWidget(fit);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_map, 1);
    return panel;
}

QWidget *OperationsPage::buildTables()
{
    m_tables = new QTabWidget(this);
    m_tables->setObjectName(u"tablesTabs"_s);
    m_tables->setDocumentMode(true);
    m_tables->addTab(buildUsers(), tr("&Users"));
    m_dropoff = new DropoffPanel(m_tables);
    m_tables->addTab(m_dropoff, tr("&Drop-off"));
    return m_tables;
}

QWidget *OperationsPage::buildUsers()
{
    auto *panel = new QWidget(this);
    m_users = new UserActivityModel(this);
    m_usersProxy = new QSortFilterProxyModel(this);
    m_usersProxy->setSourceModel(m_users);
    m_usersProxy->setSortRole(Qt::EditRole); // numbers and times, not their display text
    m_usersProxy->setFilterKeyColumn(UserActivityModel::Subject);
    m_usersProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_usersFilter = new QLineEdit(panel);
    m_usersFilter->setPlaceholderText(tr("Filter subjects"));
    m_usersFilter->setAccessibleName(tr("Filter subjects"));
    m_usersFilter->setClearButtonEnabled(true);
    m_usersFilter->setObjectName(u"usersFilter"_s);
    connect(m_usersFilter, &QLineEdit::textChanged, m_usersProxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_usersView = new QTableView(panel);
    m_usersView->setObjectName(u"usersView"_s);
    m_usersView->setModel(m_usersProxy);
    m_usersView->setAccessibleName(tr("Requests per user"));
    m_usersView->setSortingEnabled(true);
    m_usersView->sortByColumn(UserActivityModel::Requests, Qt::DescendingOrder);
    m_usersView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_usersView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_usersView->setAlternatingRowColors(true);
    m_usersView->verticalHeader()->hide();
    // The caller takes what the counts and times leave: names are what people scan for.
    m_usersView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_usersView->horizontalHeader()->setSectionResizeMode(UserActivityModel::Subject,
                                                          QHeaderView::Stretch);

    // Say why the table is empty rather than leave it blank.
    m_usersNote = new QLabel(panel);
    m_usersNote->setObjectName(u"usersNote"_s);
    m_usersNote->setWordWrap(true);
    m_usersNote->setForegroundRole(QPalette::PlaceholderText);
    connect(m_users, &QAbstractItemModel::modelReset, m_usersNote,
            [this] { m_usersNote->setVisible(m_users->rowCount() == 0); });

    auto *title = new QLabel(tr("Requests per user"), panel);
    auto *header = new QHBoxLayout;
    header->addWidget(title, 1);
    header->addWidget(m_usersFilter);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_usersNote);
    layout->addWidget(m_usersView, 1);
    return panel;
}

void OperationsPage::setServer(const QUrl &baseUrl, const QString &bearerToken)
{
    m_client->setServer(baseUrl, bearerToken);
    m_outstanding = 0;
    m_refreshRunning = false;
    m_fitMapPending = true;
    m_summary = {};
    m_endpointPicker->setCurrentIndex(0);
    while (m_replicaPicker->count() > 1) // another server, another fleet
        m_replicaPicker->removeItem(1);
    m_replicaRow->hide();
    refresh();
}

QUrl OperationsPage::serverUrl() const
{
    return m_client->serverUrl();
}

QString OperationsPage::errorText() const
{
    return m_errorText;
}

void OperationsPage::refresh()
{
    if (!m_client->serverUrl().isValid()) {
        showError(tr("No server to watch: start the embedded server or connect to one."));
        return;
    }
    m_client->cancelAll(); // a newer refresh replaces whatever the last one still waits for
    m_outstanding = 0;
    m_firstError.clear();
    m_worstFailure = StatsClient::Failure::None;
    m_bar->setUpdatedText(tr("Refreshing…"));

    const QUrlQuery range = statsScope();
    auto with = [&range](std::initializer_list<std::pair<QString, QString>> items) {
        QUrlQuery query = range;
        for (const auto &[name, value] : items)
            query.addQueryItem(name, value);
        return query;
    };
    // Every answer also goes through answered(), which tracks failures and completion; the
    // handlers here only apply the data.
    m_refreshRunning = true;
    fetch(kSummaryPath, range, [this](const StatsClient::Reply &reply) {
        if (reply.ok())
            applySummary(StatsJson::readSummary(reply.json));
    });
    fetch(kTimelinePath, with({{u"bucket"_s, m_bar->range().timelineBucket()}}),
          [this](const StatsClient::Reply &reply) {
              if (!reply.ok())
                  return;
              m_timeline = StatsJson::readTimeline(reply.json);
              m_bar->setShownRange(m_timeline.fromMs, m_timeline.toMs);
              m_statusChart->setTimeline(m_timeline, m_summary.noGoThreshold);
              m_rateChart->setTimeline(m_timeline);
          });
    fetch(kGeographyPath, range, [this](const StatsClient::Reply &reply) {
        if (!reply.ok())
            return;
        m_map->setCells(MapCell::listFromStats(reply.json.value(u"cells").toArray()));
        if (std::exchange(m_fitMapPending, false))
            m_map->fitToData();
    });
    fetch(kUsersPath, with({{u"limit"_s, QString::number(kUsersLimit)}}),
          [this](const StatsClient::Reply &reply) {
              if (!reply.ok())
                  return;
              m_usersNote->setText(tr("No requests in this range."));
              m_users->setUsers(StatsJson::readUsers(reply.json));
          });
    fetch(PrometheusExposition::kRoute, {}, [this](const StatsClient::Reply &reply) {
        if (reply.ok())
            applyCounters(reply.body);
    });
    // The runs are the fleet's, whatever the range or replica.
    QUrlQuery runs;
    runs.addQueryItem(u"limit"_s, QString::number(kIngestRunsLimit));
    fetch(kIngestRunsPath, runs, [this](const StatsClient::Reply &reply) {
        if (reply.ok())
            m_dropoff->setAnswer(reply.json);
    });
    if (m_endpointPicker->currentIndex() > 0)
        requestEndpointTimeline();
}

void OperationsPage::fetch(const QString &path, const QUrlQuery &query,
                           StatsClient::Handler handler)
{
    ++m_outstanding;
    m_client->get(path, query, std::move(handler));
}

void OperationsPage::requestEndpointTimeline()
{
    const QString endpoint = m_endpointPicker->currentData().toString();
    QUrlQuery query = statsScope();
    query.addQueryItem(u"bucket"_s, m_bar->range().timelineBucket());
    query.addQueryItem(kEndpointParameter, endpoint);
    fetch(kTimelinePath, query, [this, endpoint](const StatsClient::Reply &reply) {
        if (reply.ok())
            m_latencyChart->showEndpointTimeline(endpoint, StatsJson::readTimeline(reply.json),
                                                 m_summary.objectiveMs);
    });
}

void OperationsPage::answered(const StatsClient::Reply &reply)
{
    if (!reply.ok()) {
        clearFailedParts(reply);
        if (severity(reply.failure) > severity(m_worstFailure)) {
            m_worstFailure = reply.failure;
            m_firstError = reply.message;
        }
    }
    --m_outstanding;
    // An endpoint timeline asked for between refreshes (the picker changed) stands alone.
    if (!m_refreshRunning) {
        if (!reply.ok())
            showError(reply.message);
        return;
    }
    if (m_outstanding > 0)
        return;
    m_refreshRunning = false;
    if (m_worstFailure != StatsClient::Failure::None) {
        showError(m_firstError);
        m_bar->setUpdatedText(tr("Refresh failed"));
        Q_EMIT statusMessage(m_firstError, kMessageTimeoutMs);
        Q_EMIT refreshed(false);
        return;
    }
    m_errorText.clear();
    m_banner->hide();
    const QString time = QLocale().toString(QTime::currentTime(), QLocale::LongFormat);
    m_bar->setUpdatedText(tr("Updated %1").arg(time));
    Q_EMIT refreshed(true);
}

void OperationsPage::applySummary(const StatsSummary &summary)
{
    m_summary = summary;
    const QLocale locale;
    m_requestsTile->setValue(
        locale.toString(summary.requests), Thresholds::Level::None,
        tr("4xx: %1 · 5xx: %2")
            .arg(locale.toString(summary.statusCounts[int(StatusClass::ClientError)]),
                 locale.toString(summary.statusCounts[int(StatusClass::ServerError)])));

    if (summary.requests == 0) {
        m_successTile->clear(tr("No requests in this range"));
        m_latencyTile->clear(tr("No requests in this range"));
    } else {
        const Thresholds::Level level =
            Thresholds::successRatio(summary.noGoThreshold).levelOf(summary.successRatio());
        m_successTile->setValue(percent(summary.successRatio()), level,
                                summary.noGo
                                    ? tr("No-go: under %1").arg(percent(summary.noGoThreshold))
                                    : tr("No-go under %1").arg(percent(summary.noGoThreshold)));
        const std::optional<EndpointLatency> slowest = summary.slowestEndpoint();
        m_latencyTile->setValue(milliseconds(slowest->p95Ms),
                                Thresholds::latencyMs(summary.objectiveMs).levelOf(slowest->p95Ms),
                                tr("%1 %2 · %3 of %4 endpoints within %5")
                                    .arg(slowest->method, slowest->endpoint)
                                    .arg(summary.endpointsMeetingObjective())
                                    .arg(summary.endpoints.size())
                                    .arg(milliseconds(summary.objectiveMs)));
    }
    // The no-go line comes from the summary, which may answer after the timeline.
    m_statusChart->setTimeline(m_timeline, summary.noGoThreshold);
    fillEndpointPicker(summary);
    fillReplicaPicker(summary);
    if (m_endpointPicker->currentIndex() == 0)
        m_latencyChart->showEndpoints(summary.endpoints, summary.objectiveMs);
}

void OperationsPage::applyCounters(const QByteArray &prometheusText)
{
    const ServerCounters counters = ServerCounters::fromPrometheus(prometheusText);
    const QLocale locale;
    const QString failed = tr("%1 failed").arg(locale.toString(counters.upstreamFailures, 'f', 0));
    if (counters.budgetLeft) {
        m_upstreamTile->setValue(locale.toString(counters.upstreamCalls, 'f', 0),
                                 Thresholds::budgetLeft().levelOf(*counters.budgetLeft),
                                 tr("Budget left today: %1 · %2 · since the server started")
                                     .arg(locale.toString(*counters.budgetLeft, 'f', 0), failed));
    } else {
        m_upstreamTile->setValue(locale.toString(counters.upstreamCalls, 'f', 0),
                                 Thresholds::Level::None,
                                 tr("No daily budget · %1 · since the server started").arg(failed));
    }
    const QString lookups = tr("Hits %1 · stale %2 · misses %3 since the server started")
                                .arg(locale.toString(counters.cacheHits, 'f', 0),
                                     locale.toString(counters.cacheStale, 'f', 0),
                                     locale.toString(counters.cacheMisses, 'f', 0));
    if (const std::optional<double> ratio = counters.cacheHitRatio())
        m_cacheTile->setValue(percent(*ratio), Thresholds::cacheHitRatio().levelOf(*ratio),
                              lookups);
    else
        m_cacheTile->clear(tr("No weather lookups since the server started"));
}

void OperationsPage::fillEndpointPicker(const StatsSummary &summary)
{
    // The timeline filters by route (all methods), so each route appears once.
    QStringList routes;
    for (const EndpointLatency &endpoint : summary.endpoints) {
        if (!routes.contains(endpoint.endpoint))
            routes << endpoint.endpoint;
    }
    const QString current = m_endpointPicker->currentData().toString();
    while (m_endpointPicker->count() > 1)
        m_endpointPicker->removeItem(1);
    for (const QString &route : std::as_const(routes))
        m_endpointPicker->addItem(route, route);
    // The chosen route stays chosen while it has traffic in the range.
    const int kept = current.isEmpty() ? 0 : m_endpointPicker->findData(current);
    m_endpointPicker->setCurrentIndex(std::max(kept, 0));
}

void OperationsPage::fillReplicaPicker(const StatsSummary &summary)
{
    // A summary of one replica names that one alone: the list stays the fleet's.
    if (m_replicaPicker->currentIndex() > 0)
        return;
    while (m_replicaPicker->count() > 1)
        m_replicaPicker->removeItem(1);
    // Requests recorded before replicas were named belong to no replica one could pick.
    const QLocale locale;
    for (const ReplicaRequests &replica : summary.replicas) {
        if (!replica.replica.isEmpty())
            m_replicaPicker->addItem(
                tr("%1 · %2 requests").arg(replica.replica, locale.toString(replica.requests)),
                replica.replica);
    }
    m_replicaRow->setVisible(m_replicaPicker->count() > 2);
}

QUrlQuery OperationsPage::statsScope() const
{
    QUrlQuery query = m_bar->range().query();
    if (m_replicaPicker->currentIndex() > 0)
        query.addQueryItem(u"replica"_s, m_replicaPicker->currentData().toString());
    return query;
}

void OperationsPage::clearFailedParts(const StatsClient::Reply &reply)
{
    const QString &path = reply.path;
    const QString noData = tr("No data: the last refresh failed");
    const QString endpoint = QUrlQuery(reply.url).queryItemValue(kEndpointParameter);
    if (path == kSummaryPath) {
        m_summary = {};
        for (StatTile *tile : {m_requestsTile, m_successTile, m_latencyTile})
            tile->clear(noData);
        m_latencyChart->showEndpoints({}, m_summary.objectiveMs);
        m_latencyChart->showFailure(noData);
    } else if (path == kTimelinePath && !endpoint.isEmpty()) {
        m_latencyChart->showEndpointTimeline(endpoint, {}, m_summary.objectiveMs);
        m_latencyChart->showFailure(noData);
    } else if (path == kTimelinePath) {
        m_timeline = {};
        m_bar->clearShownRange();
        m_statusChart->setTimeline({}, m_summary.noGoThreshold);
        m_rateChart->setTimeline({});
        for (OperationsChart *chart : {static_cast<OperationsChart *>(m_statusChart),
                                       static_cast<OperationsChart *>(m_rateChart)})
            chart->showFailure(noData);
    } else if (path == kGeographyPath) {
        m_map->showFailure(noData);
    } else if (path == kUsersPath) {
        m_users->setUsers({});
        m_usersNote->setText(noData);
    } else if (path == PrometheusExposition::kRoute) {
        m_upstreamTile->clear(noData);
        m_cacheTile->clear(noData);
    } else if (path == kIngestRunsPath) {
        m_dropoff->clear(noData);
    }
}

void OperationsPage::showError(const QString &message)
{
    m_errorText = message;
    m_banner->showMessage(message);
}

void OperationsPage::autoRefreshDue()
{
    if (!isVisible()) {
        m_refreshWhenShown = true; // nobody is looking: do not poll the server for nothing
        return;
    }
    if (m_refreshRunning)
        return; // the last refresh is still waiting for a slow server: do not pile up
    refresh();
}

void OperationsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_refreshWhenShown, false))
        refresh();
}

QByteArray OperationsPage::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    const TimeRange range = m_bar->range();
    out << kOperationsStateMagic << kOperationsStateVersion << qint32(range.preset())
        << range.customFrom() << range.customTo() << qint32(m_bar->refreshIntervalSeconds())
        << m_rows->saveState() << m_charts->saveState() << m_bottom->saveState()
        << qint32(m_usersView->horizontalHeader()->sortIndicatorSection())
        << qint32(m_usersView->horizontalHeader()->sortIndicatorOrder());
    return state;
}

bool OperationsPage::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    quint8 version = 0;
    qint32 preset = 0, interval = 0, sortColumn = 0, sortOrder = 0;
    QDateTime from, to;
    QByteArray rows, charts, bottom;
    in >> magic >> version;
    if (magic != kOperationsStateMagic || version != kOperationsStateVersion)
        return false;
    in >> preset >> from >> to >> interval >> rows >> charts >> bottom >> sortColumn >> sortOrder;
    if (in.status() != QDataStream::Ok || !TimeRange::presets().contains(TimeRange::Preset(preset)))
        return false;

    const TimeRange range = TimeRange::Preset(preset) == TimeRange::Preset::Custom
                                ? TimeRange::custom(from, to)
                                : TimeRange(TimeRange::Preset(preset));
    const bool rangeChanged = range.isValid() && !(range == m_bar->range());
    m_bar->setRange(range);
    m_bar->setRefreshIntervalSeconds(interval);
    m_rows->restoreState(rows);
    m_charts->restoreState(charts);
    m_bottom->restoreState(bottom);
    if (sortColumn >= 0 && sortColumn < UserActivityModel::ColumnCount)
        m_usersView->sortByColumn(
            sortColumn, sortOrder == Qt::AscendingOrder ? Qt::AscendingOrder : Qt::DescendingOrder);
    if (rangeChanged && m_client->serverUrl().isValid()) {
        m_fitMapPending = true;
        refresh();
    }
    return true;
}

} // namespace isobar
