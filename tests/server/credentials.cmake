# Credential tests talk to a real Secret Service: each executable runs under
# ISOBAR_WITH_KEYRING (tests/CMakeLists.txt).

add_unit_test(NAME TestKeychain SOURCES server/TestKeychain.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 120)
add_unit_test(NAME TestAccuWeatherKeyProvider SOURCES server/TestAccuWeatherKeyProvider.cpp LIBS isobar_server
    LAUNCHER ${ISOBAR_WITH_KEYRING} TIMEOUT 120)
