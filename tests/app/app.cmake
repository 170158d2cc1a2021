add_unit_test(NAME TestCommandLine SOURCES app/TestCommandLine.cpp LIBS isobar_models)
# `isobar chart`: the real binary on a real store.
add_unit_test(NAME TestChartCommand SOURCES app/TestChartCommand.cpp LIBS Qt6::Gui)
