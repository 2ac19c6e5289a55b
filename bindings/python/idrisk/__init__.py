# SPDX-License-Identifier: Apache-2.0
"""idrisk: identity-fraud triage for remote hires, from Python.

The library scores contradictions and failed verifications in a candidate record and
returns triage for a human reviewer (score, band, action ``none``/``verify``/
``escalate`` and every reason explained), never a hiring verdict.

>>> import idrisk
>>> with idrisk.Engine() as engine:
...     result = engine.score({"candidate_id": "c-1"})
...     (result.score, result.action, result.coverage.low)
(0, <Action.VERIFY: 'verify'>, True)
>>> result.action == "verify", f"{result.action}"
(True, 'verify')

(An empty record scores 0 but never reads as "none": too little could be checked, so
the action is at least ``verify``; ``result.coverage`` says what is missing.)

An :class:`Engine` is immutable once built and may be shared by any number of threads;
scoring runs without the GIL. Each :class:`Result` is a plain Python object: the C
result is converted (from its ``idrisk.result/1`` JSON) and freed before ``score``
returns, so results hold no C memory and may outlive their engine.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import math
import os
import threading
from dataclasses import dataclass
from typing import (
    Any,
    Callable,
    Iterable,
    Iterator,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Sized,
    Union,
    overload,
)

# The extension may sit in another directory named idrisk on sys.path (a CMake build
# tree's python/idrisk next to these sources): let the package span both.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)

from . import errors  # noqa: E402
from ._native import ffi as _ffi, lib as _lib
from .errors import (
    DataError,
    IdriskError,
    IdriskIOError,
    IdriskMemoryError,
    InternalError,
    InvalidInputError,
    InvalidTypeError,
    LimitError,
    StoreBusyError,
    UnavailableError,
)

# ---------------------------------------------------------------------------------
# Version check: the extension was compiled against IDR_VERSION_NUMBER; the shared
# library actually loaded reports idr_version_number(). A different major version, or
# a library older than the header, may lack symbols or change meanings: refuse early.
# ---------------------------------------------------------------------------------
COMPILED_VERSION: int = _lib.IDR_VERSION_NUMBER
LIBRARY_VERSION: int = _lib.idr_version_number()


def _check_version(compiled: int, loaded: int) -> None:
    if loaded // 10000 != compiled // 10000 or loaded < compiled:
        raise ImportError(
            "idrisk: the Python extension was built against libidrisk %d.%d.%d but "
            "libidrisk %d.%d.%d was loaded; rebuild the extension"
            % (
                compiled // 10000,
                compiled // 100 % 100,
                compiled % 100,
                loaded // 10000,
                loaded // 100 % 100,
                loaded % 100,
            )
        )


_check_version(COMPILED_VERSION, LIBRARY_VERSION)

__version__: str = _ffi.string(_lib.idr_version_string()).decode("ascii")

FEATURE_GEO = _lib.IDR_FEATURE_GEO
FEATURE_PHONE = _lib.IDR_FEATURE_PHONE
FEATURE_NAMES = _lib.IDR_FEATURE_NAMES
FEATURE_STORE = _lib.IDR_FEATURE_STORE
FEATURE_POSTGRESQL = _lib.IDR_FEATURE_POSTGRESQL


def features() -> dict[str, bool]:
    """Which optional parts are compiled into the loaded library.

    ``store``: the cross-candidate linkage store (:class:`Store`) is built in;
    ``postgresql``: a ``postgresql://`` store location opens PostgreSQL (libpq).
    """
    mask = _lib.idr_features()
    return {
        "geo": bool(mask & FEATURE_GEO),
        "phone": bool(mask & FEATURE_PHONE),
        "names": bool(mask & FEATURE_NAMES),
        "store": bool(mask & FEATURE_STORE),
        "postgresql": bool(mask & FEATURE_POSTGRESQL),
    }


def strerror(code: int) -> str:
    """The library's static text for a status code."""
    return str(_ffi.string(_lib.idr_strerror(code)).decode("utf-8"))


def _error(rc: int, err: Any) -> IdriskError:
    field = str(_ffi.string(err.field).decode("utf-8", "replace"))
    message = str(_ffi.string(err.message).decode("utf-8", "replace"))
    return errors.error_for(rc, field, message or strerror(rc))


def _raise(rc: int, err: Any) -> None:
    raise _error(rc, err)


def _take_string(ptr: Any, length: Optional[int] = None) -> str:
    """Copy a `char **out` string and release it with idr_free()."""
    try:
        if length is None:
            return str(_ffi.string(ptr).decode("utf-8"))
        return str(_ffi.unpack(ptr, length).decode("utf-8"))
    finally:
        _lib.idr_free(ptr)


# ---------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------


class _StrEnum(str, enum.Enum):
    """A closed set of result-v1 strings. Members are ``str`` instances equal to (and
    hashing as) their value, so ``result.band == "high"``, ``result.band in {"high"}``
    and ``json.dumps`` behave as with the plain string; ``str()``, ``format()`` and
    f-strings give the value (``"high"``, not ``"Band.HIGH"``)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    # Enum hashes the member's name; a str must hash as its text to be found in sets
    # and dict keys holding the plain value.
    __hash__ = str.__hash__


class Band(_StrEnum):
    """The score band of a :class:`Result` (result-v1 ``band``)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Action(_StrEnum):
    """What a reviewer should do (result-v1 ``action``); never "reject"."""

    NONE = "none"
    VERIFY = "verify"
    ESCALATE = "escalate"


