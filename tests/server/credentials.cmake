# Credential tests talk to a real Secret Service: each executable runs under
# support/with-keyring.sh, which starts gnome-keyring on a private session bus with a fresh
# HOME and fails (never skips) when it cannot.
set(ISOBAR_WITH_KEYRING ${CMAKE_CURRENT_SOURCE_DIR}/support/with-keyring.sh)

add_unit_test(NAME TestKeychain SOURCES server/TestKeychain.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 120)
add_unit_test(NAME TestAccuWeatherKeyProvider SOURCES server/TestAccuWeatherKeyProvider.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 120)
add_unit_test(NAME TestCredentialsCommand SOURCES server/TestCredentialsCommand.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 180)
# It runs the real `isobar credentials`.
add_dependencies(TestCredentialsCommand isobar)
