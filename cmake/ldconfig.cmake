# SPDX-License-Identifier: Apache-2.0
# ldconfig.cmake - run at the end of `cmake --install` (install(SCRIPT) in CMakeLists.txt).
#
# A library installed into a directory the dynamic loader searches (/usr/local/lib on
# Debian) is found at run time only once ldconfig has rebuilt its cache; without it a
# program linked with `pkg-config --libs idrisk` fails to start ("libidrisk.so.0: cannot
# open shared object file"). ldconfig runs only when all of these hold:
#   - the library directory is one of the loader's (the defaults, or listed in
#     /etc/ld.so.conf and the files it includes), so a private prefix is left alone;
#   - DESTDIR is empty (a staged install, e.g. for a distribution package, is not live);
#   - we are root (ldconfig could not write its cache otherwise).
# Inputs: CMAKE_INSTALL_PREFIX (install time, honours --prefix) and IDR_INSTALL_LIBDIR.
# With -DIDR_LDCONFIG_DRY_RUN=ON (cmake -P) it only says what it would do.

# Install scripts and `cmake -P` start with no policies set (IN_LIST needs CMP0057).
cmake_policy(PUSH)
cmake_policy(VERSION 3.20)

if(NOT DEFINED IDR_INSTALL_LIBDIR)
  set(IDR_INSTALL_LIBDIR lib)
endif()
if(IS_ABSOLUTE "${IDR_INSTALL_LIBDIR}")
  set(_idr_libdir "${IDR_INSTALL_LIBDIR}")
else()
  set(_idr_libdir "${CMAKE_INSTALL_PREFIX}/${IDR_INSTALL_LIBDIR}")
endif()
get_filename_component(_idr_libdir "${_idr_libdir}" ABSOLUTE)

# The loader's trusted directories, then /etc/ld.so.conf with its `include` globs.
set(_idr_dirs /lib /usr/lib /lib64 /usr/lib64)
set(_idr_conf_files /etc/ld.so.conf)
set(_idr_seen "")
while(_idr_conf_files)
  list(POP_FRONT _idr_conf_files _idr_conf)
  if(NOT EXISTS "${_idr_conf}" OR _idr_conf IN_LIST _idr_seen)
    continue()
  endif()
  list(APPEND _idr_seen "${_idr_conf}")
  file(STRINGS "${_idr_conf}" _idr_lines)
  foreach(_idr_line IN LISTS _idr_lines)
    string(REGEX REPLACE "#.*" "" _idr_line "${_idr_line}")
    string(STRIP "${_idr_line}" _idr_line)
    if(_idr_line MATCHES "^include[ \t]+(.+)$")
      file(GLOB _idr_inc "${CMAKE_MATCH_1}")
      list(APPEND _idr_conf_files ${_idr_inc})
    elseif(_idr_line MATCHES "^/")
      list(APPEND _idr_dirs "${_idr_line}")
    endif()
  endforeach()
endwhile()
# Debian's multiarch directories are in ld.so.conf.d; add the compiler-independent
# spellings too so a /usr prefix with lib/<triplet> is recognised without it.
file(GLOB _idr_multi /lib/*-linux-gnu* /usr/lib/*-linux-gnu*)
list(APPEND _idr_dirs ${_idr_multi})

set(_idr_system OFF)
foreach(_idr_dir IN LISTS _idr_dirs)
  get_filename_component(_idr_dir "${_idr_dir}" ABSOLUTE)
  if(_idr_dir STREQUAL _idr_libdir)
    set(_idr_system ON)
  endif()
endforeach()

set(_idr_root OFF)
execute_process(COMMAND id -u OUTPUT_VARIABLE _idr_uid OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _idr_rc ERROR_QUIET)
if(_idr_rc EQUAL 0 AND _idr_uid STREQUAL "0")
  set(_idr_root ON)
endif()

if(NOT _idr_system)
  message(STATUS "ldconfig: not run, ${_idr_libdir} is not a directory the dynamic "
    "loader searches (use LD_LIBRARY_PATH or an rpath)")
elseif(NOT "$ENV{DESTDIR}" STREQUAL "")
  message(STATUS "ldconfig: not run, DESTDIR is set (staged install)")
elseif(NOT _idr_root)
  message(STATUS "ldconfig: not run, not root: run `ldconfig` as root so that "
    "${_idr_libdir}/libidrisk.so.0 is found")
elseif(IDR_LDCONFIG_DRY_RUN)
  message(STATUS "ldconfig: would run (${_idr_libdir})")
else()
  find_program(_idr_ldconfig ldconfig PATHS /sbin /usr/sbin NO_CACHE)
  if(NOT _idr_ldconfig)
    message(WARNING "ldconfig: not found; run it as root so that libidrisk.so.0 is found")
  else()
    execute_process(COMMAND "${_idr_ldconfig}" RESULT_VARIABLE _idr_rc)
    if(NOT _idr_rc EQUAL 0)
      message(WARNING "ldconfig: ${_idr_ldconfig} failed (${_idr_rc})")
    else()
      message(STATUS "ldconfig: cache updated for ${_idr_libdir}")
    endif()
  endif()
endif()
cmake_policy(POP)