class Severity(_StrEnum):
    """How much one :class:`Reason` weighs (result-v1 reason ``severity``)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Reason:
    """One indicator that fired, with the values behind it and how to verify it."""

    id: str
    category: str
    severity: Severity
    points: float
    title: str
    detail: str
    evidence: Mapping[str, Any]
    benign_explanations: tuple[str, ...]
    verify: str
    sources: tuple[str, ...]
    #: The rule pack's shared verification steps that ``verify`` asks for, as
    #: ``(id, text)`` pairs, most useful first (``verify_steps`` in the JSON); the same
    #: id has the same text in every reason, so a caller can merge them into one list.
    verify_steps: tuple[tuple[str, str], ...] = ()

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Reason":
        return cls(
            id=d["id"],
            category=d.get("category", ""),
            severity=Severity(d["severity"]),
            points=d.get("points", 0),
            title=d.get("title", ""),
            detail=d.get("detail", ""),
            evidence=d.get("evidence") or {},
            benign_explanations=tuple(d.get("benign_explanations") or ()),
            verify=d.get("verify", ""),
            sources=tuple(d.get("sources") or ()),
            verify_steps=tuple((s["id"], s["text"]) for s in d.get("verify_steps") or ()),
        )


@dataclass(frozen=True)
class Suppressed:
    """An indicator that would have fired but was cleared by context (``by``)."""

    id: str
    by: str


@dataclass(frozen=True)
class NotEvaluated:
    """An indicator skipped for lack of data or a missing database (``why``)."""

    id: str
    why: str


@dataclass(frozen=True)
class CoverageFamily:
    """How much of one indicator family could be checked (result-v1 ``coverage``).

    ``evaluated + not_evaluated == total``; ``fired`` and ``suppressed`` count among
    the evaluated, ``needs_store`` among the not evaluated. ``key`` marks a key family
    (docs/scoring.md); ``uncovered`` one none of whose indicators could run."""

    family: str
    key: bool
    uncovered: bool
    total: int
    evaluated: int
    not_evaluated: int
    fired: int
    suppressed: int
    needs_store: int


@dataclass(frozen=True)
class Coverage:
    """What could be checked, as a whole and per family. ``low`` is True when too
    little could be checked for "nothing found" to mean anything (the action is then
    at least ``verify``, with the reason ``cov_insufficient_data``); ``missing`` says
    what could not be checked, or is None."""

    low: bool
    missing: Optional[str]
    total: int
    evaluated: int
    not_evaluated: int
    fired: int
    suppressed: int
    needs_store: int
    families: tuple[CoverageFamily, ...]


def _coverage_family(f: Mapping[str, Any]) -> CoverageFamily:
    return CoverageFamily(
        family=str(f["family"]),
        key=bool(f.get("key")),
        uncovered=bool(f.get("uncovered")),
        total=int(f.get("total", 0)),
        evaluated=int(f.get("evaluated", 0)),
        not_evaluated=int(f.get("not_evaluated", 0)),
        fired=int(f.get("fired", 0)),
        suppressed=int(f.get("suppressed", 0)),
        needs_store=int(f.get("needs_store", 0)),
    )


def _coverage(d: Mapping[str, Any]) -> Coverage:
    c = d.get("coverage") or {}
    missing = c.get("missing")
    return Coverage(
        low=bool(c.get("low")),
        missing=None if missing is None else str(missing),
        total=int(c.get("total", 0)),
        evaluated=int(c.get("evaluated", 0)),
        not_evaluated=int(c.get("not_evaluated", 0)),
        fired=int(c.get("fired", 0)),
        suppressed=int(c.get("suppressed", 0)),
        needs_store=int(c.get("needs_store", 0)),
        families=tuple(_coverage_family(f) for f in c.get("families", ())),
    )


@dataclass(frozen=True)
class Ruleset:
    """The rule pack that produced a score."""

    id: str
    version: str
    sha256: str


class Result:
    """The triage for one candidate (``idrisk.result/1``).

    ``band`` is a :class:`Band` and ``action`` an :class:`Action` (``str`` enums: equal
    to the plain strings, and formatted as them).
    ``score``, ``band``, ``action`` and ``candidate_id`` are read from the C result
    before it is freed; the rest is a typed view of the library's JSON, parsed on first
    access (a caller who only routes on the action pays for no JSON parsing).
    ``to_json()`` returns the library's JSON text unchanged; ``to_dict()`` a fresh
    parsed copy of it. Immutable; equal when the JSON is identical.
    """

    __slots__ = ("candidate_id", "score", "band", "action", "_json", "_doc", "_cache")

    candidate_id: str
    score: int
    band: Band
    action: Action
    _json: str
    _doc: Optional[dict[str, Any]]
    _cache: dict[str, Any]

    def __init__(
        self, candidate_id: str, score: int, band: str, action: str, text: str
    ) -> None:
        for name, value in (
            ("candidate_id", candidate_id),
            ("score", score),
            ("band", Band(band)),
            ("action", Action(action)),
            ("_json", text),
            ("_doc", None),
            ("_cache", {}),
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def _from_json(cls, text: str) -> "Result":
        d = json.loads(text)
        r = cls(d["candidate_id"], d["score"], d["band"], d["action"], text)
        object.__setattr__(r, "_doc", d)
        return r

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("idrisk.Result is immutable")

    def _parsed(self) -> dict[str, Any]:
        doc = self._doc
        if doc is None:
            doc = json.loads(self._json)
            object.__setattr__(self, "_doc", doc)
        return doc

    def _view(self, key: str, build: Any) -> Any:
        try:
            return self._cache[key]
        except KeyError:
            value = build(self._parsed())
            self._cache[key] = value
            return value

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The indicators that fired, most important first."""
        return self._view(  # type: ignore[no-any-return]
            "reasons", lambda d: tuple(Reason._from(r) for r in d.get("reasons", ()))
        )

    @property
    def suppressed(self) -> tuple[Suppressed, ...]:
        """Indicators cleared by context, with what cleared them."""
        return self._view(  # type: ignore[no-any-return]
            "suppressed",
            lambda d: tuple(
                Suppressed(s["id"], s.get("by", "")) for s in d.get("suppressed", ())
            ),
        )

    @property
    def not_evaluated(self) -> tuple[NotEvaluated, ...]:
        """Indicators skipped for lack of data or a database, with why."""
        return self._view(  # type: ignore[no-any-return]
            "not_evaluated",
            lambda d: tuple(
                NotEvaluated(n["id"], n.get("why", "")) for n in d.get("not_evaluated", ())
            ),
        )

    @property
    def coverage(self) -> Coverage:
        """What could be checked, per indicator family (:class:`Coverage`)."""
        return self._view("coverage", _coverage)  # type: ignore[no-any-return]

    @property
    def enrichment(self) -> Mapping[str, Any]:
        """What the lookups found (per IP, phone, email, the residence)."""
        return self._view(  # type: ignore[no-any-return]
            "enrichment", lambda d: json.loads(json.dumps(d.get("enrichment") or {}))
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._view(  # type: ignore[no-any-return]
            "warnings", lambda d: tuple(d.get("warnings", ()))
        )

    @property
    def ruleset(self) -> Ruleset:
        def build(d: Mapping[str, Any]) -> Ruleset:
            rs = d.get("ruleset") or {}
            return Ruleset(rs.get("id", ""), rs.get("version", ""), rs.get("sha256", ""))

        return self._view("ruleset", build)  # type: ignore[no-any-return]

    @property
    def data(self) -> tuple[Mapping[str, Any], ...]:
        """Each database and list used: name, type, version, build_date, licence."""
        return self._view(  # type: ignore[no-any-return]
            "data", lambda d: tuple(json.loads(json.dumps(d.get("data", ()))))
        )

    @property
    def links(self) -> list[dict[str, str]]:
        """Other candidates sharing an identifier with this one, as the store found
        them: ``{"candidate_id", "kind", "indicator"}`` each (the kind of identifier,
        never its value), sorted by kind then candidate_id. Empty without a store.
        A fresh list on every access."""
        return [dict(x) for x in self._parsed().get("links") or ()]

    @property
    def links_omitted(self) -> int:
        """Links left out of :attr:`links` beyond the library's cap (0 normally)."""
        return int(self._parsed().get("links_omitted") or 0)

    @property
    def engine_version(self) -> str:
        return str(self._parsed().get("engine_version", ""))

    @property
    def evaluated_at(self) -> str:
        return str(self._parsed().get("evaluated_at", ""))

    def to_dict(self) -> dict[str, Any]:
        """The full result as a new dict (``idrisk.result/1``)."""
        out: dict[str, Any] = json.loads(self._json)
        return out

    def to_json(self) -> str:
        """The full result as the library wrote it (one JSON object)."""
        return self._json

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return bool(self._json == other._json)

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        return "<idrisk.Result %s score=%d band=%s action=%s>" % (
            self.candidate_id,
            self.score,
            self.band,
            self.action,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (Result._from_json, (self._json,))

    # A Result holds no C memory; these make `with engine.score(...) as r:` harmless
    # for callers who treat every idrisk object alike.
    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


Record = Union[Mapping[str, Any], str, bytes, bytearray, memoryview]


class _NoJSON(Exception):
    """A value json.dumps cannot write; _locate_bad() then finds where it is."""


def _instant(value: _dt.datetime) -> str:
    """An aware datetime as the contract's RFC 3339 instant, in UTC with "Z"."""
    utc = value.astimezone(_dt.timezone.utc)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
    )
    if utc.microsecond:
        text += ".%06d" % utc.microsecond
    return text + "Z"


def _json_default(value: Any) -> Any:
    # datetime is a subclass of date: test it first.
    if isinstance(value, _dt.datetime):
        if value.utcoffset() is None:
            raise _NoJSON()
        return _instant(value)
    if isinstance(value, _dt.date):
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    if isinstance(value, Mapping):
        return dict(value)
    raise _NoJSON()


def _join(path: str, key: str) -> str:
    return key if not path else path + "." + key


_PLAIN = (str, int, bool, type(None))
_KEYS = (str, int, float, bool, type(None))


def _locate_bad(value: Any, path: str, active: set[int]) -> Optional[IdriskError]:
    """The error for the first value under ``value`` that has no JSON form, naming its
    JSON path as the library does (``network.sessions[2].at``); None if there is none.
    Runs only after json.dumps has failed, so its cost is on the error path alone."""
    if isinstance(value, _PLAIN):
        return None
    if isinstance(value, float):
        if math.isfinite(value):
            return None
        return InvalidInputError(
            errors.EINVAL, path, "%r is not a JSON number (not finite)" % value
        )
    if isinstance(value, _dt.datetime):
        if value.utcoffset() is not None:
            try:
                _instant(value)
            except (OverflowError, ValueError):
                return InvalidInputError(
                    errors.EINVAL, path, "%s has no UTC instant in years 1..9999" % value
                )
            return None
        return InvalidInputError(
            errors.EINVAL,
            path,
            "a datetime without a time zone (%s): a local time read as UTC would shift "
            "the session hours the rules compare with the claimed time zone; give it "
            "tzinfo (e.g. value.replace(tzinfo=datetime.timezone.utc) if it is UTC)"
            % value.isoformat(),
        )
    if isinstance(value, _dt.date):
        return None
    if isinstance(value, (Mapping, list, tuple)):
        if id(value) in active:
            return InvalidInputError(
                errors.EINVAL, path, "the value contains itself (a circular reference)"
            )
        active.add(id(value))
        try:
            if isinstance(value, Mapping):
                for k, v in value.items():
                    if not isinstance(k, _KEYS):
                        return InvalidTypeError(
                            errors.EINVAL,
                            path,
                            "a key of type %s in %s (JSON object keys are strings): %r"
                            % (type(k).__name__, path or "the top-level object", k),
                        )
                    found = _locate_bad(v, _join(path, str(k)), active)
                    if found is not None:
                        return found
            else:
                for i, v in enumerate(value):
                    found = _locate_bad(v, "%s[%d]" % (path, i), active)
                    if found is not None:
                        return found
        finally:
            active.discard(id(value))
        return None
    return InvalidTypeError(
        errors.EINVAL,
        path,
        "a value of type %s has no JSON form (a record holds dicts, lists, str, int, "
        "float, bool, None, datetime.datetime and datetime.date)" % type(value).__name__,
    )


def _dumps(record: Mapping[str, Any]) -> bytes:
    try:
        text = json.dumps(
            record,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
            default=_json_default,
        )
    except (_NoJSON, TypeError, ValueError, OverflowError, RecursionError) as exc:
        found = _locate_bad(record, "", set())
        if found is None:
            raise InvalidInputError(
                errors.EINVAL, "", "the record cannot be written as JSON: %s" % exc
            ) from None
        raise found from None
    return text.encode("utf-8")


def _encode(record: Record) -> bytes:
    if isinstance(record, (bytes, bytearray, memoryview)):
        return bytes(record)
    if isinstance(record, str):
        return record.encode("utf-8")
    if isinstance(record, Mapping):
        return _dumps(record)
    raise InvalidTypeError(
        errors.EINVAL,
        "",
        "a candidate record is a dict, a JSON str or JSON bytes, not %s"
        % type(record).__name__,
    )


def _value_at(record: Any, path: str) -> Any:
    """The value at a library JSON path (``a.b[2].c``) in a dict record, or None."""
    node = record
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name:
            if not isinstance(node, Mapping) or name not in node:
                return None
            node = node[name]
        for idx in rest.split("[") if rest else ():
            try:
                node = node[int(idx.rstrip("]"))]
            except (TypeError, ValueError, IndexError, KeyError):
                return None
    return node


def _with_date_hint(exc: IdriskError, record: Any) -> IdriskError:
    """When the library refuses a field the caller gave as a date or datetime, say
    which Python type the field needs (a date where an instant is expected, or the
    reverse). The library's own message and path stay as they are."""
    if not isinstance(exc, InvalidInputError) or not exc.field:
        return exc
    if not isinstance(record, Mapping):
        return exc
    value = _value_at(record, exc.field)
    if isinstance(value, _dt.datetime):
        hint = "a datetime was given where a date is expected: pass value.date()"
    elif isinstance(value, _dt.date):
        hint = (
            "a date was given where an instant is expected: pass an aware "
            "datetime; the binding does not invent a time of day"
        )
    else:
        return exc
    exc.message = "%s (%s)" % (exc.message, hint)
    exc.args = (exc.code, exc.field, exc.message)
    return exc


def _candidate_id_of(record: Any) -> Optional[str]:
    """The record's candidate_id when it can be read (error path only)."""
    try:
        if isinstance(record, (bytes, bytearray, memoryview, str)):
            record = json.loads(bytes(record) if not isinstance(record, str) else record)
        if isinstance(record, Mapping):
            cid = record.get("candidate_id")
            if isinstance(cid, str):
                return cid
    except Exception:
        pass
    return None


def _annotate(exc: IdriskError, index: int, record: Any) -> IdriskError:
    exc.index = index
    exc.candidate_id = _candidate_id_of(record)
    return exc


Progress = Callable[[int, Optional[int]], Any]


# ---------------------------------------------------------------------------------
# Engine
# ---------------------------------------------------------------------------------

ConfigValue = Union[str, int, "os.PathLike[str]", Sequence[Union[str, int]], None]


def _option_values(name: str, value: Any) -> list[str]:
    if isinstance(value, bool):
        raise InvalidInputError(errors.EINVAL, name, "option %s takes no boolean" % name)
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for v in value:
            out.extend(_option_values(name, v))
        return out
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, os.PathLike):
        return [os.fspath(value)]
    return [str(value)]


