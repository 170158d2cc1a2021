#include "MetricsPage.h"

#include "ChartCard.h"
#include "ChartStyle.h"
#include "ErrorBanner.h"
#include "FileDialogs.h"
#include "LocalMetricsSource.h"
#include "MetricNavigator.h"
#include "MetricTitles.h"
#include "MetricTreeModel.h"
#include "RemoteMetricsSource.h"
#include "ReportChart.h"
#include "SeriesSelection.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIODevice>
#include <QInputDialog>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr quint32 kMetricsStateMagic = 0x4d455452; // "METR"
// 2 added the shared value axis; a version 1 state restores with it off. 3 added each card's
// kind (time series or headline) after it; older cards are time series.
constexpr qint32 kMetricsStateVersion = 3;
constexpr int kStatusTimeoutMs = 5000;

QString documentsFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

// A file name from the card's selection, e.g. "COVID-19_cases_casesByDay-England.csv".
QString suggestedName(const SeriesSelection &selection, const QString &suffix)
{
    QString name = selection.series.metric + u'-' + selection.series.geography;
    name.replace(QRegularExpression(u"[^A-Za-z0-9_.-]+"_s), u"_"_s);
    return QDir(documentsFolder()).filePath(name + u'.' + suffix);
}

} // namespace

MetricsPage::MetricsPage(QWidget *parent)
    : QWidget(parent)
    , m_titles(new MetricTitles(this))
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_navigator(new MetricNavigator(m_titles))
    , m_scroll(new QScrollArea)
    , m_cardStrip(new QSplitter(Qt::Horizontal))
    , m_banner(new ErrorBanner(this))
{
    setAccessibleName(tr("Metrics"));
    m_cardStrip->setChildrenCollapsible(false);
    m_cardStrip->setHandleWidth(8);
    // Cards keep a readable width; more cards than fit scroll sideways.
    m_scroll->setWidget(m_cardStrip);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setAccessibleName(tr("Chart cards"));

    m_splitter->addWidget(m_navigator);
    m_splitter->addWidget(m_scroll);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({300, 900});
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    connect(m_navigator, &MetricNavigator::selectionEdited, this,
            [this](const SeriesSelection &selection) {
                if (m_current)
                    m_current->setSelection(selection);
            });
    connect(&m_catalogueWatcher, &QFutureWatcher<CatalogueResult>::finished, this,
            &MetricsPage::onCatalogueRead);
    setCurrentCard(appendCard({}));
}

MetricsPage::~MetricsPage()
{
    // Cards point at the source: they go first.
    for (ChartCard *card : cards())
        delete card;
}

QList<ChartCard *> MetricsPage::cards() const
{
    QList<ChartCard *> result;
    for (int i = 0; i < m_cardStrip->count(); ++i) {
        if (auto *card = qobject_cast<ChartCard *>(m_cardStrip->widget(i)))
            result << card;
    }
    return result;
}

bool MetricsPage::openDatabase(const QString &path, QString *error)
{
    const QFileInfo file(path);
    if (!file.exists() || !file.isFile() || !file.isReadable()) {
        if (error)
            *error = tr("%1 is not a readable file").arg(QDir::toNativeSeparators(path));
        return false;
    }
    setSource(std::make_unique<LocalMetricsSource>(file.absoluteFilePath()));
    return true;
}

void MetricsPage::openRemote(const QUrl &baseUrl)
{
    setSource(std::make_unique<RemoteMetricsSource>(baseUrl));
}

void MetricsPage::setSource(std::unique_ptr<MetricsSource> source)
{
    // The old source lives until the cards have let go of it (their reads move to the new one).
    std::unique_ptr<MetricsSource> previous = std::exchange(m_source, std::move(source));
    readCatalogue();
    for (ChartCard *card : cards())
        card->setSource(m_source.get());
}

void MetricsPage::reload()
{
    if (!m_source)
        return;
    readCatalogue();
    for (ChartCard *card : cards())
        card->reload();
}

void MetricsPage::showUnavailable(const QString &why)
{
    m_banner->showMessage(tr("%1: %2").arg(m_source->displayName(), why));
}

void MetricsPage::readCatalogue()
{
    m_navigator->setLoading(true);
    m_catalogueWatcher.setFuture(m_source->catalogue());
}

void MetricsPage::onCatalogueRead()
{
    const CatalogueResult result = m_catalogueWatcher.result();
    if (result.unavailable)
        showUnavailable(result.error);
    else
        m_banner->hide();
    if (!result.error.isEmpty()) {
        m_navigator->setError(result.error);
        Q_EMIT statusMessage(tr("Could not read %1: %2").arg(m_source->displayName(), result.error),
                             0);
        return;
    }
    m_navigator->setCatalogue(result.entries);
    // A page that opens with nothing chosen shows the first metric, as the dashboard does.
    if (!applyRequestedMetric() && m_current && !m_current->selection().hasMetric()
        && !result.entries.isEmpty()) {
        const SeriesSelection first = m_navigator->selectionFor(m_navigator->firstMetric());
        m_current->setSelection(first);
        m_navigator->setSelection(first);
    }
    Q_EMIT statusMessage(
        tr("%1: %n series", nullptr, int(result.entries.size())).arg(m_source->displayName()),
        kStatusTimeoutMs);
}

