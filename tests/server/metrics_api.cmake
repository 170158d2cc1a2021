# The metrics API over a real socket: `isobar serve` as a child process on fixture data, one
# server per suite (server/MetricsApiFixture.h).
add_library(isobar_testmetricsapi STATIC server/MetricsApiFixture.h server/MetricsApiFixture.cpp)
target_link_libraries(isobar_testmetricsapi PUBLIC isobar_testsupport isobar_models)
target_include_directories(isobar_testmetricsapi PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/server)

foreach(suite TestPublicTimeseriesApi TestMetricsApiQueries TestMetricsApiTables TestMapsApi
        TestWeatherAlertsApi TestSubplotApi TestDualCategoryApi)
    add_unit_test(NAME ${suite} SOURCES server/${suite}.cpp LIBS isobar_testmetricsapi STORES)
    add_dependencies(${suite} isobar)
endforeach()

# The bulk download's ZIP is read back with libzip.
add_unit_test(NAME TestBulkDownloadsApi SOURCES server/TestBulkDownloadsApi.cpp
    LIBS isobar_testmetricsapi PkgConfig::LIBZIP STORES)
add_dependencies(TestBulkDownloadsApi isobar)

# Hostile values in every documented route's parameters and bodies (from the served /openapi.json);
# the weather routes reach an in-test AccuWeather sandbox.
add_unit_test(NAME TestBadInput SOURCES server/TestBadInput.cpp
    LIBS isobar_testmetricsapi isobar_server STORES)
add_dependencies(TestBadInput isobar)