def _convert(res: Any, err: Any) -> Result:
    """Turn a C result into a Result and free it (the caller keeps its engine busy)."""
    try:
        outp = _ffi.new("char **")
        lenp = _ffi.new("size_t *")
        rc = _lib.idr_result_to_json(res, outp, lenp, err)
        if rc != 0:
            _raise(rc, err)
        text = _take_string(outp[0], lenp[0])
        return Result(
            str(_ffi.string(_lib.idr_result_candidate_id(res)).decode("utf-8")),
            int(_lib.idr_result_score(res)),
            str(_ffi.string(_lib.idr_result_band(res)).decode("ascii")),
            str(_ffi.string(_lib.idr_result_action(res)).decode("ascii")),
            text,
        )
    finally:
        _lib.idr_result_free(res)


class Candidate:
    """A parsed, validated candidate record (from :meth:`Engine.parse`).

    Holds a C handle: free it with ``close()`` or a ``with`` block, or leave it to
    the garbage collector. The C library lets one thread at a time use a candidate;
    concurrent ``score()`` calls on the same Candidate are serialised here.
    """

    def __init__(self, ptr: Any, store: Optional["Store"] = None) -> None:
        self._lock = threading.Lock()
        self._ptr: Any = _ffi.gc(ptr, _lib.idr_candidate_free)
        self._store = store
        self.id: str = str(_ffi.string(_lib.idr_candidate_id(ptr)).decode("utf-8"))

    def _score_on(
        self, engine: "Engine", store: Optional["Store"] = None, flags: int = 0
    ) -> Result:
        if store is not None and store is not self._store:
            raise ValueError(
                "idrisk: to score against a store, parse the candidate with "
                "engine.parse(record, store=that_store)"
            )
        with self._lock:
            if self._ptr is None:
                raise ValueError("idrisk: the candidate is closed")
            eng = engine._enter()
            try:
                st = store._enter() if store is not None else None
                try:
                    err = _ffi.new("idr_error *")
                    resp = _ffi.new("idr_result **")
                    if st is None:
                        rc = _lib.idr_engine_score(eng, self._ptr, resp, err)
                    else:
                        rc = _lib.idr_engine_score_linked(
                            eng, st, self._ptr, flags, resp, err
                        )
                    if rc != 0:
                        _raise(rc, err)
                    return _convert(resp[0], err)
                finally:
                    if store is not None:
                        store._leave()
            finally:
                engine._leave()

    def _record_in(self, engine: "Engine", store: "Store") -> None:
        if store is not self._store:
            raise ValueError("idrisk: the candidate was not parsed for this store")
        with self._lock:
            if self._ptr is None:
                raise ValueError("idrisk: the candidate is closed")
            eng = engine._enter()
            try:
                st = store._enter()
                try:
                    err = _ffi.new("idr_error *")
                    rc = _lib.idr_store_record(st, eng, self._ptr, err)
                    if rc != 0:
                        _raise(rc, err)
                finally:
                    store._leave()
            finally:
                engine._leave()

    def close(self) -> None:
        """Free the C candidate now. Idempotent."""
        with self._lock:
            if self._ptr is not None:
                _ffi.release(self._ptr)
                self._ptr = None

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> "Candidate":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<idrisk.Candidate %s%s>" % (self.id, " closed" if self.closed else "")


