# The Operations page: its parts on their own, and the whole page against a real `isobar serve`
# (with and without tokens), a local OpenID Connect provider and an in-test AccuWeather sandbox.
add_unit_test(NAME TestOperationsParts SOURCES desktop/TestOperationsParts.cpp
              LIBS isobar_desktop)
add_unit_test(NAME TestOperationsPage SOURCES desktop/TestOperationsPage.cpp
              LIBS isobar_desktop isobar_testoidc)
