# Colour and age-band names, store checks, pixel-level rendering of every chart type, and the
# Plotly figure UKHSA's charts v3 answers with (bodies are read by ChartBody: tests/server/).
add_unit_test(NAME TestChartNames SOURCES charts/TestChartNames.cpp LIBS isobar_charts)
add_unit_test(NAME TestChartData SOURCES charts/TestChartData.cpp LIBS isobar_charts)
add_unit_test(NAME TestDateAxis SOURCES charts/TestDateAxis.cpp LIBS isobar_charts)
add_unit_test(NAME TestChartRendering SOURCES charts/TestChartRendering.cpp LIBS isobar_charts)
add_unit_test(NAME TestPngEncoder SOURCES charts/TestPngEncoder.cpp LIBS isobar_charts)
add_unit_test(NAME TestPlotlyFigure SOURCES charts/TestPlotlyFigure.cpp LIBS isobar_charts)