class _Counted:
    """The lifetime of a C handle shared between threads (Engine, Store): calls are
    counted, close() marks it closed (new calls raise ValueError) and the last call out
    frees it. Subclasses set _lock, _ptr, _busy, _closing and the name in _what."""

    _what = "handle"
    _lock: threading.Lock
    _ptr: Any
    _busy: int
    _closing: bool

    def _enter(self) -> Any:
        with self._lock:
            if self._ptr is None or self._closing:
                raise ValueError("idrisk: the %s is closed" % self._what)
            self._busy += 1
            return self._ptr

    def _leave(self) -> None:
        with self._lock:
            self._busy -= 1
            if self._closing and self._busy == 0:
                self._free_locked()

    def _free_locked(self) -> None:
        if self._ptr is not None:
            _ffi.release(self._ptr)
            self._ptr = None

    def close(self) -> None:
        """Free the C object now (after any call still running on it). Idempotent."""
        with self._lock:
            self._closing = True
            if self._busy == 0:
                self._free_locked()

    @property
    def closed(self) -> bool:
        return self._closing

    def __exit__(self, *exc: object) -> None:
        self.close()


class Engine(_Counted):
    """A loaded rule pack, databases and lists: build once, score many.

    ``Engine(data_dir=None, rules=None, **config)``: ``data_dir`` and ``rules`` as for
    the CLI's ``--data-dir`` and ``--rules``; any other option of the C library by its
    name (``allow_cidr``, ``relay_cidr``, ``lists_dir``, ``max_input_bytes``,
    ``max_depth``, ``max_array``, ``max_sessions``). Repeatable options take a list. ``None`` keeps
    the default.

    The C library reads no environment variables; as the CLI does, the binding fills
    ``data_dir`` from ``IDRISK_DATA_DIR`` and ``lists_dir`` from ``IDRISK_LISTS_DIR``
    when they are set (non-empty) and the argument is ``None``.

    Immutable and thread-safe: share one engine between threads. Free it with
    ``close()`` or a ``with`` block; it is also freed when garbage collected.
    """

    def __init__(
        self,
        data_dir: ConfigValue = None,
        rules: ConfigValue = None,
        **config: ConfigValue,
    ) -> None:
        self._lock = threading.Lock()
        self._busy = 0
        self._closing = False
        self._ptr: Any = None
        if data_dir is None:
            data_dir = os.environ.get("IDRISK_DATA_DIR") or None
        if config.get("lists_dir") is None:
            config["lists_dir"] = os.environ.get("IDRISK_LISTS_DIR") or None
        options: list[tuple[str, Any]] = [("data_dir", data_dir), ("rules", rules)]
        options.extend(config.items())
        err = _ffi.new("idr_error *")
        cfgp = _ffi.new("idr_config **")
        rc = _lib.idr_config_new(cfgp)
        if rc != 0:
            _raise(rc, err)
        cfg = _ffi.gc(cfgp[0], _lib.idr_config_free)
        try:
            for name, value in options:
                if value is None:
                    continue
                for text in _option_values(name, value):
                    rc = _lib.idr_config_set_by_name(
                        cfg, name.encode("utf-8"), text.encode("utf-8"), err
                    )
                    if rc != 0:
                        _raise(rc, err)
            engp = _ffi.new("idr_engine **")
            rc = _lib.idr_engine_new(engp, cfg, err)
            if rc != 0:
                _raise(rc, err)
            self._ptr = _ffi.gc(engp[0], _lib.idr_engine_free)
        finally:
            _ffi.release(cfg)
        self._describe: Optional[dict[str, Any]] = None

    # -- lifetime ----------------------------------------------------------------
    # close() may race with scoring threads; the C engine must not be freed while a
    # call runs on it, so calls are counted and the last one out frees it.

    _what = "engine"

    def __enter__(self) -> "Engine":
        return self

    # -- scoring -----------------------------------------------------------------

    def score(
        self,
        candidate: Union[Record, "Candidate"],
        /,
        store: Optional["Store"] = None,
        record: bool = False,
    ) -> Result:
        """Score one candidate record (a dict, ``idrisk.candidate/1`` JSON text, or a
        :class:`Candidate` from :meth:`parse`).

        With ``store``, the candidate is linked against the store's other candidates
        (the linkage indicators and :attr:`Result.links`); nothing is written unless
        ``record=True``, which also records the candidate in the store (replacing what
        it held under the same candidate_id): the onboarding case. ``record`` without
        a store is a ``ValueError``. A :class:`Candidate` scored against a store must
        come from ``parse(record, store=that_store)``.

        Raises :class:`InvalidInputError` (a ``ValueError``) naming the field in
        ``.field`` for malformed input or a protected attribute, :class:`LimitError`
        for input over a limit; with a store also :class:`StoreBusyError`, and
        :class:`IdriskIOError`/:class:`DataError` when the store cannot be read (never
        a result that looks unlinked).
        """
        if record and store is None:
            raise ValueError("idrisk: record=True needs a store")
        flags = _lib.IDR_SCORE_RECORD if record else 0
        if isinstance(candidate, Candidate):
            return candidate._score_on(self, store, flags)
        data = _encode(candidate)
        # The C result borrows from the engine (rule texts), so the engine stays busy
        # until the result is converted and freed.
        eng = self._enter()
        try:
            st = store._enter() if store is not None else None
            try:
                err = _ffi.new("idr_error *")
                resp = _ffi.new("idr_result **")
                if st is None:
                    rc = _lib.idr_engine_score_json(eng, data, len(data), resp, err)
                else:
                    rc = _lib.idr_engine_score_json_linked(
                        eng, st, data, len(data), flags, resp, err
                    )
                if rc != 0:
                    raise _with_date_hint(_error(rc, err), candidate)
                return _convert(resp[0], err)
            finally:
                if store is not None:
                    store._leave()
        finally:
            self._leave()

    def parse(
        self,
        record: Record,
        store: Optional["Store"] = None,
        *,
        as_of: Optional["When"] = None,
    ) -> "Candidate":
        """Parse and validate a record without scoring it, with this engine's limits.

        The same errors as :meth:`score`; use it to reject a bad submission early or
        to score one record repeatedly without parsing it again. With ``store`` the
        candidate is parsed for that store (its document and account numbers hashed
        under the store's key), as scoring or recording it there requires.

        ``as_of`` (as for :meth:`Store.purge`: a datetime, date, ISO 8601 text or
        seconds): the instant the candidate is evaluated at when the record gives no
        ``as_of`` of its own, as ``idrisk batch --as-of`` does; a record's own is kept.
        """
        default_as_of = None if as_of is None else _epoch_seconds(as_of)
        data = _encode(record)
        eng = self._enter()
        try:
            st = store._enter() if store is not None else None
            try:
                err = _ffi.new("idr_error *")
                candp = _ffi.new("idr_candidate **")
                if st is None:
                    rc = _lib.idr_candidate_from_json(candp, eng, data, len(data), err)
                else:
                    rc = _lib.idr_candidate_from_json_for_store(
                        candp, eng, st, data, len(data), err
                    )
                if rc != 0:
                    raise _with_date_hint(_error(rc, err), record)
                if default_as_of is not None:
                    _lib.idr_candidate_set_default_as_of(candp[0], default_as_of)
                return Candidate(candp[0], store)
            finally:
                if store is not None:
                    store._leave()
        finally:
            self._leave()

    @overload
    def score_many(
        self,
        records: Iterable[Record],
        workers: int = ...,
        *,
        window: Optional[int] = ...,
        return_exceptions: Literal[False] = ...,
        progress: Optional[Progress] = ...,
        progress_every: int = ...,
    ) -> list[Result]: ...

    @overload
    def score_many(
        self,
        records: Iterable[Record],
        workers: int = ...,
        *,
        window: Optional[int] = ...,
        return_exceptions: Literal[True],
        progress: Optional[Progress] = ...,
        progress_every: int = ...,
    ) -> list[Union[Result, IdriskError]]: ...

    def score_many(
        self,
        records: Iterable[Record],
        workers: int = 1,
        *,
        window: Optional[int] = None,
        return_exceptions: bool = False,
        progress: Optional[Progress] = None,
        progress_every: int = 100,
    ) -> Union[list[Result], list[Union[Result, IdriskError]]]:
        """Score records into one list, in input order: :meth:`score_iter` collected.

        The list holds every result (each keeps its JSON text, several KiB a typical
        hire), so memory grows with the number of records; the input is still read
        lazily. For large inputs iterate over :meth:`score_iter` instead, which holds
        only the records in flight. The arguments and errors are those of
        :meth:`score_iter`."""
        it = self._score_stream(
            records, workers, window, return_exceptions, progress, progress_every
        )
        return list(it)

    @overload
    def score_iter(
        self,
        records: Iterable[Record],
        workers: int = ...,
        window: Optional[int] = ...,
        *,
        return_exceptions: Literal[False] = ...,
        progress: Optional[Progress] = ...,
        progress_every: int = ...,
    ) -> Iterator[Result]: ...

    @overload
    def score_iter(
        self,
        records: Iterable[Record],
        workers: int = ...,
        window: Optional[int] = ...,
        *,
        return_exceptions: Literal[True],
        progress: Optional[Progress] = ...,
        progress_every: int = ...,
    ) -> Iterator[Union[Result, IdriskError]]: ...

    def score_iter(
        self,
        records: Iterable[Record],
        workers: int = 1,
        window: Optional[int] = None,
        *,
        return_exceptions: bool = False,
        progress: Optional[Progress] = None,
        progress_every: int = 100,
    ) -> Union[Iterator[Result], Iterator[Union[Result, IdriskError]]]:
        """Score records as a stream: an iterator of results in input order, with
        memory bounded whatever the input's length. ``records`` is any iterable
        (a list, a generator, an open JSON Lines file...); it is read only as results
        are taken, never materialised.

        ``workers`` > 1 scores on that many threads sharing this engine (the GIL is
        released while C scores), with at most ``window`` records read ahead of the
        result being handed over (default ``32 * workers``), never the whole input;
        the threads take the records in chunks of ``window // (2 * workers)``, as a
        hand-over between threads per record would cost a third to a half of the
        record's scoring time. With 1 worker each record is read when its result is
        asked for.

        Errors of one record (an :class:`IdriskError`: malformed input, a value with
        no JSON form, a limit...) carry ``.index`` (0-based position in the input)
        and ``.candidate_id`` (when readable, else None), and ``str()`` names both.
        ``return_exceptions=False``: the error is raised when its turn comes, after
        every result before it; the records in flight behind it are dropped and the
        iterator ends. ``return_exceptions=True``: the exception object is yielded in
        the record's place and scoring goes on. Anything else (a closed engine, an
        error raised by ``records`` itself, by ``progress``) propagates as it is.

        ``progress(done, total)`` is called in the thread iterating the results, with
        ``done`` results (exceptions included) handed over so far and ``total`` =
        ``len(records)`` when ``records`` has a length, else None: before the result
        that makes ``done`` a multiple of ``progress_every`` is handed over, and once
        more when the input is exhausted, before the iteration ends (unless that count
        was just reported). Not after an error is raised.

        ``ValueError`` at the call for ``workers``, ``window`` or ``progress_every``
        below 1."""
        return self._score_stream(
            records, workers, window, return_exceptions, progress, progress_every
        )

    def _score_stream(
        self,
        records: Iterable[Record],
        workers: int,
        window: Optional[int],
        return_exceptions: bool,
        progress: Optional[Progress],
        progress_every: int,
    ) -> Iterator[Any]:
        if workers < 1:
            raise ValueError("idrisk: workers must be at least 1")
        if window is None:
            window = 32 * workers
        if window < 1:
            raise ValueError("idrisk: window must be at least 1")
        if progress_every < 1:
            raise ValueError("idrisk: progress_every must be at least 1")
        total = len(records) if isinstance(records, Sized) else None
        outcomes: Iterator[Union[Result, IdriskError]]
        if workers == 1:
            outcomes = (self._score_one(i, rec) for i, rec in enumerate(records))
        else:
            outcomes = self._score_pooled(iter(records), workers, window)
        return self._deliver(outcomes, return_exceptions, progress, progress_every, total)

    def _score_one(self, index: int, record: Record) -> Union[Result, IdriskError]:
        """One record's result, or its own error (annotated with its place) returned
        rather than raised: the consumer decides whether to raise it."""
        try:
            return self.score(record)
        except IdriskError as exc:
            return _annotate(exc, index, record)

    @staticmethod
    def _deliver(
        outcomes: Iterator[Union[Result, IdriskError]],
        return_exceptions: bool,
        progress: Optional[Progress],
        every: int,
        total: Optional[int],
    ) -> Iterator[Any]:
        done = 0
        reported = -1
        try:
            for out in outcomes:
                done += 1
                if isinstance(out, IdriskError) and not return_exceptions:
                    raise out
                if progress is not None and done % every == 0:
                    reported = done
                    progress(done, total)
                yield out
        finally:
            # Stops the pool at once on an error or an early stop by the caller.
            close = getattr(outcomes, "close", None)
            if close is not None:
                close()
        if progress is not None and reported != done:
            progress(done, total)

    def _score_chunk(
        self, start: int, records: list[Record]
    ) -> list[Union[Result, IdriskError]]:
        return [self._score_one(start + k, rec) for k, rec in enumerate(records)]

    def _score_pooled(
        self, records: Iterator[Record], workers: int, window: int
    ) -> Iterator[Union[Result, IdriskError]]:
        from collections import deque
        from concurrent.futures import Future, ThreadPoolExecutor
        from itertools import islice

        # Records go to the threads in chunks: a hand-over between threads (a future,
        # a wake-up) per chunk rather than per record. Two chunks per worker fit in
        # the window, so a worker finds the next one queued when it finishes one.
        chunk = max(1, window // (2 * workers))
        pending: deque[Future[list[Union[Result, IdriskError]]]] = deque()
        read = handed = 0
        exhausted = False
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                while True:
                    while not exhausted and read - handed + chunk <= window:
                        part = list(islice(records, chunk))
                        if part:
                            pending.append(pool.submit(self._score_chunk, read, part))
                            read += len(part)
                        exhausted = len(part) < chunk
                    if not pending:
                        return
                    for out in pending.popleft().result():
                        handed += 1
                        yield out
            finally:
                # An error, or a caller that stopped early: nothing more is scored.
                for f in pending:
                    f.cancel()

    # -- lookups and description -------------------------------------------------

    def _json_call(self, fn: Any, *args: Any) -> Any:
        eng = self._enter()
        try:
            err = _ffi.new("idr_error *")
            outp = _ffi.new("char **")
            rc = fn(eng, *args, outp, err)
            if rc != 0:
                _raise(rc, err)
            return json.loads(_take_string(outp[0]))
        finally:
            self._leave()

    def lookup_ip(self, ip: str) -> dict[str, Any]:
        """What every loaded IP database says about ``ip``.

        :class:`InvalidInputError` for a malformed address, :class:`UnavailableError`
        when no IP database is loaded.
        """
        out: dict[str, Any] = self._json_call(_lib.idr_engine_lookup_ip, ip.encode("utf-8"))
        return out

    def lookup_phone(self, number: str, country: Optional[str] = None) -> dict[str, Any]:
        """What libphonenumber's metadata says about ``number`` (``country`` parses
        national numbers)."""
        c = country.encode("utf-8") if country else _ffi.NULL
        out: dict[str, Any] = self._json_call(
            _lib.idr_engine_lookup_phone, number.encode("utf-8"), c
        )
        return out

    def describe(self) -> dict[str, Any]:
        """Rule set, indicators, combinations, data and warnings of this engine."""
        if self._describe is None:
            self._describe = self._json_call(_lib.idr_engine_describe_json)
        out: dict[str, Any] = json.loads(json.dumps(self._describe))
        return out

    @property
    def ruleset(self) -> Ruleset:
        rs = self.describe().get("ruleset") or {}
        return Ruleset(rs.get("id", ""), rs.get("version", ""), rs.get("sha256", ""))

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.describe().get("warnings") or ())

    def __repr__(self) -> str:
        state = "closed" if self._closing else "open"
        return "<idrisk.Engine %s>" % state



