# SPDX-License-Identifier: Apache-2.0
# idrisk batch and the store commands (tests/integration/batch_*.py): real CLI
# processes; batch_store against real SQLite store files.
foreach(t batch_cli batch_resume batch_store batch_crash)
  add_test(NAME ${t}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/${t}.py
            --idrisk $<TARGET_FILE:idrisk_cli> --source ${PROJECT_SOURCE_DIR}
            --data-dir ${IDRISK_TEST_DATA_DIR})
  # Many CLI processes and timed kills: kept out of the sanitizer pass for speed, as
  # golden_examples is.
  set_tests_properties(${t} PROPERTIES LABELS nosan TIMEOUT 600
    ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
endforeach()
# batch_crash needs the fetched data for tools/gen-population.py; without it, skipped.
set_tests_properties(batch_crash PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
