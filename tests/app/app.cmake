add_unit_test(NAME TestCommandLine SOURCES app/TestCommandLine.cpp LIBS isobar_models)
# `isobar chart`: the real binary on a real store.
add_unit_test(NAME TestChartCommand SOURCES app/TestChartCommand.cpp LIBS Qt6::Gui)
# `isobar credentials` against a real Secret Service (the real binary).
add_unit_test(NAME TestCredentialsCommand SOURCES app/TestCredentialsCommand.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 180)
add_dependencies(TestCredentialsCommand isobar)
