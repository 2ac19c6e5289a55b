# SPDX-License-Identifier: Apache-2.0
# phone_agree: the phone shim's own parser and classifier against libphonenumber on
# more than 100,000 numbers from every region's example numbers (tests/phone/).
add_executable(phone_agree ${CMAKE_CURRENT_SOURCE_DIR}/phone/phone_agree.cc)
target_compile_options(phone_agree PRIVATE ${IDR_WARNINGS})
target_include_directories(phone_agree PRIVATE ${PHONENUMBER_INCLUDE})
target_link_libraries(phone_agree PRIVATE idrisk_internal)
add_test(NAME phone_agree COMMAND phone_agree 120000)
