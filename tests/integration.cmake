# SPDX-License-Identifier: Apache-2.0
# Golden integration cases and CLI contract tests (tests/integration/).
add_test(NAME golden_examples
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/golden.py
          --idrisk $<TARGET_FILE:idrisk_cli> --data-dir ${IDRISK_TEST_DATA_DIR})
add_test(NAME cli_contract
  COMMAND /bin/sh ${CMAKE_CURRENT_SOURCE_DIR}/integration/cli_contract.sh
          $<TARGET_FILE:idrisk_cli> ${PROJECT_SOURCE_DIR})
# The golden runner shells out many CLI processes; sanitizer builds check the same code
# through the unit tests, so this stays out of the sanitizer pass only for speed.
set_tests_properties(golden_examples PROPERTIES LABELS nosan)
# The source tree's rule pack and lists, never a stale installed copy.
set_tests_properties(golden_examples cli_contract PROPERTIES
  ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
# Coverage on the command line (first lines, --require-data, batch counts) and the
# fairness audit with the name-origin invariance of a generated population
# (docs/scoring.md "Coverage", docs/audit.md). Real CLI processes.
foreach(t coverage_cli audit_invariance report_text)
  add_test(NAME ${t}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/${t}.py
            --idrisk $<TARGET_FILE:idrisk_cli> --source ${PROJECT_SOURCE_DIR}
            --data-dir ${IDRISK_TEST_DATA_DIR})
  set_tests_properties(${t} PROPERTIES LABELS nosan TIMEOUT 300 SKIP_RETURN_CODE 77
    ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
endforeach()
# CLI conventions (-V, per-command -h, -q, --opt=value, --, JSON Lines to score), the
# field named once, `idrisk validate` and --lenient (docs/cli.md). In the sanitizer
# pass too: validate's copy-and-trim loop is memory work of the CLI's own.
add_test(NAME cli_validate
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/cli_validate.py
          --idrisk $<TARGET_FILE:idrisk_cli> --source ${PROJECT_SOURCE_DIR}
          --data-dir ${IDRISK_TEST_DATA_DIR})
set_tests_properties(cli_validate PROPERTIES TIMEOUT 300
  ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
# `idrisk data verify` and the default verify mode ("stamp") on a temporary copy of the
# fetched gazetteers and lists (docs/data-integrity.md).
add_test(NAME data_verify_cli
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/data_verify_cli.py
          --idrisk $<TARGET_FILE:idrisk_cli> --source ${PROJECT_SOURCE_DIR}
          --data-dir ${IDRISK_TEST_DATA_DIR})
set_tests_properties(data_verify_cli PROPERTIES LABELS nosan TIMEOUT 300
  SKIP_RETURN_CODE 77 ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
