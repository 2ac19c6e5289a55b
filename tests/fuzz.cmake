# SPDX-License-Identifier: Apache-2.0
# Corpus replay: every tests/fuzz/fuzz_<name>.c harness is also built with the ordinary
# compiler into replay_<name> (harness + tests/fuzz/replay.c, no libFuzzer) and run over
# its committed corpus tests/fuzz/corpus/<name>/ as the test fuzz_replay_<name>. Crashes
# the fuzzer once found stay fixed; under IDR_SANITIZE the replay is sanitized too.
# Harnesses that build an engine with databases (fuzz_score) get the fetched data
# directory as IDRISK_TEST_DATA_DIR when it exists at configure time; otherwise the
# environment ctest runs in is passed through, and a harness whose variable names no
# directory falls back to MaxMind's test databases in tests/fixtures/maxmind.
file(GLOB IDR_FUZZ_HARNESSES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
foreach(src ${IDR_FUZZ_HARNESSES})
  get_filename_component(harness ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" name ${harness})
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  add_executable(replay_${name} ${src} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay.c)
  target_compile_options(replay_${name} PRIVATE ${IDR_C_WARNINGS})
  target_link_libraries(replay_${name} PRIVATE idrisk_internal)
  if(IS_DIRECTORY ${corpus})
    add_test(NAME fuzz_replay_${name} COMMAND replay_${name} ${corpus})
    if(IS_DIRECTORY "${IDRISK_TEST_DATA_DIR}")
      set_tests_properties(fuzz_replay_${name} PROPERTIES ENVIRONMENT
        "IDRISK_TEST_DATA_DIR=${IDRISK_TEST_DATA_DIR}")
    endif()
  else()
    message(WARNING "fuzz harness ${harness}.c has no corpus directory ${corpus}; "
                    "its replay test is not registered")
  endif()
endforeach()
