# Desktop Metrics page: openDatabase() to the first chart painted on a 10 M-point store, against
# a plain QtSql read of the same series (bench/run-desktop.sh).
add_executable(bench_desktop_first_chart DesktopFirstChart.cpp)
target_link_libraries(bench_desktop_first_chart PRIVATE isobar_desktop)
