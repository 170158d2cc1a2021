# The desktop's main window and settings dialog (offscreen). The settings dialog stores the
# AccuWeather key in a real Secret Service: that suite runs under support/with-keyring.sh.
add_unit_test(NAME TestMainWindow SOURCES desktop/TestMainWindow.cpp LIBS isobar_desktop
    TIMEOUT 180)
# It compares the window's import with `isobar ingest`'s.
add_dependencies(TestMainWindow isobar)

# End to end on a real X server (Xvfb): traffic recorded by `isobar serve`, then the desktop
# opening both pages and saving them as PNGs (docs/screenshots/ holds the committed ones).
add_test(NAME DesktopEndToEnd
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/desktop/end-to-end.sh $<TARGET_FILE:isobar>
            $<TARGET_FILE:bench_weather_oidc_provider> ${CMAKE_BINARY_DIR}/screenshots)
set_tests_properties(DesktopEndToEnd PROPERTIES TIMEOUT 300
    ENVIRONMENT "${ISOBAR_SANITIZER_ENVIRONMENT}")

add_unit_test(NAME TestSettingsDialog SOURCES desktop/TestSettingsDialog.cpp
    LIBS isobar_desktop LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 120)

add_unit_test(NAME TestFileDialogs SOURCES desktop/TestFileDialogs.cpp LIBS isobar_desktop)
