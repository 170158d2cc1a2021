# Chart request parsing, store checks and pixel-level rendering of every chart type.
add_unit_test(NAME TestChartRequest SOURCES charts/TestChartRequest.cpp LIBS isobar_charts)
add_unit_test(NAME TestChartData SOURCES charts/TestChartData.cpp LIBS isobar_charts)
add_unit_test(NAME TestChartRendering SOURCES charts/TestChartRendering.cpp LIBS isobar_charts)
add_unit_test(NAME TestPngEncoder SOURCES charts/TestPngEncoder.cpp LIBS isobar_charts)
