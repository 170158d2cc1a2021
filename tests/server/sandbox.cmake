# The AccuWeather sandbox's wire format against the recorded fixtures, its authentication, key
# areas and faults, over real sockets; and the `isobar accuweather-sandbox` command itself.
add_unit_test(NAME TestAccuWeatherSandbox SOURCES server/TestAccuWeatherSandbox.cpp LIBS isobar_server)
add_dependencies(TestAccuWeatherSandbox isobar)
