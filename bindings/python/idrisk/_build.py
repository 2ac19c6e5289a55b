# SPDX-License-Identifier: Apache-2.0
"""Build the idrisk C extension with cffi in out-of-line API mode.

The declarations in ``_decl.h`` are compiled against the real ``<idrisk/idrisk.h>``,
so a prototype or struct that drifts from the header fails this build instead of
corrupting memory at run time.

Where the header and the library come from, first match wins:

1. ``IDRISK_INCLUDE_DIRS`` and ``IDRISK_LIBRARY_DIR`` (``os.pathsep``-separated lists),
   e.g. a CMake build tree: ``IDRISK_INCLUDE_DIRS=include:build/include``
   ``IDRISK_LIBRARY_DIR=build``;
2. ``pkg-config idrisk`` (an installed idrisk, e.g. ``cmake --install`` to /usr/local).

The library directory is written into the extension as an rpath, so the module finds
the same ``libidrisk.so`` it was built against without ``LD_LIBRARY_PATH``.

Used two ways:

* by ``setup.py`` (``cffi_modules``) for ``pip install`` (the installed package, with
  its metadata: docs/packaging.md);
* ``python3 idrisk/_build.py --out DIR``: builds an importable ``DIR/idrisk`` (the
  Python sources plus the extension) without installing anything; this is what the
  CMake test fixture does.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = "idrisk._native"

# Prototype or struct drift shows up as these diagnostics in the generated wrappers;
# gcc 12 only warns about them by default, so they are promoted to errors.
DRIFT_ERRORS = [
    "-Werror=incompatible-pointer-types",
    "-Werror=int-conversion",
    "-Werror=implicit-function-declaration",
    "-Werror=discarded-qualifiers",
]


def _split_env(name: str) -> list[str]:
    value = os.environ.get(name, "")
    return [p for p in value.split(os.pathsep) if p]


def _pkg_config(*args: str) -> list[str]:
    try:
        out = subprocess.run(
            ["pkg-config", *args, "idrisk"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(
            "idrisk build: set IDRISK_INCLUDE_DIRS and IDRISK_LIBRARY_DIR, or install "
            "idrisk so that `pkg-config idrisk` finds it (%s)" % exc
        ) from exc
    return shlex.split(out)


def locate() -> tuple[list[str], list[str]]:
    """Return (include_dirs, library_dirs) for the idrisk C library."""
    inc = _split_env("IDRISK_INCLUDE_DIRS")
    lib = _split_env("IDRISK_LIBRARY_DIR")
    if inc and lib:
        return [os.path.abspath(p) for p in inc], [os.path.abspath(p) for p in lib]
    inc = inc or [f[2:] for f in _pkg_config("--cflags-only-I") if f.startswith("-I")]
    lib = lib or [f[2:] for f in _pkg_config("--libs-only-L") if f.startswith("-L")]
    return [os.path.abspath(p) for p in inc], [os.path.abspath(p) for p in lib]


def make_builder(decl_path: str | None = None) -> cffi.FFI:
    """The cffi builder; ``decl_path`` overrides _decl.h (the drift test uses it)."""
    include_dirs, library_dirs = locate()
    with open(decl_path or os.path.join(HERE, "_decl.h"), encoding="utf-8") as fh:
        decl = fh.read()
    builder = cffi.FFI()
    builder.cdef(decl)
    builder.set_source(
        MODULE,
        "#include <idrisk/idrisk.h>\n",
        include_dirs=include_dirs,
        library_dirs=library_dirs,
        runtime_library_dirs=library_dirs,
        libraries=["idrisk"],
        extra_compile_args=DRIFT_ERRORS,
    )
    return builder


# setup.py's `cffi_modules` runs this file with __name__ == "__cffi__" and takes
# `ffibuilder`: build it there (a missing library fails loudly). An ordinary import
# (tests, linters) must not need the C library, so it gets None.
ffibuilder: cffi.FFI | None = make_builder() if __name__ == "__cffi__" else None


PY_FILES = [
    "__init__.py",
    "dask.py",
    "errors.py",
    "py.typed",
    "_build.py",
    "_decl.h",
    "_native.pyi",
]


def build_into(out_dir: str, builder: cffi.FFI | None = None) -> str:
    """Build an importable package at ``out_dir/idrisk``; return the extension path."""
    builder = builder or make_builder()
    pkg = os.path.join(out_dir, "idrisk")
    os.makedirs(pkg, exist_ok=True)
    for name in PY_FILES:
        shutil.copyfile(os.path.join(HERE, name), os.path.join(pkg, name))
    with tempfile.TemporaryDirectory(prefix="idrisk-cffi-") as tmp:
        built = builder.compile(tmpdir=tmp, verbose=False)
        target = os.path.join(pkg, os.path.basename(built))
        shutil.copyfile(built, target + ".tmp")
        os.replace(target + ".tmp", target)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="To install, use pip (with metadata): /usr/bin/python3 -m pip install "
        "--no-build-isolation --no-deps --break-system-packages bindings/python",
    )
    ap.add_argument("--out", required=True, help="directory that receives the package")
    args = ap.parse_args(argv)
    target = build_into(args.out)
    print("idrisk: built %s" % target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
