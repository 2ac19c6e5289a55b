# Allocation-failure loop (tests/alloc/alloc_fail.c): a plain program so that it runs in
# the normal and the ASan build alike (LeakSanitizer then checks the C library's side).
add_executable(alloc_fail ${CMAKE_CURRENT_SOURCE_DIR}/alloc/alloc_fail.c)
target_compile_options(alloc_fail PRIVATE ${IDR_C_WARNINGS})
target_link_libraries(alloc_fail PRIVATE idrisk_internal)
add_test(NAME alloc_fail COMMAND alloc_fail ${PROJECT_SOURCE_DIR})
set_tests_properties(alloc_fail PROPERTIES TIMEOUT 300)
target_link_libraries(alloc_fail PRIVATE PkgConfig::SQLITE3)
