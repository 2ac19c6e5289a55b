# Allocation-failure loop (tests/alloc/alloc_fail.c): a plain program so that it runs in
# the normal and the ASan build alike (LeakSanitizer then checks the C library's side).
add_executable(alloc_fail ${CMAKE_CURRENT_SOURCE_DIR}/alloc/alloc_fail.c)
target_compile_options(alloc_fail PRIVATE ${IDR_C_WARNINGS})
target_link_libraries(alloc_fail PRIVATE idrisk_internal)
add_test(NAME alloc_fail COMMAND alloc_fail ${PROJECT_SOURCE_DIR})
set_tests_properties(alloc_fail PROPERTIES TIMEOUT 300)
target_link_libraries(alloc_fail PRIVATE PkgConfig::SQLITE3)

# `idrisk batch --db` under a sweep of address-space limits (RLIMIT_AS), then resumed
# without one (tests/integration/batch_oom.py). DISABLED: it finds failures that are
# not fixed yet (docs/memory.md, "Batch under memory pressure": cJSON's out-of-memory
# read as malformed JSON, third-party aborts), and takes minutes. Run it by hand:
#   /usr/bin/python3 tests/integration/batch_oom.py --idrisk build/idrisk --source .
# Never under the sanitizers (ASan's shadow memory needs terabytes of address space).
add_test(NAME batch_oom
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/batch_oom.py
          --idrisk $<TARGET_FILE:idrisk_cli> --source ${PROJECT_SOURCE_DIR})
set_tests_properties(batch_oom PROPERTIES DISABLED TRUE LABELS nosan TIMEOUT 900
  ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
