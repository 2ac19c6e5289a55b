# SPDX-License-Identifier: Apache-2.0
# bench_run_smoke: bench/run.py (the benchmark of issue 12) on 200 generated records
# without callgrind, into a temporary directory, so the one benchmark command does not
# rot. It checks the runs complete and the report is written; it asserts no timing
# (performance is never a test verdict). Skips (77) without the fetched data.
if(IDR_BUILD_BENCH AND NOT IDR_SANITIZE)
  add_test(NAME bench_run_smoke
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/bench_run_smoke.py
            --source ${PROJECT_SOURCE_DIR} --idrisk $<TARGET_FILE:idrisk_cli>
            --build ${PROJECT_BINARY_DIR} --data-dir ${IDRISK_TEST_DATA_DIR})
  set_tests_properties(bench_run_smoke PROPERTIES FIXTURES_REQUIRED idrisk_python
    SKIP_RETURN_CODE 77 LABELS "nosan;bench" TIMEOUT 600
    ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
endif()
