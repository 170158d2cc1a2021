#pragma once

#include "ChartData.h"
#include "ChartRequest.h"
#include "SeriesExport.h"
#include "SeriesSelection.h"

#include <QFrame>
#include <QFutureWatcher>
#include <optional>

class QLabel;
class QLayout;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace isobar {

class MetricTitles;

class ChartView;
class SeriesTableModel;

// One selection shown as the UKHSA dashboard shows a metric: title with the area, "Up to and
// including <date>", the latest figure and its trend, then tabs Chart / Table / Download /
// About. Reads all points of the metric at the area once; age, sex, stratum and period only
// narrow them, so changing those is instant. A headline metric (a 7-day total, a change) is a
// number card instead: its latest figure, the period it covers, and its direction.
class ChartCard : public QFrame
{
    Q_OBJECT
public:
    // Titles are the page's: a renamed metric is retitled on every card.
    explicit ChartCard(const MetricTitles *titles, QWidget *parent = nullptr);
    ~ChartCard() override;

    // The source is the page's; the card reads again when either changes.
    void setSource(MetricsSource *source);
    void setSelection(const SeriesSelection &selection);
    // The selection as shown: after a read, unchosen filters hold the defaults picked.
    SeriesSelection selection() const { return m_selection; }
    // Reads the points again (the store changed).
    void reload();

    bool isLoading() const { return m_loading; }
    // What the loaded data offer for the filters, and which hold data with the others.
    FilterOptions filterOptions() const;
    // The points shown (filters and period applied), oldest first; none on a number card.
    QList<PublicPoint> shownPoints() const { return m_shown; }
    // The headline record a number card shows (age, sex and stratum applied).
    std::optional<PublicHeadline> shownHeadline() const { return m_shownHeadline; }
    // The value axis's range, when cards compared share one (MetricsPage); unset, the card's
    // own data decide it.
    void setValueRange(std::optional<std::pair<double, double>> range);

    void setCurrent(bool current);
    // A page's only card cannot be closed.
    void setClosable(bool closable);

    // Writes the chart as shown (period and zoom) as PNG or SVG at `size`, ready for a
    // report: title, subtitle, axis titles with the unit, and the source (ReportChart).
    bool exportChart(const QString &path, ChartFormat format, QSize size, QString *error) const;
    // Writes the shown points as the API's download would.
    bool writeData(const QString &path, SeriesExport::Format format, QString *error) const;
    SeriesExport::Format chosenDataFormat() const;

Q_SIGNALS:
    // A read finished (successfully or not); the options and selection may have changed.
    void loaded();
    // The selection was shown anew (after a read or a filter): the card may have moved age,
    // sex or stratum to a combination that holds data.
    void selectionShown();
    void activated();
    void closeRequested();
    void exportRequested();
    void downloadRequested();
    void statusMessage(const QString &text, int timeoutMs);
    // The source itself failed (a store that cannot be read), not this card's read.
    void sourceUnavailable(const QString &why);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLayout *createTitleRow();
    QLayout *createHeadlineRow();
    QWidget *createBody();
    QWidget *createChartTab();
    QWidget *createTableTab();
    QWidget *createDownloadTab();
    QWidget *createAboutTab();
    QWidget *createNumberPage();
    void becomeCurrentOnAnyClickInside();

    void load();
    void onLoaded();
    void chooseDefaults();
    // When no point has the chosen age, sex and stratum, the combination that has data and
    // keeps most of the choice (age first, then sex, then stratum; "all" and "default" next).
    void moveToACombinationWithData();
    bool matchesFilters(const PublicPoint &point) const;
    void showFiltered();
    // The number card of a headline metric: the latest record of the chosen combination.
    void showHeadline();
    void showMessage(const QString &text);
    // The metric's title, the area, and each of age, sex and stratum not at its "all" or
    // "default": two cards that differ in any of them are told apart by their titles.
    void showTitle();
    ChartRequest chartRequest() const;
    // The shown points as the chart draws them.
    ChartDataset shownDataset() const;

    const MetricTitles *m_titles;
    MetricsSource *m_source = nullptr;
    std::optional<std::pair<double, double>> m_valueRange;
    SeriesSelection m_selection;
    QFutureWatcher<SeriesResult> m_watcher;
    SeriesQuery m_loadedQuery; // what m_all holds
    QList<PublicPoint> m_all;  // a headline metric's records as points at their period's end
    QList<PublicPoint> m_shown;
    QList<PublicHeadline> m_headlines;
    std::optional<PublicHeadline> m_shownHeadline;
    QStringList m_ages, m_sexes, m_strata;
    bool m_loading = false;
    bool m_hasData = false;
    bool m_current = false;

    QLabel *m_title;
    QPushButton *m_closeButton;
    QLabel *m_updated;
    QLabel *m_headline;
    QLabel *m_trend;
    QProgressBar *m_busy;
    QStackedWidget *m_body;
    QLabel *m_message;
    QTabWidget *m_tabs;
    ChartView *m_chart;
    QPushButton *m_resetZoom;
    QTableView *m_table;
    SeriesTableModel *m_tableModel;
    QRadioButton *m_csv;
    QRadioButton *m_json;
    QLabel *m_downloadSummary;
    QTextBrowser *m_about;
    QLabel *m_number;
    QLabel *m_numberPeriod;
    QLabel *m_numberDirection;
};

} // namespace isobar
