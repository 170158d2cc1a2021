# The Metrics page on the offscreen platform, over a store ingested from the bundled sample data
# and, for the remote source, a real `isobar serve` on that store.
add_unit_test(NAME TestMetricsPage SOURCES desktop/TestMetricsPage.cpp LIBS isobar_desktop)
add_dependencies(TestMetricsPage isobar)
add_unit_test(NAME TestMetricsPresentation SOURCES desktop/TestMetricsPresentation.cpp
              LIBS isobar_desktop)
