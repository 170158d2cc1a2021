#include "ChartCard.h"

#include "ChartDescription.h"
#include "ChartPalette.h"
#include "ChartRenderer.h"
#include "ChartView.h"
#include "DateParsing.h"
#include "MetricTitles.h"
#include "MetricUnit.h"
#include "ReportChart.h"
#include "SeriesTableModel.h"
#include "TrendDirection.h"
#include "TrendSummary.h"

#include <QButtonGroup>
#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

enum BodyPage { MessagePage, TabsPage, NumberPage };

QStringList distinct(const QList<PublicPoint> &points, QString SeriesDescription::*field)
{
    std::set<QString> values;
    for (const PublicPoint &point : points)
        values.insert((*point.series).*field);
    return QStringList(values.begin(), values.end());
}

// The filter's value when the data offer it, else `preferred`, else the first on offer.
QString chooseOption(const QString &current, const QString &preferred, const QStringList &options)
{
    if (options.contains(current))
        return current;
    if (options.contains(preferred))
        return preferred;
    return options.value(0);
}

bool matches(const QString &filter, const QString &value)
{
    return filter.isEmpty() || filter == value;
}

// A trend's verdict (green, red, neutral) as the dashboard colours it.
QColor verdictColour(const QString &verdict, const QPalette &palette)
{
    if (verdict == u"green")
        return ChartPalette::trendPositive();
    if (verdict == u"red")
        return ChartPalette::trendNegative();
    return palette.color(QPalette::WindowText);
}

// The About tab's text: what the card shows, then every name of the series.
QString aboutHtml(const QString &description, const SeriesDescription &names)
{
    QString about = u"<p>%1</p><table>"_s.arg(description.toHtmlEscaped());
    const std::pair<QString, QString> rows[] = {
        {ChartCard::tr("Theme"), names.theme},
        {ChartCard::tr("Sub-theme"), names.subTheme},
        {ChartCard::tr("Topic"), names.topic},
        {ChartCard::tr("Metric"), names.metric},
        {ChartCard::tr("Metric group"), names.metricGroup},
        {ChartCard::tr("Area type"), names.geographyType},
        {ChartCard::tr("Area"), names.geography},
        {ChartCard::tr("Area code"), names.geographyCode},
        {ChartCard::tr("Age"), names.age},
        {ChartCard::tr("Sex"), names.sex},
        {ChartCard::tr("Stratum"), names.stratum},
    };
    for (const auto &[label, value] : rows) {
        about += u"<tr><th align=\"left\">%1</th><td>%2</td></tr>"_s.arg(label.toHtmlEscaped(),
                                                                         value.toHtmlEscaped());
    }
    return about + u"</table>"_s;
}

} // namespace

ChartCard::ChartCard(const MetricTitles *titles, QWidget *parent)
    : QFrame(parent)
    , m_titles(titles)
    , m_title(new QLabel)
    , m_closeButton(new QPushButton)
    , m_updated(new QLabel)
    , m_headline(new QLabel)
    , m_trend(new QLabel)
    , m_busy(new QProgressBar)
    , m_body(new QStackedWidget)
    , m_message(new QLabel)
    , m_tabs(new QTabWidget)
    , m_chart(new ChartView)
    , m_resetZoom(new QPushButton(tr("Reset zoom")))
    , m_table(new QTableView)
    , m_tableModel(new SeriesTableModel(this))
    , m_csv(new QRadioButton(tr("CSV")))
    , m_json(new QRadioButton(tr("JSON")))
    , m_downloadSummary(new QLabel)
    , m_about(new QTextBrowser)
    , m_number(new QLabel)
    , m_numberPeriod(new QLabel)
    , m_numberDirection(new QLabel)
{
    setAccessibleName(tr("Chart card"));
    setMinimumWidth(420);
    setFocusPolicy(Qt::ClickFocus);
    m_updated->setObjectName(u"lastUpdated"_s);
    m_updated->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->setSpacing(6);
    layout->addLayout(createTitleRow());
    layout->addWidget(m_updated);
    layout->addLayout(createHeadlineRow());
    layout->addWidget(createBody(), 1);

    connect(&m_watcher, &QFutureWatcher<SeriesResult>::finished, this, &ChartCard::onLoaded);
    connect(m_titles, &MetricTitles::changed, this, &ChartCard::showTitle);
    showMessage(tr("Choose a metric in the navigator."));
    becomeCurrentOnAnyClickInside();
}

