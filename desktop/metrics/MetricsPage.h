#pragma once

#include "MetricsSource.h"

#include <QFutureWatcher>
#include <QUrl>
#include <QWidget>
#include <memory>

class QScrollArea;
class QSplitter;

namespace isobar {

class ChartCard;
class ErrorBanner;
class MetricNavigator;
class MetricTitles;
struct SeriesSelection;

// The analysts' page, as UKHSA dashboard users know it: the navigator on the left, chart cards
// side by side on the right (each its own selection, for comparing areas or metrics). Reads the
// local store in-process or a remote Isobar's public API; the views never know which.
class MetricsPage : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsPage(QWidget *parent = nullptr);
    ~MetricsPage() override;

    // The local store, read in-process on a worker thread. False (and `error`) when the file
    // cannot be a store; a store that fails to open later says so in the navigator.
    bool openDatabase(const QString &path, QString *error);
    // A remote Isobar's public API, e.g. http://127.0.0.1:8080/.
    void openRemote(const QUrl &baseUrl);
    // The data changed (after an ingest): reads the catalogue and every card again.
    void reload();

    // Splitter sizes, the cards and their selections, which card is current.
    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

    MetricNavigator *navigator() const { return m_navigator; }
    QList<ChartCard *> cards() const;
    ChartCard *currentCard() const { return m_current; }

    // Whether compared cards share one value axis (from zero to the largest value any shows),
    // so their heights compare; off, each card fits its own data.
    bool sharesValueAxis() const { return m_sharedValueAxis; }

    // Shows `metric` (its first area, England when offered) on the current card, now or once
    // the catalogue is read: `isobar --metric NAME` and links into the desktop.
    void showMetric(const QString &metric);

public Q_SLOTS:
    void addCard();
    void exportChart();
    void downloadData();
    void focusSearch();
    void setSharedValueAxis(bool shared);

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);

private:
    void setSource(std::unique_ptr<MetricsSource> source);
    void readCatalogue();
    void showUnavailable(const QString &why);
    void onCatalogueRead();
    bool applyRequestedMetric();
    ChartCard *appendCard(const SeriesSelection &selection);
    void setCurrentCard(ChartCard *card);
    void closeCard(ChartCard *card);
    void onCardLoaded(ChartCard *card);
    void updateClosable();
    // Gives every card the shared value range, or lets each fit its own.
    void shareValueAxis() const;

    std::unique_ptr<MetricsSource> m_source;
    QFutureWatcher<CatalogueResult> m_catalogueWatcher;
    QString m_requestedMetric; // shown when the catalogue arrives
    MetricTitles *m_titles;
    QSplitter *m_splitter;
    MetricNavigator *m_navigator;
    QScrollArea *m_scroll;
    QSplitter *m_cardStrip;
    ErrorBanner *m_banner;
    ChartCard *m_current = nullptr;
    bool m_sharedValueAxis = false;
};

} // namespace isobar
