add_unit_test(NAME TestGridCell SOURCES server/TestGridCell.cpp LIBS isobar_server)
add_unit_test(NAME TestLengthUnits SOURCES server/TestLengthUnits.cpp LIBS isobar_server)
add_unit_test(NAME TestWeatherCache SOURCES server/TestWeatherCache.cpp LIBS isobar_server)
