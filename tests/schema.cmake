# SPDX-License-Identifier: Apache-2.0
# The JSON Schema of the candidate contract (data/schema/candidate-v1.schema.json)
# accepts every example record and refuses the records the library refuses. Runs with
# the system Python, which has python3-jsonschema (Debian package).
find_program(IDR_SYSTEM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(IDR_SYSTEM_PYTHON3)
  add_test(NAME candidate_schema
    COMMAND ${IDR_SYSTEM_PYTHON3} ${PROJECT_SOURCE_DIR}/tests/schema_check.py
            ${PROJECT_SOURCE_DIR})
else()
  message(WARNING "/usr/bin/python3 not found: the candidate_schema test is not registered")
endif()

# The layering of lib/ (docs/architecture.md): no upward include, no module cycle.
add_test(NAME check_layers
  COMMAND ${IDR_SYSTEM_PYTHON3} ${PROJECT_SOURCE_DIR}/tools/check-layers.py
          ${PROJECT_SOURCE_DIR})
set_tests_properties(check_layers PROPERTIES LABELS nosan)