# ---------------------------------------------------------------------------------
# The cross-candidate linkage store
# ---------------------------------------------------------------------------------

PathLike = Union[str, "os.PathLike[str]"]
When = Union[_dt.datetime, _dt.date, str, int, float]


def _epoch_seconds(when: When) -> int:
    """Seconds since the Unix epoch (UTC) for purge(): a datetime (naive = UTC), a
    date (its midnight UTC), an ISO 8601 text of either, or a number of seconds."""
    if isinstance(when, bool):
        raise TypeError("idrisk: purge(before=...) takes a datetime, date, str or number")
    if isinstance(when, (int, float)):
        return int(when)
    if isinstance(when, str):
        text = when.strip()
        if len(text) == 10:
            when = _dt.date.fromisoformat(text)
        else:
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            try:
                when = _dt.datetime.fromisoformat(text)
            except ValueError:
                raise InvalidInputError(
                    errors.EINVAL, "before", "not an ISO 8601 date or time: %r" % when
                ) from None
    if isinstance(when, _dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.timezone.utc)
        return int(when.timestamp())
    if isinstance(when, _dt.date):
        return int(
            _dt.datetime(when.year, when.month, when.day, tzinfo=_dt.timezone.utc).timestamp()
        )
    raise TypeError(
        "idrisk: purge(before=...) takes a datetime, date, str or number, not %s"
        % type(when).__name__
    )


