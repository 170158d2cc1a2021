#include "MetricNavigator.h"

#include "MetricSearchFilter.h"
#include "MetricTitles.h"
#include "MetricTreeModel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

// Sets a combo's items and current text from code; a value not on offer leaves it blank.
void fillCombo(QComboBox *combo, const QStringList &items, const QString &current)
{
    combo->clear();
    combo->addItems(items);
    combo->setCurrentIndex(combo->findText(current));
    combo->setEnabled(!items.isEmpty());
}

// A filter's items: each value as its data (what the selection holds), shown as is when it has
// data with the other filters and greyed with "no data" when not.
void fillFilterCombo(QComboBox *combo, const QStringList &values, const QStringList &withData,
                     const QString &current)
{
    combo->clear();
    for (const QString &value : values) {
        if (withData.contains(value)) {
            combo->addItem(value, value);
            continue;
        }
        combo->addItem(MetricNavigator::tr("%1 (no data)").arg(value), value);
        combo->setItemData(combo->count() - 1, combo->palette().color(QPalette::PlaceholderText),
                           Qt::ForegroundRole);
    }
    combo->setCurrentIndex(combo->findData(current));
    combo->setEnabled(!values.isEmpty());
}

} // namespace

MetricNavigator::MetricNavigator(MetricTitles *titles, QWidget *parent)
    : QWidget(parent)
    , m_titles(titles)
    , m_model(new MetricTreeModel(titles, this))
    , m_proxy(new MetricSearchFilter(this))
    , m_search(new QLineEdit)
    , m_tree(new QTreeView)
    , m_note(new QLabel)
    , m_areaType(new QComboBox)
    , m_area(new QComboBox)
    , m_age(new QComboBox)
    , m_sex(new QComboBox)
    , m_stratum(new QComboBox)
    , m_period(new QComboBox)
{
    m_proxy->setSourceModel(m_model);

    m_search->setPlaceholderText(tr("Search metrics"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search metrics"));
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &MetricNavigator::onSearchEdited);

    m_tree->setModel(m_proxy);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAccessibleName(tr("Metrics"));
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    // Long titles keep both ends, where metrics of a topic differ ("… by age", "… by region").
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeView::customContextMenuRequested, this,
            &MetricNavigator::showContextMenu);
    // Enter (and a double click) and a click choose; moving the current row does not.
    connect(m_tree, &QTreeView::activated, this, &MetricNavigator::onMetricActivated);
    connect(m_tree, &QTreeView::clicked, this, &MetricNavigator::onMetricActivated);

    m_note->setWordWrap(true);
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_note->hide();

    m_areaType->setAccessibleName(tr("Area type"));
    m_areaType->setPlaceholderText(tr("Choose an area type"));
    m_area->setAccessibleName(tr("Area"));
    m_area->setPlaceholderText(tr("Choose an area"));
    m_age->setAccessibleName(tr("Age"));
    m_sex->setAccessibleName(tr("Sex"));
    m_stratum->setAccessibleName(tr("Stratum"));
    m_period->setAccessibleName(tr("Period"));
    for (QComboBox *combo : {m_areaType, m_area, m_age, m_sex, m_stratum}) {
        combo->setEnabled(false);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
    }
    for (Period period :
         {Period::OneMonth, Period::ThreeMonths, Period::SixMonths, Period::OneYear, Period::All})
        m_period->addItem(periodName(period), int(period));
    m_period->setCurrentIndex(-1);
    m_period->setPlaceholderText(tr("Default"));

    connect(m_areaType, &QComboBox::activated, this, &MetricNavigator::onAreaTypeChosen);
    connect(m_area, &QComboBox::activated, this, &MetricNavigator::onAreaChosen);
    for (QComboBox *combo : {m_age, m_sex, m_stratum, m_period})
        connect(combo, &QComboBox::activated, this, &MetricNavigator::onFilterChosen);

    auto *filters = new QFormLayout;
    filters->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    filters->addRow(tr("Area &type:"), m_areaType);
    filters->addRow(tr("&Area:"), m_area);
    filters->addRow(tr("A&ge:"), m_age);
    filters->addRow(tr("Se&x:"), m_sex);
    filters->addRow(tr("&Stratum:"), m_stratum);
    filters->addRow(tr("&Period:"), m_period);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_note, 1);
    layout->addLayout(filters);

    setTabOrder(m_search, m_tree);
    setTabOrder(m_tree, m_areaType);
    setTabOrder(m_areaType, m_area);
    setTabOrder(m_area, m_age);
    setTabOrder(m_age, m_sex);
    setTabOrder(m_sex, m_stratum);
    setTabOrder(m_stratum, m_period);
    setMinimumWidth(260);
}

