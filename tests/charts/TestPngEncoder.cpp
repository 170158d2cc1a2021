#include "PngEncoder.h"

#include <QBuffer>
#include <QImageReader>
#include <QPainter>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace isobar;

namespace {

// What charts look like to the filters: flat areas, repeated rows, antialiased diagonals and
// text; plus noise, where neither filter helps and every byte value occurs.
QImage chartLike(QImage::Format format, QSize size)
{
    QImage image(size, format);
    image.fill(format == QImage::Format_RGB32 ? QColor(Qt::white) : QColor(Qt::transparent));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(QRectF(10.5, 20.25, 60, 40), QColor(18, 67, 109));
    painter.setPen(QPen(QColor(244, 106, 37, 200), 2));
    painter.drawLine(QPointF(0, size.height()), QPointF(size.width(), 0));
    painter.drawText(QPointF(5, size.height() - 5), u"00-04 90+"_s);
    QRandomGenerator random(6);
    for (int y = size.height() / 2; y < size.height() / 2 + 8; ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y,
                           random.generate() | (format == QImage::Format_RGB32 ? 0xff000000 : 0));
    return image;
}

QImage decoded(const QByteArray &png, QByteArray *format = nullptr)
{
    QByteArray bytes = png;
    QBuffer buffer(&bytes);
    QImageReader reader(&buffer, "png");
    QImage image = reader.read();
    if (format)
        *format = reader.format();
    return image;
}

} // namespace

class TestPngEncoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opaqueImagesRoundTripAsRgb_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("515x220") << QSize(515, 220);
        QTest::newRow("1200x600") << QSize(1200, 600);
        QTest::newRow("1x1") << QSize(1, 1);
    }
    void opaqueImagesRoundTripAsRgb()
    {
        QFETCH(QSize, size);
        const QImage image = chartLike(QImage::Format_RGB32, size);
        QByteArray format;
        const QImage back = decoded(PngEncoder::encode(image), &format);
        QCOMPARE(format, QByteArray("png"));
        QVERIFY(!back.hasAlphaChannel()); // colour type RGB: no alpha channel written
        QCOMPARE(back.convertToFormat(QImage::Format_RGB32), image);
    }

    void translucentImagesKeepTheirAlpha()
    {
        const QImage image = chartLike(QImage::Format_ARGB32, {300, 120});
        const QImage back = decoded(PngEncoder::encode(image));
        QVERIFY(back.hasAlphaChannel());
        QCOMPARE(back.convertToFormat(QImage::Format_ARGB32), image);
    }

    void flatChartsCompressWell()
    {
        // A blank 1200x600 image is 2 MB of pixels; as repeated zero rows it deflates to little.
        QImage blank(1200, 600, QImage::Format_RGB32);
        blank.fill(Qt::white);
        const QByteArray png = PngEncoder::encode(blank);
        QVERIFY2(png.size() < 8000, qPrintable(QString::number(png.size())));
        QCOMPARE(decoded(png).convertToFormat(QImage::Format_RGB32), blank);
    }

    void nullImageGivesNoBytes() { QVERIFY(PngEncoder::encode(QImage()).isEmpty()); }
};

QTEST_MAIN(TestPngEncoder)
#include "TestPngEncoder.moc"
