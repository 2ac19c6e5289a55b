# SPDX-License-Identifier: Apache-2.0
# Python binding (bindings/python): build the cffi extension against this build tree's
# libidrisk into ${PROJECT_BINARY_DIR}/python (fixture), then run the pytest suite with
# that directory on PYTHONPATH. Only /usr/bin/python3 has Debian's python3-cffi and
# python3-pytest. A sanitizer-instrumented libidrisk cannot be loaded into an
# uninstrumented interpreter, so sanitizer builds leave these tests out.
if(NOT IDR_SANITIZE)
  set(IDR_PY_OUT ${PROJECT_BINARY_DIR}/python)
  add_test(NAME python_build
    COMMAND ${CMAKE_COMMAND} -E env
      "IDRISK_INCLUDE_DIRS=${PROJECT_SOURCE_DIR}/include:${PROJECT_BINARY_DIR}/include"
      "IDRISK_LIBRARY_DIR=$<TARGET_FILE_DIR:idrisk>"
      /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bindings/python/idrisk/_build.py
      --out ${IDR_PY_OUT})
  set_tests_properties(python_build PROPERTIES FIXTURES_SETUP idrisk_python)
  add_test(NAME python_tests
    COMMAND ${CMAKE_COMMAND} -E env
      "PYTHONPATH=${IDR_PY_OUT}"
      "IDRISK_INCLUDE_DIRS=${PROJECT_SOURCE_DIR}/include:${PROJECT_BINARY_DIR}/include"
      "IDRISK_LIBRARY_DIR=$<TARGET_FILE_DIR:idrisk>"
      "IDRISK_CLI=$<TARGET_FILE:idrisk_cli>"
      "IDRISK_DATA_DIR=${IDRISK_TEST_DATA_DIR}"
      "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data"
      /usr/bin/python3 -P -m pytest -q -rs -p no:cacheprovider
      ${PROJECT_SOURCE_DIR}/bindings/python/tests)
  set_tests_properties(python_tests PROPERTIES FIXTURES_REQUIRED idrisk_python
    LABELS "nosan;python" TIMEOUT 900)
  # idrisk.dask on a LocalCluster of two worker processes, against a SQLite store and,
  # when the library has the PostgreSQL backend, a throwaway cluster (tests/pg).
  add_test(NAME python_dask
    COMMAND ${CMAKE_COMMAND} -E env
      "PYTHONPATH=${IDR_PY_OUT}"
      "IDRISK_CLI=$<TARGET_FILE:idrisk_cli>"
      "IDRISK_DATA_DIR=${IDRISK_TEST_DATA_DIR}"
      "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data"
      /usr/bin/python3 -P -m pytest -q -rs -p no:cacheprovider
      ${PROJECT_SOURCE_DIR}/tests/dask/test_dask.py)
  set_tests_properties(python_dask PROPERTIES FIXTURES_REQUIRED idrisk_python
    LABELS "nosan;python;dask" TIMEOUT 600)
endif()
