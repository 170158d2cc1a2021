// WorldOutlines: GeoJSON countries into scene paths, across the antimeridian and around the
// poles, and the bundled Natural Earth files.
#include "map/MapProjection.h"
#include "map/WorldOutlines.h"

#include <QTest>

using namespace isobar;

namespace {

QPainterPath onlyCountry(const QByteArray &geometry)
{
    const QList<WorldOutlines::Country> countries = WorldOutlines::countriesFromGeoJson(
        R"({"type": "FeatureCollection", "features": [{"type": "Feature",
            "properties": {"name": "Test"}, "geometry": )"
        + geometry + "}]}");
    return countries.size() == 1 ? countries.constFirst().path : QPainterPath();
}

bool contains(const QPainterPath &path, double longitude, double latitude)
{
    return path.contains(MapProjection::toScene(longitude, latitude));
}

} // namespace

class TestWorldMapOutlines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void islandAcrossTheAntimeridian()
    {
        // Followed naively, 179 -> -179 is a stripe across the whole map.
        const QPainterPath path = onlyCountry(R"({"type": "Polygon", "coordinates":
            [[[179, -16], [-179, -16], [-179, -17], [179, -17], [179, -16]]]})");
        QVERIFY(contains(path, 179.5, -16.5));
        QVERIFY(contains(path, -179.5, -16.5));
        QVERIFY(!contains(path, 0, -16.5));
        QVERIFY(!contains(path, 178.5, -16.5));
        QVERIFY(MapProjection::world().contains(path.boundingRect()));
    }

    void ringAroundThePole()
    {
        // Antarctica's ring runs once around the globe and jumps back from +180 to -180.
        const QPainterPath path = onlyCountry(R"({"type": "Polygon", "coordinates":
            [[[-180, -80], [0, -70], [180, -80], [-180, -80]]]})");
        QVERIFY(contains(path, 0, -89.5));
        QVERIFY(contains(path, 0, -75));
        QVERIFY(contains(path, 179, -85));
        QVERIFY(!contains(path, 0, -60));
    }

    void holesAndMultiPolygons()
    {
        const QPainterPath path = onlyCountry(R"({"type": "MultiPolygon", "coordinates": [
            [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]],
            [[[20, 0], [21, 0], [21, 1], [20, 0]]]]})");
        QVERIFY(contains(path, 2, 2));
        QVERIFY(!contains(path, 5, 5)); // in the hole
        QVERIFY(contains(path, 20.8, 0.5));
        QVERIFY(!contains(path, 15, 5));
    }

    void skipsWhatIsNotACountry()
    {
        const QList<WorldOutlines::Country> countries = WorldOutlines::countriesFromGeoJson(
            R"({"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": null},
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}},
                {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}},
                {"type": "Feature", "properties": {"name": "Kept"}, "geometry": {"type": "Polygon",
                 "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]})");
        QCOMPARE(countries.size(), 1);
        QCOMPARE(countries.at(0).name, u"Kept");
        QVERIFY(WorldOutlines::countriesFromGeoJson("not json").isEmpty());
    }

    void bundledNaturalEarth()
    {
        QFuture<WorldOutlines> future = WorldOutlines::shared();
        future.waitForFinished();
        const WorldOutlines outlines = future.result();
        QCOMPARE(outlines.coarse.size(), 177);
        QCOMPARE(outlines.fine.size(), 241);
        for (const auto *countries : {&outlines.coarse, &outlines.fine}) {
            const auto countryAt = [&](double longitude, double latitude) {
                for (const WorldOutlines::Country &country : *countries) {
                    if (contains(country.path, longitude, latitude))
                        return country.name;
                }
                return QString();
            };
            QCOMPARE(countryAt(-0.12, 51.5), u"United Kingdom");
            QCOMPARE(countryAt(-99.1, 19.4), u"Mexico");
            QCOMPARE(countryAt(100, -89.5), u"Antarctica");
            QCOMPARE(countryAt(-175, 65.5), u"Russia");  // Chukotka, east of the antimeridian
            QCOMPARE(countryAt(179.5, 71.2), u"Russia"); // Wrangel Island, west of it
            // Open sea on the latitudes of Fiji's and Russia's antimeridian rings.
            QCOMPARE(countryAt(0, -16.3), QString());
            QCOMPARE(countryAt(-10, 67), QString());
            QCOMPARE(countryAt(-150, 71), QString());
        }
    }
};

QTEST_GUILESS_MAIN(TestWorldMapOutlines)
#include "TestWorldMapOutlines.moc"
