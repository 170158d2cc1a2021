#pragma once

#include "SeriesSelection.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace isobar {

class MetricSearchFilter;
class MetricTitles;
class MetricTreeModel;

// The left-hand side of the Metrics page: a theme > sub-theme > topic > metric tree of titles
// (renamed from its context menu) with search-as-you-type, then the area selector (type, then
// name; a new type clears the name), age, sex and stratum filters and the period. It edits one
// selection, the current card's: the page sets it, the navigator reports each change the user
// makes. A metric is chosen by a click or Enter, never by the search narrowing the tree; Down
// in the search box moves into the results, Enter there opens the first one.
class MetricNavigator : public QWidget
{
    Q_OBJECT
public:
    explicit MetricNavigator(MetricTitles *titles, QWidget *parent = nullptr);

    MetricTreeModel *model() const { return m_model; }
    MetricTitles *titles() const { return m_titles; }
    void setCatalogue(const QList<CatalogueEntry> &entries);
    // While the catalogue is read: a busy note instead of an empty tree. An error replaces it.
    void setLoading(bool loading);
    void setError(const QString &error);

    // Shows a selection without reporting it back.
    void setSelection(const SeriesSelection &selection);
    SeriesSelection selection() const { return m_selection; }
    // The values the current card's data offer for age, sex and stratum; those without data
    // for the other two choices are marked "no data" (and still offered: choosing one moves
    // the others to a combination that has data).
    void setFilterOptions(const FilterOptions &options);

    // `metric` at the area chosen now when it is offered there, else at England, else at its
    // first area; filters cleared for the card to choose.
    SeriesSelection selectionFor(const SeriesQuery &metric) const;
    // The first time series of the tree, for a page that opens with nothing chosen.
    SeriesQuery firstMetric() const;

    QLineEdit *searchField() const { return m_search; }
    QTreeView *tree() const { return m_tree; }

public Q_SLOTS:
    void focusSearch();

Q_SIGNALS:
    // The user changed the selection (metric, area, a filter or the period).
    void selectionEdited(const isobar::SeriesSelection &selection);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The period narrows dated points only; a headline figure covers its own.
    void offerPeriodForKind();
    void onMetricActivated(const QModelIndex &proxyIndex);
    void onSearchEdited(const QString &text);
    // The tree, or a note saying why it is empty (no catalogue, or no match for the search).
    void showTreeOrNote();
    void showContextMenu(const QPoint &position);
    // The first metric the tree shows, in the view's model (invalid when none is).
    QModelIndex firstShownMetric() const;
    void onAreaTypeChosen();
    void onAreaChosen();
    void onFilterChosen();
    void fillAreas();
    void showSelection();
    void edited();

    MetricTitles *m_titles;
    MetricTreeModel *m_model;
    MetricSearchFilter *m_proxy;
    QLineEdit *m_search;
    QTreeView *m_tree;
    QLabel *m_note;
    QComboBox *m_areaType;
    QComboBox *m_area;
    QComboBox *m_age;
    QComboBox *m_sex;
    QComboBox *m_stratum;
    QComboBox *m_period;
    SeriesSelection m_selection;
    int m_updating = 0; // > 0 while widgets are set from code: no reports
};

} // namespace isobar
