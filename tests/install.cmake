# SPDX-License-Identifier: Apache-2.0
# Packaging (docs/packaging.md): the man pages, the pkg-config file, the install as a C
# user consumes it, the ldconfig rule and the licence headers.
if(GO_MD2MAN)
  # Both pages render without a groff warning; every command and option of
  # `idrisk --help` is documented in idrisk(1).
  add_test(NAME man_pages
    COMMAND /bin/sh ${CMAKE_CURRENT_SOURCE_DIR}/install/check-man.sh
            ${PROJECT_BINARY_DIR}/man $<TARGET_FILE:idrisk_cli>)
endif()
# A sanitizer build links its runtime (and, without --as-needed, more): the .pc describes
# the ordinary build, and an uninstrumented gcc cannot link the instrumented library.
if(NOT IDR_SANITIZE)
  add_test(NAME pc_libs
    COMMAND /bin/sh ${CMAKE_CURRENT_SOURCE_DIR}/install/check-pc.sh
            ${PROJECT_BINARY_DIR}/idrisk.pc $<TARGET_FILE:idrisk>)
  if(IDR_INSTALL)
    # cmake --install into a temporary prefix, then minimal.c built with pkg-config and
    # with find_package(idrisk), and run.
    add_test(NAME install_consumers
      COMMAND /bin/sh ${CMAKE_CURRENT_SOURCE_DIR}/install/consumers.sh --stage
              ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
    set_tests_properties(install_consumers PROPERTIES LABELS install TIMEOUT 300)
  endif()
endif()
# cmake/ldconfig.cmake leaves a private prefix alone and would run for the loader's own
# /usr/local/lib (as root; otherwise it says that it needs root).
add_test(NAME ldconfig_private_prefix
  COMMAND ${CMAKE_COMMAND} -DCMAKE_INSTALL_PREFIX=${PROJECT_BINARY_DIR}/no-such-prefix
          -DIDR_INSTALL_LIBDIR=lib -DIDR_LDCONFIG_DRY_RUN=ON
          -P ${PROJECT_SOURCE_DIR}/cmake/ldconfig.cmake)
set_tests_properties(ldconfig_private_prefix PROPERTIES
  PASS_REGULAR_EXPRESSION "ldconfig: not run, [^\n]* is not a directory the dynamic loader")
add_test(NAME ldconfig_system_prefix
  COMMAND ${CMAKE_COMMAND} -E env --unset=DESTDIR
          ${CMAKE_COMMAND} -DCMAKE_INSTALL_PREFIX=/usr/local -DIDR_INSTALL_LIBDIR=lib
          -DIDR_LDCONFIG_DRY_RUN=ON -P ${PROJECT_SOURCE_DIR}/cmake/ldconfig.cmake)
set_tests_properties(ldconfig_system_prefix PROPERTIES
  PASS_REGULAR_EXPRESSION "ldconfig: (would run|not run, not root)")
# Every tracked source file starts with its SPDX licence line (tools/check-spdx.sh).
add_test(NAME spdx_headers
  COMMAND /bin/sh ${PROJECT_SOURCE_DIR}/tools/check-spdx.sh)
set_tests_properties(spdx_headers PROPERTIES SKIP_RETURN_CODE 77)
