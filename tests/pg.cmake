# SPDX-License-Identifier: Apache-2.0
# The linkage store's PostgreSQL backend against a real server: each test starts its own
# throwaway cluster (tests/pg/pgcluster.py: initdb + pg_ctl on a Unix socket in a
# temporary directory) and stops it. No skip: a machine without PostgreSQL fails them
# with a message naming tools/setup-debian.sh (IDRISK_ALLOW_SKIP_PG=1: skip, exit 77).
# Labels: pg, nosan (servers and many processes: not for sanitizer runs).
if(IDR_WITH_POSTGRESQL)
  set(IDR_PG_ARGS --cli $<TARGET_FILE:idrisk_cli> --data-dir ${IDRISK_TEST_DATA_DIR}
      --source-dir ${PROJECT_SOURCE_DIR})
  set(IDR_PG_ENV "IDRISK_DATA_DIR=${IDRISK_TEST_DATA_DIR}"
      "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
  # tests/unit/test_store.c, every case, against PostgreSQL
  add_test(NAME pg_store_unit
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pg/run_store_tests.py
            $<TARGET_FILE:test_store>)
  add_test(NAME pg_batch_equal
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pg/batch_equal.py ${IDR_PG_ARGS})
  add_test(NAME pg_bad_uri
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pg/bad_uri.py ${IDR_PG_ARGS})
  set_tests_properties(pg_store_unit pg_batch_equal pg_bad_uri PROPERTIES
    ENVIRONMENT "${IDR_PG_ENV}" LABELS "pg;nosan" TIMEOUT 900 SKIP_RETURN_CODE 77)
  # rescoring read-only goes through the Python binding (not in sanitizer builds)
  if(NOT IDR_SANITIZE)
    add_test(NAME pg_batch_concurrent
      COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/pg/batch_concurrent.py
              ${IDR_PG_ARGS})
    set_tests_properties(pg_batch_concurrent PROPERTIES
      ENVIRONMENT "${IDR_PG_ENV};PYTHONPATH=${PROJECT_BINARY_DIR}/python;IDRISK_LIBRARY_DIR=$<TARGET_FILE_DIR:idrisk>"
      FIXTURES_REQUIRED idrisk_python LABELS "pg;nosan" TIMEOUT 900
      SKIP_RETURN_CODE 77)
  endif()
endif()