QLayout *ChartCard::createTitleRow()
{
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(u"cardTitle"_s);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_closeButton->setFlat(true);
    m_closeButton->setToolTip(tr("Close this card"));
    m_closeButton->setAccessibleName(tr("Close card"));
    connect(m_closeButton, &QPushButton::clicked, this, &ChartCard::closeRequested);
    m_busy->setRange(0, 0); // indeterminate: a read has no progress to report
    m_busy->setMaximumWidth(90);
    m_busy->setTextVisible(false);
    m_busy->setAccessibleName(tr("Loading"));
    m_busy->hide();

    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_busy);
    titleRow->addWidget(m_closeButton, 0, Qt::AlignTop);
    return titleRow;
}

QLayout *ChartCard::createHeadlineRow()
{
    QFont headlineFont = font();
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.8);
    headlineFont.setBold(true);
    m_headline->setFont(headlineFont);
    m_headline->setAccessibleName(tr("Latest value"));
    m_trend->setWordWrap(true);
    m_trend->setAccessibleName(tr("Trend"));
    auto *headlineRow = new QHBoxLayout;
    headlineRow->addWidget(m_headline);
    headlineRow->addSpacing(12);
    headlineRow->addWidget(m_trend, 1);
    return headlineRow;
}

// A message in place of the tabs until there is data to show.
QWidget *ChartCard::createBody()
{
    m_tabs->addTab(createChartTab(), tr("Chart"));
    m_tabs->addTab(createTableTab(), tr("Table"));
    m_tabs->addTab(createDownloadTab(), tr("Download"));
    m_tabs->addTab(createAboutTab(), tr("About"));
    m_tabs->setAccessibleName(tr("Chart card views"));

    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_body->addWidget(m_message);
    m_body->addWidget(m_tabs);
    m_body->addWidget(createNumberPage());
    return m_body;
}

// A headline metric as the dashboard's number boxes show it: the figure large, the period it
// covers under it, and for a change its direction in the trend's colour.
QWidget *ChartCard::createNumberPage()
{
    QFont numberFont = font();
    numberFont.setPointSizeF(numberFont.pointSizeF() * 3.2);
    numberFont.setBold(true);
    m_number->setFont(numberFont);
    m_number->setObjectName(u"headlineFigure"_s);
    m_number->setAccessibleName(tr("Headline figure"));
    m_number->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_numberPeriod->setObjectName(u"headlinePeriod"_s);
    m_numberPeriod->setForegroundRole(QPalette::PlaceholderText);
    m_numberDirection->setObjectName(u"headlineDirection"_s);
    m_numberDirection->setAccessibleName(tr("Direction"));
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addStretch();
    for (QLabel *label : {m_number, m_numberDirection, m_numberPeriod}) {
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        layout->addWidget(label);
    }
    layout->addStretch(2);
    return page;
}

QWidget *ChartCard::createChartTab()
{
    m_chart->setAccessibleName(tr("Chart"));
    // A hint for the status bar: a tooltip would cover the value being read.
    m_chart->setStatusTip(tr("Drag across the chart to zoom into those dates; double-click to "
                             "show them all again"));
    m_resetZoom->setEnabled(false);
    m_resetZoom->setAccessibleName(tr("Reset zoom"));
    connect(m_resetZoom, &QPushButton::clicked, m_chart, &ChartView::resetZoom);
    connect(m_chart, &ChartView::zoomChanged, m_resetZoom, &QPushButton::setEnabled);
    auto *exportButton = new QPushButton(tr("Export chart…"));
    exportButton->setAccessibleName(tr("Export chart"));
    connect(exportButton, &QPushButton::clicked, this, &ChartCard::exportRequested);
    auto *chartTab = new QWidget;
    auto *chartLayout = new QVBoxLayout(chartTab);
    chartLayout->addWidget(m_chart, 1);
    auto *chartButtons = new QHBoxLayout;
    chartButtons->addStretch();
    chartButtons->addWidget(m_resetZoom);
    chartButtons->addWidget(exportButton);
    chartLayout->addLayout(chartButtons);
    return chartTab;
}

QWidget *ChartCard::createTableTab()
{
    m_table->setModel(m_tableModel);
    m_table->setAccessibleName(tr("Values table"));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(false); // shading marks reporting-delay rows only
    return m_table;
}

