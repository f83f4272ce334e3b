# torchlab: the desktop lab. torchlab_studio holds the main window, the one
# controller that wires app/core to widgets/, and the embedded translations,
# so that tests link exactly what the app runs; main.cpp stays thin.
add_library(torchlab_studio STATIC
  ${CMAKE_CURRENT_LIST_DIR}/courselocator.h ${CMAKE_CURRENT_LIST_DIR}/courselocator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/environmentsession.h ${CMAKE_CURRENT_LIST_DIR}/environmentsession.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mainwindow.h ${CMAKE_CURRENT_LIST_DIR}/mainwindow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/studiocontroller.h ${CMAKE_CURRENT_LIST_DIR}/studiocontroller.cpp
  ${CMAKE_CURRENT_LIST_DIR}/studiocontroller_run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/uilanguage.h ${CMAKE_CURRENT_LIST_DIR}/uilanguage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/packscontroller.h ${CMAKE_CURRENT_LIST_DIR}/packscontroller.cpp
  ${CMAKE_CURRENT_LIST_DIR}/instancechannel.h ${CMAKE_CURRENT_LIST_DIR}/instancechannel.cpp
)
target_include_directories(torchlab_studio PUBLIC ${CMAKE_CURRENT_LIST_DIR})
# Qt Network: the local socket that hands a second start's link to the running lab.
target_link_libraries(torchlab_studio PUBLIC torchlab_widgets Qt6::Network)
qt_add_resources(torchlab_studio studio_icons
  PREFIX /icons
  BASE ${CMAKE_SOURCE_DIR}/resources/icons
  FILES ${CMAKE_SOURCE_DIR}/resources/icons/torchlab.png)
# The course in the source tree: a build tree runs without installing.
target_compile_definitions(torchlab_studio PRIVATE
  TORCHLAB_SOURCE_COURSE_DIR="${CMAKE_SOURCE_DIR}/lessons/course"
  TORCHLAB_INSTALL_COURSE_DIR="${CMAKE_INSTALL_DATADIR}/torchlab/course")

# Our strings in Simplified Chinese: lrelease runs at build time and the .qm
# lands in :/i18n. `ninja torchlab_studio_lupdate` refreshes the .ts from the
# sources of app/ and widgets/.
file(GLOB_RECURSE _torchlab_tr_sources CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/app/*.cpp ${CMAKE_SOURCE_DIR}/app/*.h
  ${CMAKE_SOURCE_DIR}/widgets/*.cpp ${CMAKE_SOURCE_DIR}/widgets/*.h)
qt_add_translations(torchlab_studio
  TS_FILES ${CMAKE_SOURCE_DIR}/resources/translations/torchlab_zh_CN.ts
  SOURCES ${_torchlab_tr_sources}
  RESOURCE_PREFIX /i18n
  LUPDATE_OPTIONS -no-obsolete -locations none)

qt_add_executable(torchlab ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(torchlab PRIVATE torchlab_studio)
install(TARGETS torchlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/lessons/course/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/torchlab/course)