void MetricsPage::showMetric(const QString &metric)
{
    m_requestedMetric = metric;
    applyRequestedMetric();
}

bool MetricsPage::applyRequestedMetric()
{
    if (m_requestedMetric.isEmpty() || !m_current)
        return false;
    const QList<CatalogueEntry> &catalogue = m_navigator->model()->catalogue();
    for (const CatalogueEntry &entry : catalogue) {
        if (entry.metric != m_requestedMetric)
            continue;
        const SeriesSelection selection = m_navigator->selectionFor(SeriesQuery{
            entry.theme, entry.subTheme, entry.topic, entry.metric, {}, {}, entry.kind});
        m_current->setSelection(selection);
        m_navigator->setSelection(selection);
        m_requestedMetric.clear();
        return true;
    }
    if (!catalogue.isEmpty()) {
        Q_EMIT statusMessage(tr("No metric named %1 here").arg(m_requestedMetric),
                             kStatusTimeoutMs);
        m_requestedMetric.clear();
    }
    return false;
}

ChartCard *MetricsPage::appendCard(const SeriesSelection &selection)
{
    auto *card = new ChartCard(m_titles);
    card->setSelection(selection);
    card->setSource(m_source.get());
    m_cardStrip->addWidget(card);
    connect(card, &ChartCard::activated, this, [this, card] { setCurrentCard(card); });
    connect(card, &ChartCard::loaded, this, [this, card] { onCardLoaded(card); });
    connect(card, &ChartCard::selectionShown, this, [this, card] { onCardLoaded(card); });
    connect(card, &ChartCard::loaded, this, &MetricsPage::shareValueAxis);
    connect(card, &ChartCard::selectionShown, this, &MetricsPage::shareValueAxis);
    connect(card, &ChartCard::closeRequested, this, [this, card] { closeCard(card); });
    connect(card, &ChartCard::exportRequested, this, [this, card] {
        setCurrentCard(card);
        exportChart();
    });
    connect(card, &ChartCard::downloadRequested, this, [this, card] {
        setCurrentCard(card);
        downloadData();
    });
    connect(card, &ChartCard::statusMessage, this, &MetricsPage::statusMessage);
    connect(card, &ChartCard::sourceUnavailable, this, &MetricsPage::showUnavailable);
    updateClosable();
    shareValueAxis();
    return card;
}

void MetricsPage::addCard()
{
    // A copy of the current selection: compare by changing only the area or the metric.
    ChartCard *card = appendCard(m_current ? m_current->selection() : SeriesSelection());
    setCurrentCard(card);
    m_scroll->ensureWidgetVisible(card);
    Q_EMIT statusMessage(tr("New card: choose another area or metric to compare"),
                         kStatusTimeoutMs);
}

void MetricsPage::setCurrentCard(ChartCard *card)
{
    if (m_current == card)
        return;
    if (m_current)
        m_current->setCurrent(false);
    m_current = card;
    if (!card)
        return;
    card->setCurrent(true);
    m_navigator->setSelection(card->selection());
    m_navigator->setFilterOptions(card->filterOptions());
}

void MetricsPage::closeCard(ChartCard *card)
{
    const QList<ChartCard *> all = cards();
    if (all.size() < 2)
        return;
    if (card == m_current) {
        const qsizetype index = all.indexOf(card);
        setCurrentCard(all.value(index + 1, all.value(index - 1)));
    }
    card->deleteLater();
    card->hide();
    card->setParent(nullptr); // leaves the strip now, so cards() no longer lists it
    updateClosable();
}

// Not const, though it could be: it changes what the cards show.
// NOLINTNEXTLINE(readability-make-member-function-const)
void MetricsPage::updateClosable()
{
    const QList<ChartCard *> all = cards();
    for (ChartCard *card : all)
        card->setClosable(all.size() > 1);
}

void MetricsPage::onCardLoaded(ChartCard *card)
{
    if (card != m_current)
        return;
    // The card has picked defaults for what was not chosen; show them.
    m_navigator->setSelection(card->selection());
    m_navigator->setFilterOptions(card->filterOptions());
}

void MetricsPage::setSharedValueAxis(bool shared)
{
    m_sharedValueAxis = shared;
    shareValueAxis();
}

void MetricsPage::shareValueAxis() const
{
    std::optional<std::pair<double, double>> range;
    if (m_sharedValueAxis) {
        double low = 0, high = 0;
        for (ChartCard *card : cards()) {
            for (const PublicPoint &point : card->shownPoints()) {
                low = std::min({low, point.value, point.lowerConfidence.value_or(point.value)});
                high = std::max({high, point.value, point.upperConfidence.value_or(point.value)});
            }
        }
        // Round ends, as each card's own axis has.
        range = std::pair(-ChartStyle::niceCeiling(-low),
                          high > low ? ChartStyle::niceCeiling(high) : low + 1);
    }
    for (ChartCard *card : cards())
        card->setValueRange(range);
}