QWidget *ChartCard::createDownloadTab()
{
    auto *downloadTab = new QWidget;
    auto *downloadLayout = new QVBoxLayout(downloadTab);
    auto *formatGroup = new QButtonGroup(downloadTab);
    formatGroup->addButton(m_csv);
    formatGroup->addButton(m_json);
    m_csv->setChecked(true);
    m_csv->setAccessibleName(tr("CSV format"));
    m_json->setAccessibleName(tr("JSON format"));
    auto *downloadButton = new QPushButton(tr("Download data…"));
    downloadButton->setAccessibleName(tr("Download data"));
    connect(downloadButton, &QPushButton::clicked, this, &ChartCard::downloadRequested);
    m_downloadSummary->setWordWrap(true);
    downloadLayout->addWidget(new QLabel(tr("File format:")));
    downloadLayout->addWidget(m_csv);
    downloadLayout->addWidget(m_json);
    downloadLayout->addWidget(m_downloadSummary);
    downloadLayout->addWidget(downloadButton, 0, Qt::AlignLeft);
    downloadLayout->addStretch();
    return downloadTab;
}

QWidget *ChartCard::createAboutTab()
{
    m_about->setAccessibleName(tr("About this chart"));
    m_about->setOpenLinks(false);
    return m_about;
}

void ChartCard::becomeCurrentOnAnyClickInside()
{
    // Any click or focus inside the card makes it the one the navigator edits.
    for (QWidget *child : findChildren<QWidget *>())
        child->installEventFilter(this);
    m_chart->viewport()->installEventFilter(this);
}

ChartCard::~ChartCard() = default;

void ChartCard::setSource(MetricsSource *source)
{
    m_source = source;
    m_loadedQuery = {};
    setSelection(m_selection);
}

void ChartCard::setSelection(const SeriesSelection &selection)
{
    m_selection = selection;
    if (!m_selection.hasMetric()) {
        showMessage(tr("Choose a metric in the navigator."));
        return;
    }
    if (!m_selection.hasArea()) {
        showTitle();
        showMessage(tr("Choose an area type and an area."));
        return;
    }
    if (m_selection.series != m_loadedQuery || !m_hasData) {
        load();
        return;
    }
    showFiltered();
    Q_EMIT selectionShown();
}

void ChartCard::reload()
{
    if (m_selection.hasMetric() && m_selection.hasArea())
        load();
}

void ChartCard::load()
{
    if (!m_source)
        return;
    m_loading = true;
    m_busy->show();
    showTitle();
    // A newer read replaces one in flight: the watcher reports only the future it holds.
    m_watcher.setFuture(m_source->series(m_selection.series));
}

void ChartCard::onLoaded()
{
    const SeriesResult result = m_watcher.result();
    m_loading = false;
    m_busy->hide();
    m_loadedQuery = m_selection.series;
    m_hasData = result.error.isEmpty();
    m_all = result.points;
    m_headlines = result.headlines;
    // Records as points at their period's end: the filters and their defaults work alike.
    for (const PublicHeadline &record : std::as_const(m_headlines))
        m_all.append(PublicPoint{record.series, londonTime(record.periodEnd).date(), 0,
                                 record.value, false, std::nullopt, std::nullopt});
    m_ages = distinct(m_all, &SeriesDescription::age);
    m_sexes = distinct(m_all, &SeriesDescription::sex);
    m_strata = distinct(m_all, &SeriesDescription::stratum);
    if (!result.error.isEmpty()) {
        m_shown.clear();
        showMessage(tr("Could not read this series: %1").arg(result.error));
        Q_EMIT statusMessage(
            tr("Could not read %1: %2").arg(m_selection.series.metric, result.error), 8000);
        if (result.unavailable)
            Q_EMIT sourceUnavailable(result.error);
    } else {
        chooseDefaults();
        showFiltered();
    }
    Q_EMIT loaded();
}

void ChartCard::chooseDefaults()
{
    m_selection.age = chooseOption(m_selection.age, u"all"_s, m_ages);
    m_selection.sex = chooseOption(m_selection.sex, u"all"_s, m_sexes);
    m_selection.stratum = chooseOption(m_selection.stratum, u"default"_s, m_strata);
    moveToACombinationWithData();
    if (!m_selection.period) {
        QList<QDate> dates;
        for (const PublicPoint &point : std::as_const(m_all)) {
            if (matchesFilters(point))
                dates.append(point.date);
        }
        m_selection.period = defaultPeriod(dates);
    }
}

