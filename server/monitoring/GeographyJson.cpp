#include "GeographyJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace isobar {

namespace {

// QJsonDocument writes an integral double up to 2^53 as an integer, others as shortest 'g'.
void appendNumber(QByteArray &out, double value)
{
    if (!std::isfinite(value))
        out += "null";
    else if (value == std::trunc(value) && std::abs(value) <= 9007199254740992.0)
        out += QByteArray::number(qint64(value));
    else
        out += QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2); // Qt's own escaping, without the brackets
}

// "cache":{...},"latitude":..,"longitude":..,"requests":..: what both shapes say of a cell after
// its bounds.
void appendCounts(QByteArray &out, const CellCount &cell)
{
    out += "\"cache\":{\"hit\":";
    appendNumber(out, double(cell.hits));
    out += ",\"miss\":";
    appendNumber(out, double(cell.misses));
    out += ",\"stale\":";
    appendNumber(out, double(cell.stale));
    out += "},\"latitude\":";
    appendNumber(out, cell.cell.latitude);
    out += ",\"longitude\":";
    appendNumber(out, cell.cell.longitude);
    out += ",\"requests\":";
    appendNumber(out, double(cell.requests));
}

void appendPoint(QByteArray &out, double longitude, double latitude)
{
    out += '[';
    appendNumber(out, longitude);
    out += ',';
    appendNumber(out, latitude);
    out += ']';
}

} // namespace

QByteArray GeographyJson::cells(const QList<CellCount> &cells, const QString &from,
                                const QString &to)
{
    QByteArray out;
    out.reserve(cells.size() * 240 + 80);
    out += "{\"cells\":[";
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const CellCount &cell = cells[i];
        const CellBounds &c = cell.cell;
        out += i ? ",{\"bounds\":{\"east\":" : "{\"bounds\":{\"east\":";
        appendNumber(out, c.longitude + c.halfLongitude);
        out += ",\"north\":";
        appendNumber(out, c.latitude + c.halfLatitude);
        out += ",\"south\":";
        appendNumber(out, c.latitude - c.halfLatitude);
        out += ",\"west\":";
        appendNumber(out, c.longitude - c.halfLongitude);
        out += "},";
        appendCounts(out, cell);
        out += '}';
    }
    out += "],\"from\":";
    out += jsonString(from);
    out += ",\"to\":";
    out += jsonString(to);
    out += '}';
    return out;
}

QByteArray GeographyJson::featureCollection(const QList<CellCount> &cells)
{
    QByteArray out;
    out.reserve(cells.size() * 330 + 50);
    out += "{\"features\":[";
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const CellCount &cell = cells[i];
        const CellBounds &c = cell.cell;
        const double west = c.longitude - c.halfLongitude, east = c.longitude + c.halfLongitude;
        const double south = c.latitude - c.halfLatitude, north = c.latitude + c.halfLatitude;
        out += i ? ",{\"geometry\":{\"coordinates\":[[" : "{\"geometry\":{\"coordinates\":[[";
        appendPoint(out, west, south);
        out += ',';
        appendPoint(out, east, south);
        out += ',';
        appendPoint(out, east, north);
        out += ',';
        appendPoint(out, west, north);
        out += ',';
        appendPoint(out, west, south);
        out += "]],\"type\":\"Polygon\"},\"properties\":{";
        appendCounts(out, cell);
        out += "},\"type\":\"Feature\"}";
    }
    out += "],\"type\":\"FeatureCollection\"}";
    return out;
}

} // namespace isobar
