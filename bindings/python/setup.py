# SPDX-License-Identifier: Apache-2.0
"""Build and install the idrisk Python binding (cffi, out-of-line API mode).

    /usr/bin/python3 -m pip install --no-build-isolation --no-deps \\
        --break-system-packages --root-user-action=ignore bindings/python

builds the extension against the installed C library (IDRISK_INCLUDE_DIRS /
IDRISK_LIBRARY_DIR, else ``pkg-config idrisk``; see idrisk/_build.py) and installs the
package with its metadata, so ``pip show idrisk`` and ``pip uninstall idrisk`` work.
The version is the C library's (IDR_VERSION_STRING of the header built against): the
binding and the library are released together. docs/python.md, docs/packaging.md.
"""

import importlib.util
import os
import re

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_build():
    # By path, not `import idrisk._build`: the package's __init__ needs the extension
    # that is being built.
    spec = importlib.util.spec_from_file_location(
        "idrisk_build", os.path.join(HERE, "idrisk", "_build.py")
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def library_version() -> str:
    """IDR_VERSION_STRING from the idrisk/version.h that the extension is built with."""
    include_dirs, _ = _load_build().locate()
    for d in include_dirs:
        path = os.path.join(d, "idrisk", "version.h")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                m = re.search(r'#define\s+IDR_VERSION_STRING\s+"([^"]+)"', fh.read())
            if m:
                return m.group(1)
    raise SystemExit(
        "idrisk build: no idrisk/version.h in %s (install the C library first)"
        % os.pathsep.join(include_dirs)
    )


setup(
    version=library_version(),
    cffi_modules=["idrisk/_build.py:ffibuilder"],
    # pip builds in the source tree (bindings/python/build/): always compile and link
    # again, or an extension left there from another install keeps that install's
    # library path as its rpath.
    options={"build_ext": {"force": True}},
)
