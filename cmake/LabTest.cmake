# add_lab_test(NAME SOURCES... [LIBS ...] [LABELS ...] [TIMEOUT s] [GUI] [ENV VAR=VALUE...])
#
# One helper for every Qt Test executable. Core tests use QTEST_GUILESS_MAIN;
# GUI tests pass GUI and run with the offscreen platform. Tests get an isolated
# XDG home under the build tree so they never touch the developer's files.
function(add_lab_test name)
  cmake_parse_arguments(T "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
  set(sources ${T_UNPARSED_ARGUMENTS} ${T_SOURCES})
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE Qt6::Test ${T_LIBS})
  # Shared test helpers are included as "helpers/…".
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  torchlab_warnings(${name})
  target_compile_definitions(${name} PRIVATE
    TORCHLAB_TEST_SOURCE_DIR="${CMAKE_SOURCE_DIR}/tests"
    TORCHLAB_TEST_BINARY_DIR="${CMAKE_BINARY_DIR}/tests")
  add_test(NAME ${name} COMMAND ${name})
  set(env
    "XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/test-home/${name}/cache"
    "XDG_CONFIG_HOME=${CMAKE_BINARY_DIR}/test-home/${name}/config"
    "XDG_DATA_HOME=${CMAKE_BINARY_DIR}/test-home/${name}/data"
    "QT_QPA_PLATFORM=offscreen"
    ${T_ENV})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  # Qt Test's own watchdog (300 s by default in Qt 6.4, counted from the start of
  # the run on slow machines) must not fire before CTest's limit does: CTest's
  # TIMEOUT is the one limit a test has.
  math(EXPR watchdog_ms "${T_TIMEOUT} * 1000")
  list(APPEND env "QTEST_FUNCTION_TIMEOUT=${watchdog_ms}")
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${T_TIMEOUT})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
