#include "Cities.h"

#include <QFile>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace isobar::bench {

namespace {

QStringList csvFields(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"')
                field += u'"', ++i;
            else if (c == u'"')
                quoted = false;
            else
                field += c;
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    fields << field;
    return fields;
}

} // namespace

std::vector<City> readCities(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QStringList header = csvFields(QString::fromUtf8(file.readLine()).trimmed());
    const qsizetype name = header.indexOf(u"city"_s), lat = header.indexOf(u"lat"_s),
                    lon = header.indexOf(u"lon"_s), population = header.indexOf(u"population"_s);
    if (name < 0 || lat < 0 || lon < 0 || population < 0)
        return {};
    std::vector<City> cities;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList fields = csvFields(line);
        if (fields.size() != header.size())
            continue;
        cities.push_back(City{fields.value(name), fields.value(lat).toDouble(),
                              fields.value(lon).toDouble(), fields.value(population).toDouble()});
    }
    return cities;
}

std::vector<double> populations(const std::vector<City> &cities)
{
    std::vector<double> weights;
    weights.reserve(cities.size());
    for (const City &city : cities)
        weights.push_back(city.population);
    return weights;
}

} // namespace isobar::bench
