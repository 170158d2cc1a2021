#include "ErrorBanner.h"

#include "operations/Thresholds.h"

#include <QApplication>
#include <QEvent>

using namespace Qt::StringLiterals;

namespace isobar {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(u"errorBanner"_s);
    setWordWrap(true);
    setAutoFillBackground(true);
    setMargin(8);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setAccessibleName(tr("Error"));
    hide();
    colour();
}

void ErrorBanner::showMessage(const QString &message)
{
    setText(message);
    show();
}

void ErrorBanner::changeEvent(QEvent *event)
{
    // Qt 6.4 reports a light/dark switch only as a palette change.
    if (event->type() == QEvent::PaletteChange)
        colour();
    QLabel::changeEvent(event);
}

void ErrorBanner::colour()
{
    // From the page's palette: our own holds the colours set here.
    const QPalette page = parentWidget() ? parentWidget()->palette() : QApplication::palette();
    QPalette banner = palette();
    banner.setColor(QPalette::Window, Thresholds::background(Thresholds::Level::Critical, page));
    banner.setColor(QPalette::WindowText,
                    Thresholds::foreground(Thresholds::Level::Critical, page));
    setPalette(banner);
}

} // namespace isobar
