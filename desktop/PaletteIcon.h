#pragma once

#include <QByteArray>
#include <QIcon>
#include <QIconEngine>

namespace isobar {

using namespace Qt::StringLiterals;

// A toolbar icon drawn from a monochrome SVG (resources under :/icons/) in the palette's text
// colour at paint time, at the size and device pixel ratio asked for: crisp on high-DPI
// screens, and it follows a light/dark palette switch without a second icon set.
class PaletteIconEngine : public QIconEngine
{
public:
    explicit PaletteIconEngine(QByteArray svg);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override;
    QIconEngine *clone() const override;
    QString key() const override { return u"isobar-palette-svg"_s; }

private:
    QByteArray m_svg; // stroke="#000000" marks what takes the palette's colour
};

// The icon named `name` (":/icons/<name>.svg").
QIcon paletteIcon(const QString &name);

} // namespace isobar
