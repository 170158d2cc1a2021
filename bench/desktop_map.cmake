# Map frame time while panning with 50,000 cells (bench/MapPanning.cpp), against the same
# frames with outlines only.
add_executable(bench_map_panning MapPanning.cpp Cities.h Cities.cpp)
target_link_libraries(bench_map_panning PRIVATE isobar_desktop)
