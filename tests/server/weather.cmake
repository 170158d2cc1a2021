add_unit_test(NAME TestGridCell SOURCES server/TestGridCell.cpp LIBS isobar_server)
add_unit_test(NAME TestLengthUnits SOURCES server/TestLengthUnits.cpp LIBS isobar_server)
add_unit_test(NAME TestWeatherCache SOURCES server/TestWeatherCache.cpp LIBS isobar_server CONCURRENCY)
# The watch routes of a real `isobar serve` (a child process) against an in-test sandbox.
add_unit_test(NAME TestWatchApi SOURCES server/TestWatchApi.cpp LIBS isobar_server)
add_dependencies(TestWatchApi isobar)