bool ChartCard::matchesFilters(const PublicPoint &point) const
{
    return matches(m_selection.age, point.series->age)
           && matches(m_selection.sex, point.series->sex)
           && matches(m_selection.stratum, point.series->stratum);
}

void ChartCard::moveToACombinationWithData()
{
    if (m_all.isEmpty() || std::any_of(m_all.cbegin(), m_all.cend(), [this](const PublicPoint &p) {
            return matchesFilters(p);
        }))
        return;
    const SeriesDescription *best = nullptr;
    int bestScore = -1;
    for (const PublicPoint &point : std::as_const(m_all)) {
        const SeriesDescription &s = *point.series;
        const int score = 32 * (s.age == m_selection.age) + 16 * (s.sex == m_selection.sex)
                          + 8 * (s.stratum == m_selection.stratum) + 4 * (s.age == u"all")
                          + 2 * (s.sex == u"all") + (s.stratum == u"default");
        if (score > bestScore) {
            best = &s;
            bestScore = score;
        }
    }
    m_selection.age = best->age;
    m_selection.sex = best->sex;
    m_selection.stratum = best->stratum;
}

FilterOptions ChartCard::filterOptions() const
{
    FilterOptions options{m_ages, m_sexes, m_strata, {}, {}, {}};
    // Each value of one filter holds data when a point has it with the other two as chosen.
    std::set<QString> ages, sexes, strata;
    for (const PublicPoint &point : std::as_const(m_all)) {
        const SeriesDescription &s = *point.series;
        const bool age = matches(m_selection.age, s.age);
        const bool sex = matches(m_selection.sex, s.sex);
        const bool stratum = matches(m_selection.stratum, s.stratum);
        if (sex && stratum)
            ages.insert(s.age);
        if (age && stratum)
            sexes.insert(s.sex);
        if (age && sex)
            strata.insert(s.stratum);
    }
    options.agesWithData = QStringList(ages.begin(), ages.end());
    options.sexesWithData = QStringList(sexes.begin(), sexes.end());
    options.strataWithData = QStringList(strata.begin(), strata.end());
    return options;
}

void ChartCard::showFiltered()
{
    moveToACombinationWithData();
    m_shownHeadline.reset();
    if (m_loadedQuery.kind == SeriesKind::Headline) {
        showHeadline();
        return;
    }
    QList<PublicPoint> filtered;
    for (const PublicPoint &point : std::as_const(m_all)) {
        if (matchesFilters(point))
            filtered.append(point);
    }
    m_shown.clear();
    if (!filtered.isEmpty()) {
        const QDate start =
            periodStart(m_selection.period.value_or(Period::All), filtered.constLast().date);
        for (const PublicPoint &point : std::as_const(filtered)) {
            if (!start.isValid() || point.date >= start)
                m_shown.append(point);
        }
    }

    showTitle();
    m_body->setCurrentIndex(TabsPage);
    m_tableModel->setPoints(m_shown);

    const ChartDataset dataset = shownDataset();
    const ChartRequest request = chartRequest();
    m_chart->setChart(request, dataset);

    const QLocale locale;
    if (m_shown.isEmpty()) {
        m_updated->setText(tr("No data for this selection"));
        m_headline->clear();
        m_trend->clear();
        m_downloadSummary->setText(tr("There is nothing to download for this selection."));
        m_about->setPlainText(tr("No data for this selection."));
        return;
    }
    const PublicPoint &latest = m_shown.constLast();
    m_updated->setText(
        tr("Up to and including %1").arg(locale.toString(latest.date, QLocale::LongFormat)));
    // The figures come from the whole series of this age, sex and stratum, whatever the
    // period shows: a short period must not leave "not enough data for a trend".
    QList<ChartPoint> whole;
    QList<double> values;
    for (const PublicPoint &p : std::as_const(filtered)) {
        whole.append(ChartPoint::of(p));
        values.append(p.value);
    }
    const MetricUnit unit = metricUnit(m_selection.series.metric);
    m_headline->setText(formatMetricValue(latest.value, unit, displayDecimals(values)));
    const TrendSummary trend = TrendSummary::of(whole);
    const QColor colour = verdictColour(trend.verdict, palette());
    const QString figure =
        trend.figure.isEmpty() ? QString() : u"<b>%1</b><br>"_s.arg(trend.figure.toHtmlEscaped());
    m_trend->setText(figure
                     + u"<span style=\"color:%1\">%2</span> %3"_s.arg(colour.name(), trend.arrow,
                                                                      trend.text.toHtmlEscaped()));
    m_trend->setAccessibleDescription(trend.figure.isEmpty() ? trend.text
                                                             : trend.figure + u". "_s + trend.text);
    m_downloadSummary->setText(
        tr("%n point(s) from %1 to %2, as the API's downloads write them.", nullptr,
           int(m_shown.size()))
            .arg(locale.toString(m_shown.constFirst().date, QLocale::ShortFormat),
                 locale.toString(latest.date, QLocale::ShortFormat)));

    const QString description = ChartDescription::describe(request, dataset);
    m_chart->setAccessibleDescription(description);
    m_about->setHtml(aboutHtml(description, *latest.series));
}

