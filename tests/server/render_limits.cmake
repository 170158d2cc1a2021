# The charts API's render queue limit (503 with Retry-After beyond --max-queued-renders).
add_unit_test(NAME TestChartRenderLimits SOURCES server/TestChartRenderLimits.cpp
    LIBS isobar_models TIMEOUT 300)
add_dependencies(TestChartRenderLimits isobar)
