# The metrics API over a real socket: `isobar serve` as a child process on fixture data.
add_unit_test(NAME TestMetricsApi SOURCES server/TestMetricsApi.cpp LIBS isobar_models)
add_dependencies(TestMetricsApi isobar)
