# SPDX-License-Identifier: Apache-2.0
# test_json_simd (tests/unit/test_json_simd.c) compares the simdjson parse path with
# cJSON's, also over 2,000 generated hires: json_simd_population writes them with
# tools/gen-population.py into the build tree. It needs the fetched data directory;
# without one the population check of test_json_simd skips.
if(IS_DIRECTORY "${IDRISK_TEST_DATA_DIR}")
  set(IDR_SIMD_POP ${CMAKE_CURRENT_BINARY_DIR}/json_simd_population.jsonl)
  add_test(NAME json_simd_population
    COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tools/gen-population.py --n 2000
      --seed 3 --data-dir ${IDRISK_TEST_DATA_DIR} --out ${IDR_SIMD_POP}
      --truth ${CMAKE_CURRENT_BINARY_DIR}/json_simd_population.truth.json)
  set_tests_properties(json_simd_population PROPERTIES FIXTURES_SETUP json_simd_pop
    TIMEOUT 300 ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
  set_tests_properties(test_json_simd PROPERTIES FIXTURES_REQUIRED json_simd_pop)
  set_property(TEST test_json_simd APPEND PROPERTY ENVIRONMENT
    "IDR_SIMD_POPULATION=${IDR_SIMD_POP}")
endif()