void MetricsPage::exportChart()
{
    if (m_current && m_current->shownHeadline()) {
        Q_EMIT statusMessage(tr("A headline figure has no chart; Download Data saves its record"),
                             kStatusTimeoutMs);
        return;
    }
    if (!m_current || m_current->shownPoints().isEmpty()) {
        Q_EMIT statusMessage(tr("There is no chart to export yet"), kStatusTimeoutMs);
        return;
    }
    // The picture's size first: reports and slides want a known one, not the card's.
    QStringList sizes;
    for (const QSize size : ReportChart::presetSizes())
        sizes << tr("%1 × %2 pixels").arg(size.width()).arg(size.height());
    bool chosen = false;
    const QString sizeName =
        QInputDialog::getItem(this, tr("Export chart"), tr("Size:"), sizes, 0, false, &chosen);
    if (!chosen)
        return;
    const QSize size = ReportChart::presetSizes().value(sizes.indexOf(sizeName));
    const QString png = tr("PNG image (*.png)");
    const QString svg = tr("SVG image (*.svg)");
    QString filter = png;
    const QString path = FileDialogs::saveFileName(this, tr("Export chart"),
                                                   suggestedName(m_current->selection(), u"png"_s),
                                                   png + u";;"_s + svg, &filter);
    if (path.isEmpty())
        return;
    const bool isSvg = filter == svg || path.endsWith(u".svg", Qt::CaseInsensitive);
    QString error;
    if (m_current->exportChart(path, isSvg ? ChartFormat::Svg : ChartFormat::Png, size, &error))
        Q_EMIT statusMessage(tr("Chart saved to %1").arg(QDir::toNativeSeparators(path)),
                             kStatusTimeoutMs);
    else
        Q_EMIT statusMessage(tr("Could not save the chart: %1").arg(error), 0);
}

void MetricsPage::downloadData()
{
    if (!m_current || (m_current->shownPoints().isEmpty() && !m_current->shownHeadline())) {
        Q_EMIT statusMessage(tr("There is no data to download yet"), kStatusTimeoutMs);
        return;
    }
    const QString csv = tr("CSV file (*.csv)");
    const QString json = tr("JSON file (*.json)");
    const bool jsonChosen = m_current->chosenDataFormat() == SeriesExport::Format::Json;
    QString filter = jsonChosen ? json : csv;
    const QString path = FileDialogs::saveFileName(
        this, tr("Download data"),
        suggestedName(m_current->selection(), jsonChosen ? u"json"_s : u"csv"_s),
        csv + u";;"_s + json, &filter);
    if (path.isEmpty())
        return;
    const bool isJson = filter == json || path.endsWith(u".json", Qt::CaseInsensitive);
    QString error;
    if (m_current->writeData(path, isJson ? SeriesExport::Format::Json : SeriesExport::Format::Csv,
                             &error))
        Q_EMIT statusMessage(tr("Data saved to %1").arg(QDir::toNativeSeparators(path)),
                             kStatusTimeoutMs);
    else
        Q_EMIT statusMessage(tr("Could not save the data: %1").arg(error), 0);
}

void MetricsPage::focusSearch()
{
    m_navigator->focusSearch();
}

QByteArray MetricsPage::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    const QList<ChartCard *> all = cards();
    out << kMetricsStateMagic << kMetricsStateVersion << m_splitter->saveState()
        << m_cardStrip->saveState() << qint32(all.size()) << qint32(all.indexOf(m_current));
    for (ChartCard *card : all)
        out << card->selection();
    out << m_sharedValueAxis;
    for (ChartCard *card : all)
        out << qint32(card->selection().series.kind);
    return state;
}

bool MetricsPage::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    qint32 version = 0, count = 0, current = -1;
    QByteArray splitter, strip;
    in >> magic >> version;
    if (magic != kMetricsStateMagic || version < 1 || version > kMetricsStateVersion)
        return false;
    in >> splitter >> strip >> count >> current;
    if (in.status() != QDataStream::Ok || count < 1 || count > 64)
        return false;
    QList<SeriesSelection> selections(count);
    for (SeriesSelection &selection : selections)
        in >> selection;
    bool shared = false;
    if (version >= 2)
        in >> shared;
    for (SeriesSelection &selection : selections) {
        qint32 kind = int(SeriesKind::TimeSeries);
        if (version >= 3)
            in >> kind;
        selection.series.kind =
            kind == int(SeriesKind::Headline) ? SeriesKind::Headline : SeriesKind::TimeSeries;
    }
    if (in.status() != QDataStream::Ok)
        return false;

    const QList<ChartCard *> old = cards();
    m_current = nullptr;
    for (ChartCard *card : old)
        delete card;
    for (const SeriesSelection &selection : std::as_const(selections))
        appendCard(selection);
    m_splitter->restoreState(splitter);
    m_cardStrip->restoreState(strip);
    const QList<ChartCard *> restored = cards();
    setCurrentCard(restored.value(current, restored.constFirst()));
    setSharedValueAxis(shared);
    return true;
}

} // namespace isobar