void MetricNavigator::setCatalogue(const QList<CatalogueEntry> &entries)
{
    ++m_updating;
    m_model->setCatalogue(entries);
    --m_updating;
    if (m_proxy->isSearching())
        m_tree->expandAll();
    showTreeOrNote();
    showSelection();
}

void MetricNavigator::onSearchEdited(const QString &text)
{
    m_proxy->setSearch(text);
    if (m_proxy->isSearching())
        m_tree->expandAll();
    showTreeOrNote();
}

void MetricNavigator::showTreeOrNote()
{
    QString note;
    if (m_model->rowCount() == 0)
        note = tr("No metrics yet. Import UKHSA files (File > Import) or open another database.");
    else if (m_proxy->rowCount() == 0)
        note =
            tr("No metric matches “%1”. Try fewer or other words.").arg(m_search->text().trimmed());
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_tree->setVisible(note.isEmpty());
}

QModelIndex MetricNavigator::firstShownMetric() const
{
    QModelIndex index = m_proxy->index(0, 0);
    while (index.isValid() && m_proxy->hasChildren(index))
        index = m_proxy->index(0, 0, index);
    return index;
}

bool MetricNavigator::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_search || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent *>(event)->key();
    const QModelIndex first = firstShownMetric();
    if (key == Qt::Key_Down && !m_tree->isHidden()) {
        m_tree->setFocus(Qt::TabFocusReason);
        if (first.isValid())
            m_tree->setCurrentIndex(first);
        return true;
    }
    if ((key == Qt::Key_Return || key == Qt::Key_Enter) && m_proxy->isSearching()
        && first.isValid()) {
        m_tree->setCurrentIndex(first);
        onMetricActivated(first);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void MetricNavigator::showContextMenu(const QPoint &position)
{
    const SeriesQuery metric =
        MetricTreeModel::metricAt(m_proxy->mapToSource(m_tree->indexAt(position)));
    if (metric.metric.isEmpty())
        return;
    QMenu menu;
    menu.addAction(tr("&Rename…"), this, [this, metric] {
        bool ok = false;
        const QString title = QInputDialog::getText(
            this, tr("Rename metric"), tr("Title for %1:").arg(metric.metric), QLineEdit::Normal,
            m_titles->title(metric.topic, metric.metric), &ok);
        if (ok)
            m_titles->rename(metric.topic, metric.metric, title);
    });
    QAction *reset = menu.addAction(tr("Use the &derived title"), this, [this, metric] {
        m_titles->rename(metric.topic, metric.metric, {});
    });
    reset->setEnabled(m_titles->isRenamed(metric.topic, metric.metric));
    menu.exec(m_tree->viewport()->mapToGlobal(position));
}

void MetricNavigator::setLoading(bool loading)
{
    if (!loading)
        return;
    m_tree->hide();
    m_note->setText(tr("Reading the catalogue…"));
    m_note->show();
}

void MetricNavigator::setError(const QString &error)
{
    m_tree->hide();
    m_note->setText(tr("Could not read the catalogue: %1").arg(error));
    m_note->show();
}

void MetricNavigator::setSelection(const SeriesSelection &selection)
{
    m_selection = selection;
    showSelection();
}

void MetricNavigator::showSelection()
{
    ++m_updating;
    const QModelIndex metric = m_model->indexOfMetric(m_selection.series);
    const QModelIndex shown = m_proxy->mapFromSource(metric);
    if (shown.isValid()) {
        m_tree->setCurrentIndex(shown);
        m_tree->scrollTo(shown);
    } else {
        m_tree->clearSelection();
        m_tree->setCurrentIndex({});
    }
    fillCombo(m_areaType, m_model->areaTypes(m_selection.series), m_selection.series.geographyType);
    fillAreas();
    m_period->setCurrentIndex(m_selection.period ? m_period->findData(int(*m_selection.period))
                                                 : -1);
    offerPeriodForKind();
    --m_updating;
}

void MetricNavigator::offerPeriodForKind()
{
    // A headline figure covers its own period: there is nothing to narrow.
    m_period->setEnabled(m_selection.series.kind == SeriesKind::TimeSeries);
}

void MetricNavigator::fillAreas()
{
    const QString type = m_selection.series.geographyType;
    fillCombo(m_area, type.isEmpty() ? QStringList() : m_model->areas(m_selection.series, type),
              m_selection.series.geography);
}

void MetricNavigator::setFilterOptions(const FilterOptions &options)
{
    ++m_updating;
    fillFilterCombo(m_age, options.ages, options.agesWithData, m_selection.age);
    fillFilterCombo(m_sex, options.sexes, options.sexesWithData, m_selection.sex);
    fillFilterCombo(m_stratum, options.strata, options.strataWithData, m_selection.stratum);
    --m_updating;
}

void MetricNavigator::onMetricActivated(const QModelIndex &proxyIndex)
{
    const SeriesQuery metric = MetricTreeModel::metricAt(m_proxy->mapToSource(proxyIndex));
    if (metric.metric.isEmpty()
        || (metric.metric == m_selection.series.metric && metric.topic == m_selection.series.topic))
        return;
    m_selection = selectionFor(metric);
    const SeriesQuery &next = m_selection.series;
    const QStringList types = m_model->areaTypes(metric);
    ++m_updating;
    fillCombo(m_areaType, types, next.geographyType);
    fillAreas();
    for (QComboBox *combo : {m_age, m_sex, m_stratum})
        fillFilterCombo(combo, {}, {}, {});
    offerPeriodForKind();
    --m_updating;
    edited();
}

SeriesSelection MetricNavigator::selectionFor(const SeriesQuery &metric) const
{
    SeriesSelection next;
    next.series = metric;
    next.period = m_selection.period;
    const QStringList types = m_model->areaTypes(metric);
    const QString &type = m_selection.series.geographyType;
    if (types.contains(type)
        && m_model->areas(metric, type).contains(m_selection.series.geography)) {
        next.series.geographyType = type;
        next.series.geography = m_selection.series.geography;
    } else if (m_model->areas(metric, u"Nation"_s).contains(u"England"_s)) {
        next.series.geographyType = u"Nation"_s;
        next.series.geography = u"England"_s;
    } else if (!types.isEmpty()) {
        next.series.geographyType = types.first();
        next.series.geography = m_model->areas(metric, types.first()).value(0);
    }
    return next;
}

SeriesQuery MetricNavigator::firstMetric() const
{
    // The first chart in tree order: a page opens on a chart, not on a headline figure.
    const QModelIndexList metrics =
        m_model->match(m_model->index(0, 0), MetricTreeModel::KindRole, int(SeriesKind::TimeSeries),
                       1, Qt::MatchExactly | Qt::MatchRecursive);
    return metrics.isEmpty() ? SeriesQuery() : MetricTreeModel::metricAt(metrics.first());
}

void MetricNavigator::onAreaTypeChosen()
{
    if (m_areaType->currentText() == m_selection.series.geographyType)
        return;
    m_selection.series.geographyType = m_areaType->currentText();
    m_selection.series.geography.clear(); // a name of another type means nothing here
    ++m_updating;
    fillAreas();
    --m_updating;
    edited();
}

void MetricNavigator::onAreaChosen()
{
    if (m_area->currentText() == m_selection.series.geography)
        return;
    m_selection.series.geography = m_area->currentText();
    edited();
}

void MetricNavigator::onFilterChosen()
{
    m_selection.age = m_age->currentData().toString();
    m_selection.sex = m_sex->currentData().toString();
    m_selection.stratum = m_stratum->currentData().toString();
    if (m_period->currentIndex() >= 0)
        m_selection.period = Period(m_period->currentData().toInt());
    edited();
}

void MetricNavigator::edited()
{
    if (!m_updating)
        Q_EMIT selectionEdited(m_selection);
}

void MetricNavigator::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

} // namespace isobar
