add_unit_test(NAME TestGridCell SOURCES server/TestGridCell.cpp LIBS isobar_server)
add_unit_test(NAME TestLengthUnits SOURCES server/TestLengthUnits.cpp LIBS isobar_server)
add_unit_test(NAME TestWeatherCache SOURCES server/TestWeatherCache.cpp LIBS isobar_server CONCURRENCY)
# The watch routes of a real `isobar serve` (a child process) against an in-test sandbox.
add_unit_test(NAME TestWatchApi SOURCES server/TestWatchApi.cpp LIBS isobar_server)
add_dependencies(TestWatchApi isobar)

# Packet loss and refused connections between a real `isobar serve` and its upstream, injected
# with iptables in a network namespace the script makes (root only; skipped otherwise).
add_test(NAME NetworkFaults
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/server/network-faults.sh $<TARGET_FILE:isobar>)
set_tests_properties(NetworkFaults PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
    ENVIRONMENT "${ISOBAR_SANITIZER_ENVIRONMENT}")
