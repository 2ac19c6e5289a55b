# SPDX-License-Identifier: Apache-2.0
# Header test: idrisk.h alone, as strict C11 and as C++17, and the exported symbol list.
add_library(headertest OBJECT ${CMAKE_CURRENT_SOURCE_DIR}/headertest/headertest.c
                              ${CMAKE_CURRENT_SOURCE_DIR}/headertest/headertest.cc)
target_include_directories(headertest PRIVATE ${PROJECT_SOURCE_DIR}/include
                                              ${PROJECT_BINARY_DIR}/include)
target_compile_options(headertest PRIVATE -Wall -Wextra -pedantic -Werror)
set_target_properties(headertest PROPERTIES C_STANDARD 11 CXX_STANDARD 17)
add_test(NAME exported_symbols
  COMMAND /bin/sh ${CMAKE_CURRENT_SOURCE_DIR}/headertest/check_symbols.sh
          $<TARGET_FILE:idrisk> ${PROJECT_SOURCE_DIR}/docs/symbols.txt)
# The library reads no environment (issue 8): no getenv in lib/ nor among libidrisk.so's
# imports. The CLI, the bindings and the test programs read the variables instead.
add_test(NAME lib_reads_no_environment
  COMMAND /bin/sh ${CMAKE_CURRENT_SOURCE_DIR}/headertest/check_noenv.sh
          ${PROJECT_SOURCE_DIR} $<TARGET_FILE:idrisk>)
