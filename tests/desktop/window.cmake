# The desktop's main window and settings dialog (offscreen). The settings dialog stores the
# AccuWeather key in a real Secret Service: that suite runs under support/with-keyring.sh.
add_unit_test(NAME TestMainWindow SOURCES desktop/TestMainWindow.cpp LIBS isobar_desktop
    TIMEOUT 180)
# It compares the window's import with `isobar ingest`'s.
add_dependencies(TestMainWindow isobar)
