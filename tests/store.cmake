# SPDX-License-Identifier: Apache-2.0
# The linkage store's helper programs (tests/store): the benchmark that measures
# recording and linking rates and the store's size (docs/store.md), run here on a
# small store so that it keeps working; the unit tests are tests/unit/test_store.c.
add_executable(store_bench ${CMAKE_CURRENT_SOURCE_DIR}/store/store_bench.c)
target_compile_options(store_bench PRIVATE ${IDR_C_WARNINGS})
target_include_directories(store_bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(store_bench PRIVATE
  IDR_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(store_bench PRIVATE idrisk_internal)
add_test(NAME store_bench COMMAND store_bench 300)
set_tests_properties(store_bench PROPERTIES
  ENVIRONMENT "IDRISK_DATA_DIR=${IDRISK_TEST_DATA_DIR};IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data"
  LABELS "store")
set_tests_properties(test_store PROPERTIES LABELS "store")

# Eight threads scoring linked, recording and forgetting on one engine and one
# idr_store: a plain program so that a ThreadSanitizer build (-DIDR_SANITIZE=thread)
# can run it (label "tsan").
add_executable(store_threads ${CMAKE_CURRENT_SOURCE_DIR}/store/store_threads.c)
target_compile_options(store_threads PRIVATE ${IDR_C_WARNINGS})
target_include_directories(store_threads PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(store_threads PRIVATE
  IDR_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(store_threads PRIVATE idrisk_internal)
add_test(NAME store_threads COMMAND store_threads)
set_tests_properties(store_threads PROPERTIES
  ENVIRONMENT "IDRISK_DATA_DIR=${IDRISK_TEST_DATA_DIR};IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data"
  LABELS "store;tsan")
