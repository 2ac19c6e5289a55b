# SPDX-License-Identifier: Apache-2.0
# Allocation-failure loop (tests/alloc/alloc_fail.c): a plain program so that it runs in
# the normal and the ASan build alike (LeakSanitizer then checks the C library's side).
add_executable(alloc_fail ${CMAKE_CURRENT_SOURCE_DIR}/alloc/alloc_fail.c)
target_compile_options(alloc_fail PRIVATE ${IDR_C_WARNINGS})
target_link_libraries(alloc_fail PRIVATE idrisk_internal)
add_test(NAME alloc_fail COMMAND alloc_fail ${PROJECT_SOURCE_DIR})
set_tests_properties(alloc_fail PROPERTIES TIMEOUT 300)
target_link_libraries(alloc_fail PRIVATE PkgConfig::SQLITE3)

# tests/integration/batch_oom.py (`idrisk batch` under a sweep of RLIMIT_AS limits) is a
# manual probe, not a test: below some limits it ends in aborts inside third-party code
# (abseil's allocator, libgcc_s unwinding) that no change to idrisk can turn into an
# error return (docs/memory.md). The batch's own handling of allocation failure is
# tested exhaustively by batch_alloc_fail below. Run the probe by hand:
#   /usr/bin/python3 tests/integration/batch_oom.py --idrisk build/idrisk --source .

# `idrisk batch --db` with a failing allocator (tests/integration/batch_alloc_fail.py):
# the CLI's own sources built with IDR_CLI_TEST_ALLOC (tests/alloc/cli_alloc.c installs a
# counting allocator that fails the Nth library allocation after engine build and every
# later one). Each failure point must end in exit 1 with "out of memory" and whole
# result lines, and a resume must complete with the reference results.
add_executable(idrisk_allocfail ${IDR_CLI_SOURCES} ${CMAKE_CURRENT_SOURCE_DIR}/alloc/cli_alloc.c)
target_include_directories(idrisk_allocfail PRIVATE ${PROJECT_SOURCE_DIR}/tools/idrisk)
target_compile_options(idrisk_allocfail PRIVATE ${IDR_C_WARNINGS})
target_link_libraries(idrisk_allocfail PRIVATE idrisk PkgConfig::CJSON PkgConfig::SODIUM
  PkgConfig::ICU pthread)
target_compile_definitions(idrisk_allocfail PRIVATE IDR_CLI_TEST_ALLOC
  IDR_FETCH_SCRIPT_INSTALLED="${CMAKE_INSTALL_FULL_LIBEXECDIR}/idrisk/fetch-data.sh"
  IDR_FETCH_SCRIPT_SOURCE="${PROJECT_SOURCE_DIR}/tools/fetch-data.sh")
add_test(NAME batch_alloc_fail
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/batch_alloc_fail.py
          --idrisk $<TARGET_FILE:idrisk_allocfail> --source ${PROJECT_SOURCE_DIR})
# Not in the sanitizer pass (label nosan): its ~800 runs each build an engine, which
# under ASan takes the CI past its time limit; the library's failure paths are checked
# under ASan and LeakSanitizer allocation by allocation by alloc_fail.
set_tests_properties(batch_alloc_fail PROPERTIES TIMEOUT 900 LABELS nosan
  ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
