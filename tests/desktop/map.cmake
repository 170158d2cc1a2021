# The world map: stats answers into cells and bins, the Natural Earth outlines, and the view's
# pixels, zoom, keys and tooltips on the offscreen platform.
add_unit_test(NAME TestWorldMapCells SOURCES desktop/TestWorldMapCells.cpp LIBS isobar_desktop)
add_unit_test(NAME TestWorldMapOutlines SOURCES desktop/TestWorldMapOutlines.cpp
              LIBS isobar_desktop)
add_unit_test(NAME TestWorldMapView SOURCES desktop/TestWorldMapView.cpp LIBS isobar_desktop)
