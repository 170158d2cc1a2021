#include "StatTile.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace isobar {

namespace {

QString levelName(Thresholds::Level level)
{
    switch (level) {
    case Thresholds::Level::None:
        return {};
    case Thresholds::Level::Ok:
        return StatTile::tr("within threshold");
    case Thresholds::Level::Warning:
        return StatTile::tr("warning");
    case Thresholds::Level::Critical:
        return StatTile::tr("critical");
    }
    return {};
}

} // namespace

StatTile::StatTile(const QString &title, QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_value(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::TabFocus); // so keyboard and screen-reader users can step through tiles
    setAccessibleName(title);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 2);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    clear();
}

void StatTile::setValue(const QString &value, Thresholds::Level level, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
    m_level = level;
    applyLevel();
}

void StatTile::clear(const QString &detail)
{
    setValue(u"–"_s, Thresholds::Level::None, detail);
}

QString StatTile::title() const
{
    return m_title->text();
}

QString StatTile::value() const
{
    return m_value->text();
}

QString StatTile::detail() const
{
    return m_detail->text();
}

void StatTile::changeEvent(QEvent *event)
{
    // The system switched between light and dark: pick the level's colours for the new palette.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyLevel();
    QFrame::changeEvent(event);
}

void StatTile::applyLevel()
{
    // The fill is painted, and the text colour set on the labels only: changing the tile's own
    // palette here would send it another PaletteChange.
    const QColor text = Thresholds::foreground(m_level, palette());
    for (QLabel *label : {m_title, m_value, m_detail}) {
        QPalette labelPalette = label->palette();
        labelPalette.setColor(QPalette::WindowText, text);
        label->setPalette(labelPalette);
    }
    const QString level = levelName(m_level);
    setAccessibleDescription(level.isEmpty()
                                 ? tr("%1, %2").arg(m_value->text(), m_detail->text())
                                 : tr("%1 (%2), %3").arg(m_value->text(), level, m_detail->text()));
    update();
}

void StatTile::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(Thresholds::background(m_level, palette()));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 4, 4);
    }
    QFrame::paintEvent(event);
}

} // namespace isobar
