# SPDX-License-Identifier: Apache-2.0
"""The exceptions idrisk raises, one class per C status code.

Every exception is an :class:`IdriskError` carrying the C status in ``.code``, the JSON
path / option name / rule-pack key in ``.field`` (empty when none applies) and the
library's one-sentence ``.message``. Each also derives from the built-in exception a
Python caller would expect, so ``except ValueError`` catches bad input.

An error about one record of many (``Engine.score_iter``, ``Engine.score_many``,
``idrisk.batch``) also says which record: ``.index`` is its 0-based position in the
input and ``.candidate_id`` its ``candidate_id`` when the record is a dict or JSON
text with a readable one (else None); ``str(exc)`` then starts with
``record 17 (candidate_id 'c-17'): ``. Both are None for a call about one record.
"""

from __future__ import annotations

from typing import Any, Optional

# Status codes, frozen in include/idrisk/idrisk.h (checked against the compiled
# header by the test suite).
OK = 0
EINVAL = -1
ENOMEM = -2
EIO = -3
EDATA = -4
EUNAVAILABLE = -5
ELIMIT = -6
EINTERNAL = -7
EBUSY = -8


class IdriskError(Exception):
    """Base class of every idrisk error."""

    code: int
    field: str
    message: str
    index: Optional[int] = None
    candidate_id: Optional[str] = None

    def __init__(self, code: int, field: str = "", message: str = "") -> None:
        self.code = code
        self.field = field
        self.message = message
        super().__init__(code, field, message)

    def __str__(self) -> str:
        if self.field and self.field not in self.message:
            text = "%s: %s" % (self.field, self.message)
        else:
            text = self.message
        if self.index is None:
            return text
        if self.candidate_id is None:
            return "record %d: %s" % (self.index, text)
        return "record %d (candidate_id %r): %s" % (self.index, self.candidate_id, text)

    def __repr__(self) -> str:
        return "%s(code=%d, field=%r, message=%r)" % (
            type(self).__name__,
            self.code,
            self.field,
            self.message,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # keep pickling (multiprocessing) faithful, with the record's place
        state = {"index": self.index, "candidate_id": self.candidate_id}
        return (type(self), (self.code, self.field, self.message), state)


class InvalidInputError(IdriskError, ValueError):
    """IDR_EINVAL: malformed JSON or value, a protected attribute, a bad option."""


class InvalidTypeError(InvalidInputError, TypeError):
    """IDR_EINVAL raised by the binding for a value of a Python type that has no JSON
    form (a set, a Decimal, an object...; ``.field`` is its JSON path), or a record
    that is not a dict, JSON str or JSON bytes. Also a ``TypeError``."""


class LimitError(IdriskError, ValueError):
    """IDR_ELIMIT: input over a configured limit (size, depth, array length)."""


class DataError(IdriskError):
    """IDR_EDATA: a rule pack, list or database is present but corrupt."""


class UnavailableError(IdriskError):
    """IDR_EUNAVAILABLE: the feature or database the call needs is not loaded."""


class IdriskIOError(IdriskError, OSError):
    """IDR_EIO: a file could not be read or written."""

    def __init__(self, code: int, field: str = "", message: str = "") -> None:
        super().__init__(code, field, message)
        # OSError read (code, field, message) as (errno, strerror, filename).
        self.errno = None  # type: ignore[assignment]
        self.strerror = message
        self.filename = field or None

    def __str__(self) -> str:  # OSError would otherwise format its own args
        return IdriskError.__str__(self)


class IdriskMemoryError(IdriskError, MemoryError):
    """IDR_ENOMEM: an allocation failed."""


class InternalError(IdriskError, RuntimeError):
    """IDR_EINTERNAL: a bug in idrisk; please report it."""


class StoreBusyError(IdriskError, TimeoutError):
    """IDR_EBUSY: the store stayed locked by another connection for longer than its
    busy timeout. Nothing was written; retrying later is safe."""

    def __init__(self, code: int, field: str = "", message: str = "") -> None:
        super().__init__(code, field, message)
        self.errno = None  # type: ignore[assignment]
        self.strerror = message
        self.filename = field or None

    def __str__(self) -> str:
        return IdriskError.__str__(self)


_BY_CODE: dict[int, type[IdriskError]] = {
    EINVAL: InvalidInputError,
    ELIMIT: LimitError,
    EDATA: DataError,
    EUNAVAILABLE: UnavailableError,
    EIO: IdriskIOError,
    ENOMEM: IdriskMemoryError,
    EINTERNAL: InternalError,
    EBUSY: StoreBusyError,
}


def error_for(code: int, field: str = "", message: str = "") -> IdriskError:
    """The exception for a C status code (unknown codes give a plain IdriskError)."""
    return _BY_CODE.get(code, IdriskError)(code, field, message)


__all__ = [
    "IdriskError",
    "InvalidInputError",
    "InvalidTypeError",
    "LimitError",
    "DataError",
    "UnavailableError",
    "IdriskIOError",
    "IdriskMemoryError",
    "InternalError",
    "StoreBusyError",
    "error_for",
]
