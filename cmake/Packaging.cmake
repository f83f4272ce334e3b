# The Debian package: `cmake --build build --target package` writes
# build/torchlab_<version>-<release>_amd64.deb with CPack. The programs, the
# course, the exercise SDK and the desktop files install through the rules next
# to them; this file adds what only a package needs (man pages, AppStream
# metadata, copyright and changelog) and the package's control fields.
# docs/packaging.md says what goes where.

# The date of the release named by project(VERSION): the AppStream release and
# the Debian changelog entry. Bump both together.
set(TORCHLAB_RELEASE_DATE "2026-12-07")
set(TORCHLAB_DEB_RELEASE 1)
set(TORCHLAB_APPSTREAM_ID "org.torchlab.TorchLab")
set(TORCHLAB_PACKAGE_MAINTAINER "TorchLab team <maintainers@users.noreply.r-seed-411afa64.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(TORCHLAB_PACKAGE_HOMEPAGE "" CACHE STRING "Homepage field of the Debian package (none when empty)")

set(_pkg_out ${CMAKE_BINARY_DIR}/packaging)
set(_pkg_src ${PROJECT_SOURCE_DIR}/resources/packaging)
set(_pkg_doc ${CMAKE_INSTALL_DATADIR}/doc/torchlab)

# Man pages: help2man, from the programs' own --help, so that every option the
# code has is on the page (and none it lost); resources/man/*.h2m add files,
# environment and examples.
find_program(TORCHLAB_HELP2MAN help2man REQUIRED)
find_program(TORCHLAB_GZIP gzip REQUIRED)
set(_man_script ${PROJECT_SOURCE_DIR}/resources/man/manpage.sh)
add_custom_command(OUTPUT ${_pkg_out}/torchlab.1.gz
  COMMAND ${_man_script} ${TORCHLAB_HELP2MAN} $<TARGET_FILE:torchlab>
    ${PROJECT_SOURCE_DIR}/resources/man/torchlab.h2m ${_pkg_out}/torchlab.1.gz
  DEPENDS torchlab ${_man_script} ${PROJECT_SOURCE_DIR}/resources/man/torchlab.h2m
  COMMENT "Writing the man page torchlab(1)" VERBATIM)
add_custom_command(OUTPUT ${_pkg_out}/torchlab-cli.1.gz
  COMMAND ${_man_script} ${TORCHLAB_HELP2MAN} $<TARGET_FILE:torchlab-cli>
    ${PROJECT_SOURCE_DIR}/resources/man/torchlab-cli.h2m ${_pkg_out}/torchlab-cli.1.gz --commands
  DEPENDS torchlab-cli ${_man_script} ${PROJECT_SOURCE_DIR}/resources/man/torchlab-cli.h2m
  COMMENT "Writing the man page torchlab-cli(1)" VERBATIM)

# The Debian changelog (gzip -n: no time stamp, the same bytes every build).
execute_process(COMMAND date -u -R -d "${TORCHLAB_RELEASE_DATE} 12:00:00"
  OUTPUT_VARIABLE TORCHLAB_RELEASE_DATE_RFC2822 OUTPUT_STRIP_TRAILING_WHITESPACE
  COMMAND_ERROR_IS_FATAL ANY)
set(TORCHLAB_DEB_VERSION "${PROJECT_VERSION}-${TORCHLAB_DEB_RELEASE}")
configure_file(${_pkg_src}/changelog.in ${_pkg_out}/changelog @ONLY)
add_custom_command(OUTPUT ${_pkg_out}/changelog.Debian.gz
  COMMAND ${TORCHLAB_GZIP} -9nc ${_pkg_out}/changelog > ${_pkg_out}/changelog.Debian.gz
  DEPENDS ${_pkg_out}/changelog
  COMMENT "Compressing the Debian changelog")

configure_file(${_pkg_src}/torchlab.metainfo.xml.in
  ${_pkg_out}/${TORCHLAB_APPSTREAM_ID}.metainfo.xml @ONLY)

add_custom_target(torchlab_package_files ALL DEPENDS
  ${_pkg_out}/torchlab.1.gz ${_pkg_out}/torchlab-cli.1.gz ${_pkg_out}/changelog.Debian.gz)

install(FILES ${_pkg_out}/torchlab.1.gz ${_pkg_out}/torchlab-cli.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_pkg_out}/${TORCHLAB_APPSTREAM_ID}.metainfo.xml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${_pkg_src}/copyright ${_pkg_out}/changelog.Debian.gz DESTINATION ${_pkg_doc})
install(FILES ${_pkg_src}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
  RENAME torchlab)

# The package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME torchlab)
set(CPACK_PACKAGE_VENDOR "TorchLab team")
set(CPACK_PACKAGE_CONTACT "${TORCHLAB_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${TORCHLAB_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TORCHLAB_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(TORCHLAB_PACKAGE_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${TORCHLAB_PACKAGE_HOMEPAGE}")
endif()
# The synopsis, then the extended description (CPack joins and indents them).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "desktop lab for learning LibTorch, the PyTorch C++ API")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "TorchLab teaches the PyTorch C++ API in three days. Each lesson has text, an
exercise in a code editor and a Run button that compiles the learner's C++
against LibTorch and runs it on the local NVIDIA GPU, or on the CPU. Live
plots show the loss and GPU memory while it runs; automatic checks say what
passed and why something did not.

The package holds the lab window (torchlab), the command-line tool
(torchlab-cli), the built-in course and the exercise SDK (lab.h), in English
and Simplified Chinese.")
# Shared libraries (Qt 6, QScintilla, QCustomPlot, libarchive, libsodium, ...):
# dpkg-shlibdeps reads them off the binaries. Below: what the lab runs or loads
# at run time, which no binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  # the learner's code is compiled with clang++, linked with lld, against LibTorch
  "clang, lld, libtorch-dev"
  # the sandbox every learner and pack program runs in
  "bubblewrap"
  # the window's X11 platform plugin (libqt6gui6 only recommends it)
  "qt6-qpa-plugins")
list(JOIN CPACK_DEBIAN_PACKAGE_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
  # Qt's own Chinese strings (standard buttons, dialogs) and a CJK font for zh_CN
  "qt6-translations-l10n, fonts-noto-cjk"
  # the course's data set and the data-parallel lesson's Gloo headers
  "dataset-fashion-mnist, libgloo-dev"
  # course GPU servers over SSH; signing lesson packs and feeds (instructors)
  "openssh-client, minisign"
  # the lab window under Wayland
  "qt6-wayland")
list(JOIN CPACK_DEBIAN_PACKAGE_RECOMMENDS ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
  # the Python side of the Python/C++ lesson; runs through Slurm
  "python3-torch, slurm-client")
list(JOIN CPACK_DEBIAN_PACKAGE_SUGGESTS ", " CPACK_DEBIAN_PACKAGE_SUGGESTS)
# Control files 0644, as dpkg-deb and lintian expect.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
