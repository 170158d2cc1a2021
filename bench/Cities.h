#pragma once

#include <QString>
#include <vector>

namespace isobar::bench {

// A city of the world cities file (name, position, population): the places simulated watch
// traffic comes from.
struct City {
    QString name;
    double latitude = 0;
    double longitude = 0;
    double population = 0;
};

// Reads a CSV with `city`, `lat`, `lon` and `population` columns (RFC 4180 quoting, as in
// "Washington, D.C."); empty when the file or a column is missing.
std::vector<City> readCities(const QString &path);

// The cities' populations, in order: the weights traffic is drawn with.
std::vector<double> populations(const std::vector<City> &cities);

} // namespace isobar::bench
