# Chart request parsing, store checks, pixel-level rendering of every chart type, and the
# Plotly figure UKHSA's charts v3 answers with.
add_unit_test(NAME TestChartRequest SOURCES charts/TestChartRequest.cpp LIBS isobar_charts)
add_unit_test(NAME TestChartData SOURCES charts/TestChartData.cpp LIBS isobar_charts)
add_unit_test(NAME TestChartRendering SOURCES charts/TestChartRendering.cpp LIBS isobar_charts)
add_unit_test(NAME TestPngEncoder SOURCES charts/TestPngEncoder.cpp LIBS isobar_charts)
add_unit_test(NAME TestPlotlyFigure SOURCES charts/TestPlotlyFigure.cpp LIBS isobar_charts)
