# SPDX-License-Identifier: Apache-2.0
# Synthetic hire population (tools/gen-population.py, docs/population.md).
#
# population_gen: the generator's own guarantees (determinism, unique identifiers
# outside the planted rings, SimHash/photo-hash spread, every clean hire scores
# low/none standalone); needs the fetched data and the Python binding.
#
# population_store: 10,000 hires through `idrisk batch --db` (a real SQLite store):
# every ring member linked to its ring and flagged, no clean hire linked, the declared
# household not flagged; label `needs_store`.
# Both skip (exit 77) without a data directory.
if(NOT IDR_SANITIZE)
  add_test(NAME population_gen
    COMMAND ${CMAKE_COMMAND} -E env
      "PYTHONPATH=${PROJECT_BINARY_DIR}/python"
      "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data"
      /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/population_gen.py
      --source-root ${PROJECT_SOURCE_DIR} --data-dir ${IDRISK_TEST_DATA_DIR})
  set_tests_properties(population_gen PROPERTIES FIXTURES_REQUIRED idrisk_python
    SKIP_RETURN_CODE 77 LABELS "nosan;population" TIMEOUT 300)
endif()
add_test(NAME population_store
  COMMAND ${CMAKE_COMMAND} -E env
    "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data"
    /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/population_store.py
    --idrisk $<TARGET_FILE:idrisk_cli> --source-root ${PROJECT_SOURCE_DIR}
    --data-dir ${IDRISK_TEST_DATA_DIR} --n 10000)
set_tests_properties(population_store PROPERTIES SKIP_RETURN_CODE 77
  LABELS "nosan;population;needs_store" TIMEOUT 600)
