#include "TimeRangeBar.h"

#include "Durations.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

constexpr int kIntervalsSeconds[] = {0, 5, 30, 60, 300};

QString intervalLabel(int seconds)
{
    if (seconds == 0)
        return TimeRangeBar::tr("Off");
    if (seconds < 60)
        return TimeRangeBar::tr("%n s", nullptr, seconds);
    return TimeRangeBar::tr("%n min", nullptr, seconds / 60);
}

QDateTimeEdit *dateTimeEdit(const QString &accessibleName, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(parent);
    edit->setTimeSpec(Qt::UTC); // the server's roll-ups are in UTC hours
    edit->setDisplayFormat(u"yyyy-MM-dd HH:mm 'UTC'"_s);
    edit->setCalendarPopup(true);
    edit->setAccessibleName(accessibleName);
    return edit;
}

} // namespace

TimeRangeBar::TimeRangeBar(QWidget *parent)
    : QWidget(parent)
    , m_preset(new QComboBox(this))
    , m_from(dateTimeEdit(tr("Custom range start"), this))
    , m_to(dateTimeEdit(tr("Custom range end"), this))
    , m_applyCustom(new QToolButton(this))
    , m_refresh(new QToolButton(this))
    , m_interval(new QComboBox(this))
    , m_updated(new QLabel(this))
    , m_shown(new QLabel(this))
    , m_timer(new QTimer(this))
{
    for (TimeRange::Preset preset : TimeRange::presets())
        m_preset->addItem(TimeRange::label(preset), int(preset));
    m_preset->setAccessibleName(tr("Time range"));
    m_preset->setObjectName(u"rangePreset"_s);
    m_from->setObjectName(u"customFrom"_s);
    m_to->setObjectName(u"customTo"_s);
    m_applyCustom->setObjectName(u"applyCustomRange"_s);
    m_interval->setObjectName(u"refreshInterval"_s);
    m_preset->setToolTip(tr("Time range of every stat, chart, map and table on the page"));

    m_applyCustom->setText(tr("Apply"));
    m_applyCustom->setAccessibleName(tr("Apply custom range"));

    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refresh->setAccessibleName(tr("Refresh now"));
    // F5 is the window's Refresh action, which refreshes this page when it is shown: a second
    // shortcut here made the key ambiguous, and Qt then triggers neither.
    m_refresh->setToolTip(
        tr("Refresh now (%1)")
            .arg(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText)));

    for (int seconds : kIntervalsSeconds)
        m_interval->addItem(intervalLabel(seconds), seconds);
    m_interval->setAccessibleName(tr("Auto-refresh interval"));
    m_interval->setToolTip(tr("Refresh the page automatically"));
    m_updated->setAccessibleName(tr("Last update"));
    m_shown->setObjectName(u"shownRange"_s);
    m_shown->setAccessibleName(tr("Range shown"));
    m_shown->setForegroundRole(QPalette::PlaceholderText);

    auto *rangeLabel = new QLabel(tr("&Range:"), this);
    rangeLabel->setBuddy(m_preset);
    auto *intervalLabelWidget = new QLabel(tr("&Auto-refresh:"), this);
    intervalLabelWidget->setBuddy(m_interval);
    auto *dash = new QLabel(u"–"_s, this);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(rangeLabel);
    layout->addWidget(m_preset);
    layout->addWidget(m_from);
    layout->addWidget(dash);
    layout->addWidget(m_to);
    layout->addWidget(m_applyCustom);
    layout->addWidget(m_shown);
    layout->addStretch(1);
    layout->addWidget(m_updated);
    layout->addWidget(m_refresh);
    layout->addWidget(intervalLabelWidget);
    layout->addWidget(m_interval);

    // Custom fields only matter for a custom range.
    for (QWidget *custom : {static_cast<QWidget *>(m_from), static_cast<QWidget *>(dash),
                            static_cast<QWidget *>(m_to), static_cast<QWidget *>(m_applyCustom)}) {
        custom->setVisible(false);
        connect(m_preset, &QComboBox::currentIndexChanged, custom, [this, custom] {
            custom->setVisible(m_preset->currentData().toInt() == int(TimeRange::Preset::Custom));
        });
    }

    connect(m_preset, &QComboBox::activated, this, &TimeRangeBar::choosePreset);
    connect(m_applyCustom, &QToolButton::clicked, this, &TimeRangeBar::applyCustomRange);
    connect(m_refresh, &QToolButton::clicked, this, &TimeRangeBar::refreshRequested);
    connect(m_interval, &QComboBox::activated, this, &TimeRangeBar::chooseInterval);
    connect(m_timer, &QTimer::timeout, this, &TimeRangeBar::autoRefreshDue);

    setRange(TimeRange(TimeRange::Preset::LastHour));
}

void TimeRangeBar::setRange(const TimeRange &range)
{
    if (!range.isValid())
        return;
    m_range = range;
    m_preset->setCurrentIndex(m_preset->findData(int(range.preset())));
    if (range.preset() == TimeRange::Preset::Custom) {
        m_from->setDateTime(range.customFrom());
        m_to->setDateTime(range.customTo());
    }
}

int TimeRangeBar::refreshIntervalSeconds() const
{
    return m_interval->currentData().toInt();
}

void TimeRangeBar::setRefreshIntervalSeconds(int seconds)
{
    const int index = m_interval->findData(seconds);
    if (index < 0)
        return;
    m_interval->setCurrentIndex(index);
    chooseInterval(index);
}

QList<int> TimeRangeBar::intervals()
{
    return QList<int>(std::begin(kIntervalsSeconds), std::end(kIntervalsSeconds));
}

void TimeRangeBar::setUpdatedText(const QString &text)
{
    m_updated->setText(text);
}

void TimeRangeBar::clearShownRange()
{
    m_shown->clear();
    m_shown->setToolTip({});
}

void TimeRangeBar::setShownRange(qint64 fromMs, qint64 toMs)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(fromMs);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(toMs);
    const QString format =
        from.date() == to.date() && toMs - fromMs < kDayMs ? u"HH:mm"_s : u"d MMM HH:mm"_s;
    m_shown->setText(tr("%1 – %2").arg(from.toString(format), to.toString(format)));
    m_shown->setToolTip(tr("What the charts cover, in whole buckets: %1 to %2")
                            .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate)));
}

void TimeRangeBar::choosePreset(int index)
{
    const auto preset = TimeRange::Preset(m_preset->itemData(index).toInt());
    if (preset == TimeRange::Preset::Custom) {
        // Start from the span on screen, so "custom" begins as a small edit of what was there.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        m_to->setDateTime(now);
        m_from->setDateTime(now.addMSecs(-m_range.spanMs()));
        m_from->setFocus();
        return;
    }
    m_range = TimeRange(preset);
    Q_EMIT rangeChanged(m_range);
}

void TimeRangeBar::applyCustomRange()
{
    const TimeRange range = TimeRange::custom(m_from->dateTime(), m_to->dateTime());
    if (!range.isValid()) {
        m_updated->setText(tr("The range must end after it starts"));
        return;
    }
    m_range = range;
    Q_EMIT rangeChanged(m_range);
}

void TimeRangeBar::chooseInterval(int index)
{
    const int seconds = m_interval->itemData(index).toInt();
    if (seconds == 0)
        m_timer->stop();
    else
        m_timer->start(seconds * 1000);
}

} // namespace isobar
