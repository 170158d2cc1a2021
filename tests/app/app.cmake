add_unit_test(NAME TestCommandLine SOURCES app/TestCommandLine.cpp LIBS isobar_models)
# `isobar chart`: the real binary on a real store.
add_unit_test(NAME TestChartCommand SOURCES app/TestChartCommand.cpp LIBS Qt6::Gui)
# `isobar credentials` against a real Secret Service (the real binary).
add_unit_test(NAME TestCredentialsCommand SOURCES app/TestCredentialsCommand.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 180)
add_dependencies(TestCredentialsCommand isobar)
# SIGKILL mid-ingest and mid-request-log: the real binary on SQLite and PostgreSQL stores.
add_unit_test(NAME TestCrashRecovery SOURCES app/TestCrashRecovery.cpp LIBS isobar_models STORES
    TIMEOUT 300)
add_dependencies(TestCrashRecovery isobar)
# `isobar check-store`: the real binary on sound, damaged, missing and older stores.
add_unit_test(NAME TestStoreCheckCommand SOURCES app/TestStoreCheckCommand.cpp LIBS isobar_models)
add_dependencies(TestStoreCheckCommand isobar)
