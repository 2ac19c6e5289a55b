# SPDX-License-Identifier: Apache-2.0
# The batch report (tools/idrisk/report.c, docs/report.md): a driver that calls
# idr_cli_report_write() on a committed fixture, then checks the page as text, renders
# it with headless Chromium (screenshot and DOM dump). Chromium is required: the test
# fails, not skips, when it is missing.
add_executable(report_main ${CMAKE_CURRENT_SOURCE_DIR}/report/report_main.c
               ${PROJECT_SOURCE_DIR}/tools/idrisk/report.c
               ${PROJECT_SOURCE_DIR}/tools/idrisk/html_util.c)
target_include_directories(report_main PRIVATE ${PROJECT_SOURCE_DIR}/tools/idrisk)
target_compile_options(report_main PRIVATE ${IDR_C_WARNINGS})
target_link_libraries(report_main PRIVATE PkgConfig::CJSON)
add_test(NAME batch_report
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/report/report_test.py
          $<TARGET_FILE:report_main> ${CMAKE_CURRENT_SOURCE_DIR}/report)
# Chromium under a sanitizer-built driver adds nothing and is slow.
set_tests_properties(batch_report PROPERTIES LABELS nosan TIMEOUT 120)

# The candidate report (`idrisk score --html`, tools/idrisk/html.c): examples and a
# hostile record scored with --json and --html, the page checked as text against the
# result, then rendered by headless Chromium (screenshot, print to PDF, DOM dump).
add_test(NAME candidate_html
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/report/candidate_html_test.py
          --idrisk $<TARGET_FILE:idrisk_cli> --source ${PROJECT_SOURCE_DIR}
          --data-dir ${IDRISK_TEST_DATA_DIR})
set_tests_properties(candidate_html PROPERTIES LABELS nosan TIMEOUT 300
  ENVIRONMENT "IDRISK_LISTS_DIR=${PROJECT_SOURCE_DIR}/data")
