# SPDX-License-Identifier: Apache-2.0
# Shared-engine stress test as a plain program, so that it also runs under
# ThreadSanitizer (tools/run-tests.sh builds it with -DIDR_SANITIZE=thread).
add_executable(threads_stress ${CMAKE_CURRENT_SOURCE_DIR}/stress/threads_stress.c)
target_compile_options(threads_stress PRIVATE ${IDR_C_WARNINGS})
target_link_libraries(threads_stress PRIVATE idrisk_internal)
add_test(NAME threads_stress
  COMMAND threads_stress ${PROJECT_SOURCE_DIR}/examples/candidates ${IDRISK_TEST_DATA_DIR})
set_tests_properties(threads_stress PROPERTIES
  ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
