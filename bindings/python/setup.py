# SPDX-License-Identifier: Apache-2.0
"""Build and install the idrisk Python binding (cffi, out-of-line API mode).

The C library comes from IDRISK_INCLUDE_DIRS / IDRISK_LIBRARY_DIR or pkg-config idrisk;
see idrisk/_build.py and docs/python.md.
"""

from setuptools import setup

setup(
    cffi_modules=["idrisk/_build.py:ffibuilder"],
)
