#include "GeographyJson.h"

#include "http/JsonBytes.h"

namespace isobar {

namespace {

// "cache":{...},"latitude":..,"longitude":..,"requests":..: what both shapes say of a cell after
// its bounds.
void appendCounts(QByteArray &out, const CellCount &cell)
{
    out += "\"cache\":{\"hit\":";
    JsonBytes::appendNumber(out, double(cell.hits));
    out += ",\"miss\":";
    JsonBytes::appendNumber(out, double(cell.misses));
    out += ",\"stale\":";
    JsonBytes::appendNumber(out, double(cell.stale));
    out += "},\"latitude\":";
    JsonBytes::appendNumber(out, cell.cell.latitude);
    out += ",\"longitude\":";
    JsonBytes::appendNumber(out, cell.cell.longitude);
    out += ",\"requests\":";
    JsonBytes::appendNumber(out, double(cell.requests));
}

void appendPoint(QByteArray &out, double longitude, double latitude)
{
    out += '[';
    JsonBytes::appendNumber(out, longitude);
    out += ',';
    JsonBytes::appendNumber(out, latitude);
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
        JsonBytes::appendNumber(out, c.longitude + c.halfLongitude);
        out += ",\"north\":";
        JsonBytes::appendNumber(out, c.latitude + c.halfLatitude);
        out += ",\"south\":";
        JsonBytes::appendNumber(out, c.latitude - c.halfLatitude);
        out += ",\"west\":";
        JsonBytes::appendNumber(out, c.longitude - c.halfLongitude);
        out += "},";
        appendCounts(out, cell);
        out += '}';
    }
    out += "],\"from\":";
    out += JsonBytes::string(from);
    out += ",\"to\":";
    out += JsonBytes::string(to);
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
