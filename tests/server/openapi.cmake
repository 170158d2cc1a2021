# The OpenAPI document against the route table of a real ApiServer (both directions).
find_package(Qt6 REQUIRED COMPONENTS Concurrent)
add_unit_test(NAME TestOpenApi SOURCES server/TestOpenApi.cpp LIBS isobar_server Qt6::Concurrent)
