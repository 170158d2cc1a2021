# Token verification, scopes, rate limits, CORS and upload, against a real `isobar serve` and a
# local OpenID Connect provider whose keys the test makes.
add_library(isobar_testoidc STATIC support/OidcTestProvider.h support/OidcTestProvider.cpp)
target_link_libraries(isobar_testoidc PUBLIC isobar_testsupport isobar_server)
target_include_directories(isobar_testoidc PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/support)

add_unit_test(NAME TestServeAuth SOURCES server/TestServeAuth.cpp LIBS isobar_testoidc)

# The provider slow, silent, refusing and down from the start, behind support/FaultProxy.
add_unit_test(NAME TestAuthProviderFaults SOURCES server/TestAuthProviderFaults.cpp
    LIBS isobar_testoidc TIMEOUT 120)
add_dependencies(TestAuthProviderFaults isobar)

# The probes, `isobar healthcheck` and JSON logs of a real `isobar serve`; start-up and readiness
# wait for the signing keys of the local provider.
add_unit_test(NAME TestReplicaProbes SOURCES server/TestReplicaProbes.cpp LIBS isobar_testoidc)
add_dependencies(TestReplicaProbes isobar)

# X-Forwarded-* from trusted proxies only: TrustedProxies, and a real `isobar serve` behind one.
add_unit_test(NAME TestTrustedProxies SOURCES server/TestTrustedProxies.cpp LIBS isobar_testsupport isobar_server)
add_dependencies(TestTrustedProxies isobar)