void ChartCard::showHeadline()
{
    m_shown.clear();
    for (const PublicHeadline &record : std::as_const(m_headlines)) {
        if (matches(m_selection.age, record.series->age)
            && matches(m_selection.sex, record.series->sex)
            && matches(m_selection.stratum, record.series->stratum))
            m_shownHeadline = record; // oldest first: the last is the latest
    }
    showTitle();
    m_body->setCurrentIndex(NumberPage);
    // The number page shows the figure large; the row above would repeat it.
    m_headline->clear();
    m_trend->clear();
    if (!m_shownHeadline) {
        m_updated->setText(tr("No data for this selection"));
        m_number->setText(tr("No figure"));
        m_numberPeriod->clear();
        m_numberDirection->clear();
        return;
    }
    const PublicHeadline &record = *m_shownHeadline;
    const QLocale locale;
    const QDate start = londonTime(record.periodStart).date();
    const QDate end = londonTime(record.periodEnd).date();
    m_updated->setText(tr("Up to and including %1").arg(locale.toString(end, QLocale::LongFormat)));
    const QString metric = m_selection.series.metric;
    const MetricUnit unit = metricUnit(metric);
    // Rounded alike for every age, sex and stratum, as a series is over its dates.
    QList<double> values;
    for (const PublicHeadline &each : std::as_const(m_headlines))
        values.append(each.value);
    m_number->setText(formatMetricValue(record.value, unit, displayDecimals(values)));
    m_numberPeriod->setText(start == end
                                ? tr("On %1").arg(locale.toString(end, QLocale::LongFormat))
                                : tr("From %1 to %2")
                                      .arg(locale.toString(start, QLocale::LongFormat),
                                           locale.toString(end, QLocale::LongFormat)));
    if (isChangeMetric(metric)) {
        const TrendDirection direction = trendDirection(record.value);
        const QColor colour =
            verdictColour(trendColour(direction, trendPolarity(metric)), palette());
        const auto [arrow, word] = TrendSummary::wordsOf(direction);
        m_numberDirection->setText(u"<span style=\"color:%1\">%2</span> %3"_s.arg(
            colour.name(), arrow, word.toHtmlEscaped()));
        m_numberDirection->setAccessibleDescription(word);
    } else {
        m_numberDirection->clear();
    }
    m_number->setAccessibleDescription(
        tr("%1: %2, %3").arg(m_title->text(), m_number->text(), m_numberPeriod->text()));
}

ChartRequest ChartCard::chartRequest() const
{
    ChartPlot plot;
    plot.selection.theme = m_selection.series.theme;
    plot.selection.subTheme = m_selection.series.subTheme;
    plot.selection.topic = m_selection.series.topic;
    plot.selection.metric = m_selection.series.metric;
    plot.selection.geographyType = m_selection.series.geographyType;
    plot.selection.geography = m_selection.series.geography;
    plot.selection.age = m_selection.age;
    plot.selection.sex = m_selection.sex;
    plot.selection.stratum = m_selection.stratum;
    // The dashboard's headline chart: the latest week shaded by whether it is good news, and
    // the reporting-delay period marked.
    plot.type = ChartType::LineWithShadedSection;
    plot.label = m_titles->title(m_selection.series.topic, m_selection.series.metric);
    ChartRequest request;
    request.yAxisTitle = unitLabel(metricUnit(m_selection.series.metric));
    if (m_valueRange) {
        request.yMinimum = m_valueRange->first;
        request.yMaximum = m_valueRange->second;
    }
    request.plots = {plot};
    return request;
}

ChartDataset ChartCard::shownDataset() const
{
    ChartDataset dataset;
    QList<ChartPoint> &points = dataset.plots.emplace_back();
    for (const PublicPoint &p : std::as_const(m_shown))
        points.append(ChartPoint::of(p));
    return dataset;
}