class Store(_Counted):
    """The cross-candidate linkage store (docs/store.md): a SQLite file holding, per
    candidate, keyed hashes of the identifiers fraud schemes reuse.

    ``Store(path, key_path=None, create=False, readonly=False)`` opens the store at
    ``path`` with the secret key in ``key_path`` (default: ``path`` + ``".key"``; 32
    random bytes, not readable by group or others). A ``path`` starting with
    ``postgresql://`` opens a store in PostgreSQL (libpq; ``key_path`` then required;
    docs/store.md "PostgreSQL"). ``create=True`` creates a missing
    store and key file (mode 0600). ``readonly=True`` opens for linking only: recording,
    forget and purge then fail. ``bulk=True`` groups records into one transaction per
    1,000 records or second (``IDR_STORE_BULK``, for batch indexing): a record is
    visible to others and safe from a kill only once :meth:`sync` (or ``close()``)
    has committed its group. :meth:`open_with_key` takes the key as bytes instead
    (e.g. from a secrets manager).

    Use it with :meth:`Engine.score` (``store=``, ``record=``) and :func:`batch`. One
    Store may be shared by threads (the library serialises calls on its connection);
    ``close()`` waits for calls still running. Errors: :class:`InvalidInputError`
    (bad arguments, a key file with loose permissions or the wrong size),
    :class:`IdriskIOError` (cannot open or create), :class:`DataError` (not an idrisk
    store, a newer schema, the wrong key), :class:`StoreBusyError` (locked by another
    process beyond the busy timeout), :class:`UnavailableError` (library built without
    the store).
    """

    def __init__(
        self,
        path: PathLike,
        key_path: Optional[PathLike] = None,
        create: bool = False,
        readonly: bool = False,
        *,
        bulk: bool = False,
        _key: Optional[bytes] = None,
    ) -> None:
        self._lock = threading.Lock()
        self._busy = 0
        self._closing = False
        self._ptr: Any = None
        self.path: str = os.fspath(path)
        self.readonly = bool(readonly)
        flags = (_lib.IDR_STORE_CREATE if create else 0) | (
            _lib.IDR_STORE_READONLY if readonly else 0
        ) | (_lib.IDR_STORE_BULK if bulk else 0)
        err = _ffi.new("idr_error *")
        outp = _ffi.new("idr_store **")
        p = os.fsencode(self.path)
        if _key is not None:
            rc = _lib.idr_store_open_with_key(outp, p, _key, len(_key), flags, err)
        else:
            kp = os.fsencode(os.fspath(key_path)) if key_path is not None else _ffi.NULL
            rc = _lib.idr_store_open(outp, p, kp, flags, err)
        if rc != 0:
            _raise(rc, err)
        self._ptr = _ffi.gc(outp[0], _lib.idr_store_free)

    @classmethod
    def open_with_key(
        cls, path: PathLike, key: bytes, create: bool = False, readonly: bool = False
    ) -> "Store":
        """Open (or with ``create=True`` create) the store at ``path`` with ``key``:
        exactly 32 bytes (``IDR_STORE_KEY_BYTES``); no key file is read or written."""
        if not isinstance(key, (bytes, bytearray, memoryview)):
            raise TypeError("idrisk: the store key is bytes, not %s" % type(key).__name__)
        return cls(path, create=create, readonly=readonly, _key=bytes(key))

    # -- lifetime (as Engine: calls are counted, the last one out frees) ------------
    _what = "store"

    def __enter__(self) -> "Store":
        return self

    def __repr__(self) -> str:
        return "<idrisk.Store %s%s%s>" % (
            self.path,
            " readonly" if self.readonly else "",
            " closed" if self._closing else "",
        )

    # -- operations ----------------------------------------------------------------
    def record(self, engine: "Engine", candidate: Union[Record, "Candidate"]) -> None:
        """Record a candidate without linking or scoring it for the caller (batch
        indexing: index every record first, then score, so that links do not depend
        on input order). Replaces what the store held under the same candidate_id."""
        if isinstance(candidate, Candidate):
            candidate._record_in(engine, self)
            return
        with engine.parse(candidate, store=self) as cand:
            cand._record_in(engine, self)

    def sync(self) -> None:
        """Make every candidate recorded so far durable against a power loss (a
        recorded candidate already survives the process being killed)."""
        st = self._enter()
        try:
            err = _ffi.new("idr_error *")
            rc = _lib.idr_store_sync(st, err)
            if rc != 0:
                _raise(rc, err)
        finally:
            self._leave()

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another connection's write lock before it
        raises StoreBusyError (default 60 s; 0: at once). Nothing is written by a
        write that timed out, so it may be retried."""
        if seconds < 0:
            raise ValueError("idrisk: busy timeout must be >= 0, not %r" % seconds)
        st = self._enter()
        try:
            _lib.idr_store_set_busy_timeout(st, min(int(seconds * 1000), 2**31 - 1))
        finally:
            self._leave()

    def forget(self, candidate_id: str) -> bool:
        """Delete everything the store holds about ``candidate_id`` (a deletion
        request). True when it was there."""
        st = self._enter()
        try:
            err = _ffi.new("idr_error *")
            found = _ffi.new("int *")
            rc = _lib.idr_store_forget(st, candidate_id.encode("utf-8"), found, err)
            if rc != 0:
                _raise(rc, err)
            return bool(found[0])
        finally:
            self._leave()

    def purge(self, before: When) -> int:
        """Retention: delete every candidate recorded before ``before`` (a datetime,
        naive meaning UTC; a date, meaning its midnight UTC; an ISO 8601 text of
        either; or seconds since the epoch). Returns how many were deleted."""
        secs = _epoch_seconds(before)
        st = self._enter()
        try:
            err = _ffi.new("idr_error *")
            removed = _ffi.new("unsigned long long *")
            rc = _lib.idr_store_purge(st, secs, removed, err)
            if rc != 0:
                _raise(rc, err)
            return int(removed[0])
        finally:
            self._leave()

    def stats(self) -> dict[str, Any]:
        """What the store holds (counts only, never an identifier):
        ``schema_version``, ``candidates``, ``identifiers`` (by kind), ``photos``,
        ``resumes``, ``oldest_recorded_at``, ``newest_recorded_at``, ``file_bytes``."""
        st = self._enter()
        try:
            err = _ffi.new("idr_error *")
            outp = _ffi.new("char **")
            rc = _lib.idr_store_stats_json(st, outp, err)
            if rc != 0:
                _raise(rc, err)
            out: dict[str, Any] = json.loads(_take_string(outp[0]))
            return out
        finally:
            self._leave()


def _jsonl(path: PathLike) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield line


def batch(
    engine: Engine,
    records: Union[Iterable[Record], PathLike],
    store: Optional[Store] = None,
    index_first: bool = True,
) -> Iterator[Result]:
    """Score many records, yielding each :class:`Result` as soon as it is made, in
    input order, without holding the input or the results in memory.

    ``records`` is an iterable of records (dicts, JSON str/bytes) or the path of a
    JSON Lines file (one record a line; blank lines skipped).

    - Without a store: one pass; a generator is consumed one record per result.
    - With a store and ``index_first=True`` (the default, as ``idrisk batch --db``):
      every record is first recorded in the store, then each is scored linked, so a
      record links to those after it as well as those before it. That takes two passes
      over the input, so ``records`` must be a path or re-iterable (a list, tuple or
      other collection whose ``iter()`` starts afresh); a one-shot iterator such as a
      generator raises ``TypeError`` before anything is read or written.
    - With a store and ``index_first=False``: one pass that scores each record linked
      and records it (``record=True``): each record links only to what the store
      already held and to the records before it. Any iterable, consumed lazily.

    The first error raised by a record propagates (the records before it stay
    recorded; recording is idempotent, so a rerun after fixing the input is safe),
    with ``.index`` and ``.candidate_id`` naming the record as in
    :meth:`Engine.score_iter`.
    """
    is_path = isinstance(records, (str, os.PathLike))

    def source() -> Iterable[Record]:
        if is_path:
            return _jsonl(records)  # type: ignore[arg-type]
        return records  # type: ignore[return-value]

    if store is not None and index_first and not is_path:
        if iter(records) is records:  # type: ignore[arg-type]
            raise TypeError(
                "idrisk.batch: index_first needs two passes over the records: pass a "
                "path, a list or another re-iterable collection, or index_first=False"
            )

    def run() -> Iterator[Result]:
        if store is None:
            for i, rec in enumerate(source()):
                try:
                    res = engine.score(rec)
                except IdriskError as exc:
                    raise _annotate(exc, i, rec)
                yield res
            return
        if not index_first:
            for i, rec in enumerate(source()):
                try:
                    res = engine.score(rec, store=store, record=True)
                except IdriskError as exc:
                    raise _annotate(exc, i, rec)
                yield res
            return
        for i, rec in enumerate(source()):
            try:
                store.record(engine, rec)
            except IdriskError as exc:
                raise _annotate(exc, i, rec)
        for i, rec in enumerate(source()):
            try:
                res = engine.score(rec, store=store)
            except IdriskError as exc:
                raise _annotate(exc, i, rec)
            yield res

    return run()


__all__ = [
    "Engine",
    "Candidate",
    "Store",
    "batch",
    "Result",
    "Reason",
    "Coverage",
    "CoverageFamily",
    "Suppressed",
    "NotEvaluated",
    "Ruleset",
    "Record",
    "Band",
    "Action",
    "Severity",
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
    "features",
    "strerror",
    "__version__",
    "COMPILED_VERSION",
    "LIBRARY_VERSION",
]
