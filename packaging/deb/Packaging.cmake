# The Debian package isobar_VERSION_amd64.deb, made by CPack from this build tree:
#   cd build && cpack -G DEB -B packages
# It carries the binary, its manual, the INI file `isobar serve` reads, and a hardened systemd
# unit that runs as a dynamic user (no account is created at install time, so mmdebstrap and
# image builds that add their own `isobar` user are not disturbed). packaging/deb/check.sh proves
# it: lintian, then installed with apt in a booted systemd-nspawn Debian 12.

set(ISOBAR_DEB_SOURCE ${CMAKE_CURRENT_LIST_DIR})
set(ISOBAR_DEB_STAGE ${CMAKE_BINARY_DIR}/packaging/deb)
file(MAKE_DIRECTORY ${ISOBAR_DEB_STAGE})

# Manual and changelog compressed as Debian wants them (changelog.gz: the version has no Debian
# revision, so lintian takes it for a native package): gzip -9n (no name, no time stamp), so
# the same sources give the same bytes. Done when CMake configures, so that cpack needs no
# build step of its own; an edit to either file configures again.
find_program(ISOBAR_GZIP gzip REQUIRED)
foreach(pair "isobar.1;isobar.1.gz" "changelog;changelog.gz")
    list(GET pair 0 source)
    list(GET pair 1 target)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ISOBAR_DEB_SOURCE}/${source})
    execute_process(COMMAND ${ISOBAR_GZIP} -9nc ${ISOBAR_DEB_SOURCE}/${source}
                    OUTPUT_FILE ${ISOBAR_DEB_STAGE}/${target} COMMAND_ERROR_IS_FATAL ANY)
endforeach()

install(TARGETS isobar RUNTIME DESTINATION bin)
install(FILES ${ISOBAR_DEB_STAGE}/isobar.1.gz DESTINATION share/man/man1)
install(FILES ${ISOBAR_DEB_SOURCE}/isobar.conf DESTINATION /etc/isobar)
install(FILES ${ISOBAR_DEB_SOURCE}/isobar.service DESTINATION lib/systemd/system)
install(FILES ${ISOBAR_DEB_SOURCE}/copyright DESTINATION share/doc/isobar)
install(FILES ${ISOBAR_DEB_STAGE}/changelog.gz DESTINATION share/doc/isobar)
install(FILES ${ISOBAR_DEB_SOURCE}/accuweather-key.conf DESTINATION share/doc/isobar/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME isobar)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "Isobar developers <isobar@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Isobar developers <isobar@example.org>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "public-health metrics: desktop application and REST API server")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Isobar shows public-health metrics to analysts in a desktop window and\n"
    "serves them, with weather for watches, through a REST API compatible with\n"
    "the UK Health Security Agency data-dashboard API.\n"
    "\n"
    "The package installs a hardened systemd unit, isobar.service, that runs\n"
    "'isobar serve' as a dynamic user on a SQLite store under /var/lib/isobar,\n"
    "configured by /etc/isobar/isobar.conf.")
# Libraries from the binary's ELF references (dpkg-shlibdeps). Qt plugins are loaded at run
# time, so no ELF reference names them: the offscreen platform, JPEG writer and xcb platform
# come with libqt6gui6, the TLS backend with libqt6network6, the SVG image format with
# libqt6svg6 (all three linked, so already listed); the SQL drivers are named here. So is the
# time-zone database, which QTimeZone reads as files: UKHSA's embargo and refresh times are UK
# local time, and without it they would be read as UTC (a minimal system or image lacks it).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql, tzdata")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The maintainer scripts only enable, start, stop and clean up the unit (as dh_installsystemd
# writes them); no user is created: the unit's DynamicUser allocates one when it starts.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ISOBAR_DEB_SOURCE}/conffiles ${ISOBAR_DEB_SOURCE}/postinst ${ISOBAR_DEB_SOURCE}/prerm
    ${ISOBAR_DEB_SOURCE}/postrm)
include(CPack)
