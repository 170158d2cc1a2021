add_unit_test(NAME TestCommandLine SOURCES app/TestCommandLine.cpp LIBS isobar_models)