void ChartCard::showMessage(const QString &text)
{
    m_shownHeadline.reset();
    m_message->setText(text);
    m_body->setCurrentIndex(MessagePage);
    m_updated->clear();
    m_headline->clear();
    m_trend->clear();
    showTitle();
}

void ChartCard::setValueRange(std::optional<std::pair<double, double>> range)
{
    if (range == m_valueRange)
        return;
    m_valueRange = range;
    if (m_hasData && m_body->currentIndex() == TabsPage)
        m_chart->setChart(chartRequest(), shownDataset());
}

void ChartCard::showTitle()
{
    if (!m_selection.hasMetric()) {
        m_title->setText(tr("New chart"));
        return;
    }
    const SeriesQuery &q = m_selection.series;
    QStringList parts{m_titles->title(q.topic, q.metric)};
    if (!q.geography.isEmpty())
        parts << q.geography;
    if (!m_selection.age.isEmpty() && m_selection.age != u"all")
        parts << tr("age %1").arg(m_selection.age);
    if (!m_selection.sex.isEmpty() && m_selection.sex != u"all")
        parts << m_selection.sex;
    if (!m_selection.stratum.isEmpty() && m_selection.stratum != u"default")
        parts << m_selection.stratum;
    m_title->setText(parts.join(tr(", ")));
    m_title->setToolTip(tr("%1 (%2)").arg(m_title->text(), q.metric));
}

void ChartCard::setCurrent(bool current)
{
    if (m_current == current)
        return;
    m_current = current;
    update();
}

void ChartCard::setClosable(bool closable)
{
    m_closeButton->setVisible(closable);
}

void ChartCard::paintEvent(QPaintEvent *event)
{
    QFrame::paintEvent(event);
    // The card the navigator edits is outlined in the palette's highlight.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal width = m_current ? 2 : 1;
    painter.setPen(QPen(palette().color(m_current ? QPalette::Highlight : QPalette::Mid), width));
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(QRectF(rect()).adjusted(width / 2, width / 2, -width / 2, -width / 2),
                            6, 6);
}

bool ChartCard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::FocusIn)
        Q_EMIT activated();
    return QFrame::eventFilter(watched, event);
}

bool ChartCard::exportChart(const QString &path, ChartFormat format, QSize size,
                            QString *error) const
{
    const ChartDataset data = m_chart->shownData();
    if (m_shown.isEmpty() || data.isEmpty()) {
        *error = tr("There is no chart to export.");
        return false;
    }
    QDate first, last;
    for (const auto &plot : data.plots) {
        for (const ChartPoint &point : plot) {
            first = first.isValid() ? std::min(first, point.date) : point.date;
            last = last.isValid() ? std::max(last, point.date) : point.date;
        }
    }
    // Dates as a report writes them, "8 March 2024", whatever the desktop's locale.
    const QLocale locale(QLocale::English, QLocale::UnitedKingdom);
    const QString dateFormat = u"d MMMM yyyy"_s;
    const SeriesDescription &names = *m_shown.constLast().series;
    ReportChart::Text text;
    text.title = m_title->text();
    text.subtitle = tr("%1 · %2 · %3 to %4")
                        .arg(names.topic, names.geographyType, locale.toString(first, dateFormat),
                             locale.toString(last, dateFormat));
    text.source = tr("Source: UKHSA data in %1, data up to %2")
                      .arg(m_source ? m_source->displayName() : QString(),
                           locale.toString(m_shown.constLast().date, dateFormat));
    ChartRequest request = m_chart->request();
    request.format = format;
    request.size = size;
    request.xAxisTitle = tr("Date");
    const std::unique_ptr<QGraphicsScene> scene = ReportChart::build(request, data, text);
    const QByteArray bytes = ChartRenderer::render(*scene, size, format, text.title);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

bool ChartCard::writeData(const QString &path, SeriesExport::Format format, QString *error) const
{
    if (m_shown.isEmpty() && !m_shownHeadline) {
        *error = tr("There is no data to download.");
        return false;
    }
    const QByteArray bytes = m_shownHeadline ? SeriesExport::encode({*m_shownHeadline}, format)
                                             : SeriesExport::encode(m_shown, format);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

SeriesExport::Format ChartCard::chosenDataFormat() const
{
    return m_json->isChecked() ? SeriesExport::Format::Json : SeriesExport::Format::Csv;
}

} // namespace isobar
