# POST /api/charts/v2 and v3 against a real `isobar serve`: formats, validation, cache, ETag.
add_unit_test(NAME TestChartsApi SOURCES server/TestChartsApi.cpp LIBS isobar_models Qt6::Gui)
