# SPDX-License-Identifier: Apache-2.0
"""The declarations in _decl.h are compiled against the real idrisk.h: a prototype or
struct that drifts from the header must fail the build, not corrupt memory later."""

from __future__ import annotations

import pathlib

import cffi
import pytest

from idrisk import _build

DECL = pathlib.Path(_build.HERE) / "_decl.h"


def build(tmp_path, text: str) -> None:
    decl = tmp_path / "decl.h"
    decl.write_text(text, encoding="utf-8")
    builder = _build.make_builder(str(decl))
    builder.compile(tmpdir=str(tmp_path), verbose=False)


@pytest.fixture(scope="module")
def source() -> str:
    try:
        _build.locate()
    except SystemExit as exc:
        pytest.skip(str(exc))
    return DECL.read_text(encoding="utf-8")


def test_declarations_build(tmp_path, source):
    build(tmp_path, source)


@pytest.mark.parametrize(
    "old,new",
    [
        # a parameter of the wrong type
        ("int idr_result_score(const idr_result *res);", "int idr_result_score(const idr_engine *res);"),
        # a length passed as a pointer
        ("size_t *len_out, idr_error *err);", "int *len_out, idr_error *err);"),
        # a struct field of the wrong size
        ("char field[128];", "char field[64];"),
        # a function the header does not have
        ("void idr_free(void *ptr);", "void idr_free(void *ptr);\nint idr_no_such_call(void);"),
    ],
    ids=["param-type", "param-pointer", "struct-field", "missing-function"],
)
def test_drift_fails_the_build(tmp_path, source, old, new):
    assert old in source
    with pytest.raises((cffi.VerificationError, cffi.CDefError)):
        build(tmp_path, source.replace(old, new, 1))
