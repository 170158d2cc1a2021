# Request capture, roll-ups, the stats API and /metrics, against a real `isobar serve` and an
# in-test AccuWeather sandbox.
add_unit_test(NAME TestMonitoring SOURCES server/TestMonitoring.cpp LIBS isobar_server)
add_unit_test(NAME TestStatsJson SOURCES server/TestStatsJson.cpp LIBS isobar_server)
add_unit_test(NAME TestStatsApi SOURCES server/TestStatsApi.cpp LIBS isobar_server)
add_unit_test(NAME TestLogFormat SOURCES server/TestLogFormat.cpp LIBS isobar_server)
