# SPDX-License-Identifier: Apache-2.0
"""Batch rescoring on a Dask cluster, linked against one shared store (docs/scaling.md).

:func:`score_jsonl` does what ``idrisk batch --db`` does on one host, spread over the
worker processes of a Dask cluster:

0. **Plan** (on the client): the JSON Lines inputs are cut into partitions of about
   ``blocksize`` bytes, each ending at a newline, so a partition holds whole lines.
   The cut depends only on the files' sizes, their bytes near each cut and
   ``blocksize``: the same inputs always give the same partitions.
1. **Index** (on the cluster): every partition records its records in the store, as
   ``idrisk batch`` phase 1 does (each record with its standalone score), and writes a
   marker with its byte range, the BLAKE2b-256 of those bytes and its line count.
   A candidate_id found in several partitions is then recorded again from the last
   partition that holds it, so the store keeps the later record, as ``idrisk batch``
   does whatever the partitioning.
2. **Score** (on the cluster, only once every partition is indexed): every partition
   is scored linked against the store, opened read-only, into its own results and
   errors files (renamed into place, then a done marker).
3. **Merge** (on the client): the partitions' files concatenated in input order into
   ``out`` and its errors file, each written to a temporary file and renamed.

One :class:`idrisk.Engine` and one :class:`idrisk.Store` per worker process, made by
its first task and reused by every later one (a module-level cache keyed by the
options): building an engine loads every database, and a store connection per task
would defeat connection pooling.

Resuming: everything lives in a work directory (``out + ".parts"`` by default) with a
manifest fixing the partitions, the engine, the store and the ``as_of`` instant of
the run. Run again after a kill at any point, a partition whose marker matches its
bytes (same range, same hash) is not redone, and the final files are byte for byte
those of an uninterrupted run apart from ``evaluated_at``.

The inputs, the work directory and ``out`` must be visible at the same paths on the
client and on every worker (one host, or a shared file system). ``dask`` and
``distributed`` are imported only when a run starts: ``import idrisk`` never needs them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import heapq
import json
import os
import shutil
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterable, Iterator, Mapping, Optional, Sequence, Union

import idrisk

MANIFEST_FORMAT = "idrisk.dask-run/1"
DEFAULT_BLOCKSIZE = 16 << 20

PathLike = Union[str, "os.PathLike[str]"]

# ---------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partition:
    """Bytes ``[start, end)`` of input file ``path`` (number ``file`` of the run's
    inputs): whole lines. ``index`` is its place in input order."""

    index: int
    file: int
    path: str
    start: int
    end: int


def _next_line_end(fh: BinaryIO, pos: int, size: int) -> int:
    """The offset just past the first newline at or after ``pos`` (``size`` if none)."""
    fh.seek(pos)
    while pos < size:
        chunk = fh.read(1 << 16)
        if not chunk:
            break
        nl = chunk.find(b"\n")
        if nl >= 0:
            return pos + nl + 1
        pos += len(chunk)
    return size


def plan(inputs: Sequence[PathLike], blocksize: int = DEFAULT_BLOCKSIZE) -> list[Partition]:
    """The partitions of ``inputs``: each file cut at the first newline at or after
    every ``blocksize`` bytes; an empty file has none. Deterministic."""
    if blocksize < 1:
        raise ValueError("idrisk.dask: blocksize must be at least 1 byte")
    parts: list[Partition] = []
    for f, p in enumerate(inputs):
        path = os.path.abspath(os.fspath(p))
        size = os.path.getsize(path)
        start = 0
        with open(path, "rb") as fh:
            while start < size:
                end = size if start + blocksize >= size else _next_line_end(
                    fh, start + blocksize - 1, size
                )
                parts.append(Partition(len(parts), f, path, start, end))
                start = end
    return parts


# ---------------------------------------------------------------------------------
# Per-process engines and stores (on the workers)
# ---------------------------------------------------------------------------------

_cache_lock = threading.Lock()
_engines: dict[str, tuple[idrisk.Engine, str]] = {}
_stores: dict[tuple[str, Optional[str], str], idrisk.Store] = {}


def _options_key(options: Mapping[str, Any]) -> str:
    return json.dumps(
        {k: (v if not isinstance(v, os.PathLike) else os.fspath(v)) for k, v in options.items()},
        sort_keys=True,
        default=str,
    )


def _engine_sha256(engine: idrisk.Engine, options: Mapping[str, Any]) -> str:
    """What makes two engines score alike: their description (rule pack, parameters,
    databases and versions, directories) and the options it does not show."""
    h = hashlib.sha256(json.dumps(engine.describe(), sort_keys=True).encode("utf-8"))
    h.update(b"\noptions " + _options_key(options).encode("utf-8"))
    return h.hexdigest()


def _engine(options: Mapping[str, Any]) -> tuple[idrisk.Engine, str]:
    """This process's engine for ``options`` and its fingerprint, built once."""
    key = _options_key(options)
    with _cache_lock:
        got = _engines.get(key)
        if got is None:
            eng = idrisk.Engine(**dict(options))
            got = (eng, _engine_sha256(eng, options))
            _engines[key] = got
        return got


def _store(location: str, key_path: Optional[str], mode: str) -> idrisk.Store:
    """This process's store handle (``mode`` "write": bulk recording, "read":
    read-only linking), opened once. The store must exist (the client creates it)."""
    key = (location, key_path, mode)
    with _cache_lock:
        st = _stores.get(key)
        if st is None:
            st = idrisk.Store(
                location,
                key_path=key_path,
                readonly=mode == "read",
                bulk=mode == "write",
            )
            _stores[key] = st
        return st


def release_handles(mode: Optional[str] = None) -> int:
    """Close this process's cached stores (of ``mode``, or all), committing any open
    group of records. Run on every worker between the phases. Returns how many."""
    with _cache_lock:
        keys = [k for k in _stores if mode is None or k[2] == mode]
        for k in keys:
            _stores.pop(k).close()
        return len(keys)


# ---------------------------------------------------------------------------------
# Files: atomic writes, markers, line splitting
# ---------------------------------------------------------------------------------


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: str, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to ``path`` by a temporary file, fsync and rename. Returns the
    size written."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    n = 0
    with open(tmp, "wb") as fh:
        for c in chunks:
            fh.write(c)
            n += len(c)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(os.path.dirname(path))
    return n


def _write_json(path: str, doc: Mapping[str, Any]) -> None:
    _write_atomic(path, [json.dumps(doc, indent=1, sort_keys=True).encode("utf-8") + b"\n"])


def _read_json(path: str) -> Optional[dict[str, Any]]:
    try:
        with open(path, "rb") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _read_range(p: Partition) -> bytes:
    with open(p.path, "rb") as fh:
        fh.seek(p.start)
        data = fh.read(p.end - p.start)
    if len(data) != p.end - p.start:
        raise OSError("idrisk.dask: %s is shorter than its partition %d says" % (p.path, p.index))
    return data


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(0-based line number within the partition, line) for each non-blank line, as
    ``idrisk batch`` reads them: blank lines (spaces, tabs, CR) skipped but counted."""
    for i, line in enumerate(data.split(b"\n")):
        if line.strip(b" \t\r"):
            yield i, line


def _line_count(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _id_hash(cid: str) -> bytes:
    return hashlib.blake2b(cid.encode("utf-8"), digest_size=8).digest()


def _range_doc(p: Partition, digest: str) -> dict[str, Any]:
    return {"partition": p.index, "path": p.path, "start": p.start, "end": p.end, "blake2b": digest}


def _same_range(marker: Optional[Mapping[str, Any]], p: Partition) -> bool:
    return marker is not None and all(
        marker.get(k) == v for k, v in (("path", p.path), ("start", p.start), ("end", p.end))
    )


# ---------------------------------------------------------------------------------
# The tasks (run on the workers)
# ---------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Job:
    """What every task needs to know about the run (pickled to the workers). Holds the
    key's path, never the key; its repr (in Dask's logs of a failed task) leaves out
    any password of the store location."""

    work: str
    store: str
    key_path: Optional[str]
    options: Mapping[str, Any]
    engine_sha256: str
    as_of: int
    multi_input: bool = False

    def __repr__(self) -> str:
        return "_Job(work=%r, store=%r, key_path=%r)" % (
            self.work,
            redact(self.store),
            self.key_path,
        )


def _checked_engine(job: _Job) -> idrisk.Engine:
    eng, sha = _engine(job.options)
    if sha != job.engine_sha256:
        raise RuntimeError(
            "idrisk.dask: this worker's engine differs from the client's (rule pack, "
            "databases or lists): every worker must load the same data"
        )
    return eng


def _index_paths(job: _Job, p: Partition) -> tuple[str, str]:
    base = os.path.join(job.work, "index", "p%06d" % p.index)
    return base + ".json", base + ".ids"


def index_partition(job: _Job, p: Partition) -> dict[str, Any]:
    """Phase 1 for one partition: record its records (skipped when its marker matches
    its bytes). Returns the marker: the range and its hash, ``lines``, ``indexed``,
    ``failed``, and ``redone`` (True when this call recorded it)."""
    data = _read_range(p)
    digest = hashlib.blake2b(data, digest_size=32).hexdigest()
    marker_path, ids_path = _index_paths(job, p)
    old = _read_json(marker_path)
    if _same_range(old, p) and os.path.exists(ids_path):
        assert old is not None
        if old.get("blake2b") != digest:
            raise ValueError(
                "idrisk.dask: %s bytes %d-%d changed since they were indexed: the input "
                "is not the run's; start over with resume=False" % (p.path, p.start, p.end)
            )
        old["redone"] = False
        return old
    eng = _checked_engine(job)
    st = _store(job.store, job.key_path, "write")
    indexed = failed = 0
    ids: set[bytes] = set()
    for _, line in _lines(data):
        try:
            cand = eng.parse(line, store=st, as_of=job.as_of)
        except (idrisk.InvalidInputError, idrisk.LimitError):
            failed += 1  # phase 2 parses it again and writes its error line
            continue
        with cand:
            st.record(eng, cand)
            ids.add(_id_hash(cand.id))
        indexed += 1
    # The marker vouches for these records: make them durable first.
    _sync(st)
    _write_atomic(ids_path, [b"".join(sorted(ids))])
    doc = _range_doc(p, digest)
    doc.update(lines=_line_count(data), indexed=indexed, failed=failed)
    _write_json(marker_path, doc)
    doc["redone"] = True
    return doc


def rerecord(job: _Job, p: Partition, hashes: Sequence[bytes]) -> int:
    """Record again, in input order, the records of ``p`` whose candidate_id hashes
    are in ``hashes``: the candidate_ids found in a later partition too (the store then
    keeps the last record in input order, as ``idrisk batch`` does). Idempotent."""
    wanted = set(hashes)
    eng = _checked_engine(job)
    st = _store(job.store, job.key_path, "write")
    n = 0
    for _, line in _lines(_read_range(p)):
        try:
            cand = eng.parse(line, store=st, as_of=job.as_of)
        except (idrisk.InvalidInputError, idrisk.LimitError):
            continue
        with cand:
            if _id_hash(cand.id) in wanted:
                st.record(eng, cand)
                n += 1
    _sync(st)
    return n


def _sync(st: idrisk.Store, attempts: int = 40) -> None:
    """``st.sync()``, retried while another process syncs the same SQLite store: its
    WAL checkpoint answers "busy" at once, without waiting, when two connections
    checkpoint together (every worker syncs at the end of each partition)."""
    for i in range(attempts):
        try:
            st.sync()
            return
        except idrisk.StoreBusyError:
            if i == attempts - 1:
                raise
            time.sleep(min(0.05 * (i + 1), 1.0))


def _first_candidate_id(line: bytes) -> Optional[str]:
    """The record's candidate_id for its error line, when it is a JSON object with a
    string candidate_id (the first one, as cJSON reads it), else None."""

    def first(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            out.setdefault(k, v)
        return out

    try:
        doc = json.loads(line, object_pairs_hook=first)
    except (ValueError, RecursionError):
        return None
    cid = doc.get("candidate_id") if isinstance(doc, dict) else None
    return cid if isinstance(cid, str) else None


_CODE_NAMES = {idrisk.errors.EINVAL: "EINVAL", idrisk.errors.ELIMIT: "ELIMIT"}


def _score_paths(job: _Job, p: Partition) -> tuple[str, str, str]:
    base = os.path.join(job.work, "score", "p%06d" % p.index)
    return base + ".jsonl", base + ".errors.jsonl", base + ".json"


def score_partition(job: _Job, p: Partition, digest: str, first_line: int) -> dict[str, Any]:
    """Phase 2 for one partition: score each record linked against the store (read
    only) into the partition's results and errors files (skipped when its done marker
    and files match). ``first_line``: the input line number of its first line."""
    out_path, err_path, marker_path = _score_paths(job, p)
    old = _read_json(marker_path)
    if (
        _same_range(old, p)
        and old is not None
        and old.get("blake2b") == digest
        and old.get("first_line") == first_line
        and _size(out_path) == old.get("out_bytes")
        and _size(err_path) == old.get("errors_bytes")
    ):
        old["redone"] = False
        return old
    data = _read_range(p)
    if hashlib.blake2b(data, digest_size=32).hexdigest() != digest:
        raise ValueError("idrisk.dask: %s changed during the run" % p.path)
    eng = _checked_engine(job)
    st = _store(job.store, job.key_path, "read")
    results: list[bytes] = []
    errs: list[bytes] = []
    counts = dict.fromkeys(
        ("scored", "failed", "low", "medium", "high", "critical", "linked", "links"), 0
    )
    for i, line in _lines(data):
        try:
            with eng.parse(line, store=st, as_of=job.as_of) as cand:
                r = eng.score(cand, store=st)
        except (idrisk.InvalidInputError, idrisk.LimitError) as e:
            doc: dict[str, Any] = {}
            if job.multi_input:
                doc["input"] = p.path
            doc.update(
                line=first_line + i,
                candidate_id=_first_candidate_id(line),
                code=_CODE_NAMES[e.code],
                field=e.field or None,
                message=e.message,
            )
            text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
            errs.append(text.encode("utf-8") + b"\n")
            counts["failed"] += 1
            continue
        text = r.to_json()
        results.append(text.encode("utf-8") + b"\n")
        counts["scored"] += 1
        counts[r.band] = counts.get(r.band, 0) + 1
        # Parsing every result to count its links cost a tenth of this loop; most
        # results have none (`"links":[]`), so only the others are parsed.
        n_links = len(r.links) if '"links":[{' in text else 0
        counts["linked"] += n_links > 0
        counts["links"] += n_links
    doc = _range_doc(p, digest)
    doc["first_line"] = first_line
    doc["out_bytes"] = _write_atomic(out_path, results)
    doc["errors_bytes"] = _write_atomic(err_path, errs)
    doc["counts"] = counts
    _write_json(marker_path, doc)
    doc["redone"] = True
    return doc


def _size(path: str) -> Optional[int]:
    try:
        return os.path.getsize(path)
    except OSError:
        return None


# ---------------------------------------------------------------------------------
# The run (on the client)
# ---------------------------------------------------------------------------------


def redact(location: str) -> str:
    """The store location without a password (for the manifest and messages): a
    ``postgresql://`` URI loses its ``user:password@`` password and any
    ``password=`` parameter; a file path is returned as it is."""
    if not location.startswith(("postgresql:", "postgres:")):
        return location
    u = urllib.parse.urlsplit(location)
    netloc = u.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = userinfo.split(":", 1)[0] + "@" + host
    query = urllib.parse.urlencode(
        [
            (k, v)
            for k, v in urllib.parse.parse_qsl(u.query, keep_blank_values=True)
            if k != "password"
        ]
    )
    return urllib.parse.urlunsplit((u.scheme, netloc, u.path, query, u.fragment))


def _format_instant(seconds: int) -> str:
    return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RunSummary:
    """What a run did. ``complete`` is False when ``stop_after`` ended it early.
    ``indexed_partitions`` / ``scored_partitions``: partitions (re)done by this call
    (the others were found done). ``counts``: the whole run's records (``scored``,
    ``failed``, per band, ``linked``, ``links``); ``indexed``: records recorded."""

    out: str
    errors: str
    work_dir: str
    as_of: str
    partitions: int
    complete: bool = False
    indexed_partitions: int = 0
    scored_partitions: int = 0
    rerecorded: int = 0
    indexed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def records(self) -> int:
        return int(self.counts.get("scored", 0) + self.counts.get("failed", 0))


def _hashes(path: str, index: int, chunk: int = 1 << 16) -> Iterator[tuple[bytes, int]]:
    """(hash, index) for each 8-byte hash of a sorted .ids file, read a chunk at a
    time with the file closed in between (a run may have more partitions than a
    process may hold open files)."""
    offset = 0
    while True:
        with open(path, "rb") as fh:
            fh.seek(offset)
            blob = fh.read(chunk)
        if not blob:
            return
        offset += len(blob)
        for (h,) in struct.iter_unpack("8s", blob):
            yield h, index


def _duplicates(job: _Job, parts: Sequence[Partition]) -> dict[int, list[bytes]]:
    """candidate_id hashes found in more than one partition, grouped by the last
    partition holding each: what must be recorded again from there. A merge of the
    partitions' sorted hash files: memory grows with the number of partitions and of
    repeated candidate_ids, not with the number of records."""
    out: dict[int, list[bytes]] = {}
    streams = [_hashes(_index_paths(job, p)[1], p.index) for p in parts]
    prev: Optional[bytes] = None
    holders = 0
    last = -1
    for h, i in heapq.merge(*streams):
        if h != prev:
            if holders > 1 and prev is not None:
                out.setdefault(last, []).append(prev)
            prev, holders = h, 0
        holders += 1
        last = i  # equal hashes come in partition order: the last one is the latest
    if holders > 1 and prev is not None:
        out.setdefault(last, []).append(prev)
    return out


def _check_manifest(
    old: Mapping[str, Any], new: Mapping[str, Any], as_of_given: bool
) -> Optional[str]:
    if old.get("format") != MANIFEST_FORMAT:
        return "it is not an idrisk.dask manifest"
    if old.get("inputs") != new["inputs"]:
        return "the inputs differ (paths or sizes)"
    if old.get("blocksize") != new["blocksize"]:
        return "the blocksize differs"
    if old.get("engine_sha256") != new["engine_sha256"]:
        return "the engine differs (rule pack, databases, lists or options)"
    if old.get("store") != new["store"]:
        return "the store differs"
    if as_of_given and old.get("as_of") != new["as_of"]:
        return "as_of differs"
    return None


def _clear_work(work: str) -> None:
    for sub in ("index", "score"):
        shutil.rmtree(os.path.join(work, sub), ignore_errors=True)
    try:
        os.unlink(os.path.join(work, "manifest.json"))
    except FileNotFoundError:
        pass


def score_jsonl(
    inputs: Union[PathLike, Sequence[PathLike]],
    out: PathLike,
    *,
    store: str,
    key_path: Optional[PathLike] = None,
    client: Any = None,
    blocksize: int = DEFAULT_BLOCKSIZE,
    engine_options: Optional[Mapping[str, Any]] = None,
    as_of: Optional[idrisk.When] = None,
    resume: bool = True,
    errors: Optional[PathLike] = None,
    work_dir: Optional[PathLike] = None,
    stop_after: Optional[tuple[str, int]] = None,
) -> RunSummary:
    """Index then score JSON Lines ``inputs`` on a Dask cluster, linked against the
    store at ``store`` (a file path: SQLite; a ``postgresql://`` URI: PostgreSQL; passed
    to :class:`idrisk.Store` unchanged) with its key in ``key_path``; results to
    ``out`` in input order, one ``idrisk.result/1`` line per record scored, and one
    line per record refused to ``errors`` (default ``out + ".errors"``), as
    ``idrisk batch --db`` writes them.

    ``client``: a ``distributed.Client`` (default: the current one, or a
    ``LocalCluster`` for this call). ``engine_options``: :class:`idrisk.Engine`
    arguments (``data_dir``, ``rules``, ...), the same on every worker. ``as_of``: the
    instant records without their own are evaluated at (default: the run's start, kept
    in the manifest so a resumed run uses the same). ``resume=False`` discards the
    work directory (``out + ".parts"`` by default) and starts over; with ``resume=True``
    a work directory of another run (other inputs, engine, store or ``as_of``) is
    refused with ``ValueError``. ``stop_after=("index"|"score", n)`` ends the run after
    ``n`` partitions of that phase, as a kill would (for tests and demonstrations).

    Raises what a record's store call raises beyond bad input (``IdriskIOError``,
    ``StoreBusyError``...): the partitions done so far stay done.
    """
    t0 = time.monotonic()
    paths = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    if not paths:
        raise ValueError("idrisk.dask: no input")
    out_s = os.path.abspath(os.fspath(out))
    errors_s = os.path.abspath(os.fspath(errors)) if errors is not None else out_s + ".errors"
    work = os.path.abspath(os.fspath(work_dir)) if work_dir is not None else out_s + ".parts"
    in_abs = [os.path.abspath(os.fspath(p)) for p in paths]
    for target in (out_s, errors_s):
        if target in in_abs:
            raise ValueError("idrisk.dask: %s is an input: the run would overwrite it" % target)
    if stop_after is not None and stop_after[0] not in ("index", "score"):
        raise ValueError("idrisk.dask: stop_after is ('index' or 'score', n)")
    options = dict(engine_options or {})
    kp = os.path.abspath(os.fspath(key_path)) if key_path is not None else None

    # The client's engine: checks the options now, and fingerprints what every
    # worker must load alike.
    with idrisk.Engine(**options) as eng:
        engine_sha = _engine_sha256(eng, options)
    as_of_s = int(time.time()) if as_of is None else idrisk._epoch_seconds(as_of)
    parts = plan(in_abs, blocksize)
    manifest = {
        "format": MANIFEST_FORMAT,
        "inputs": [{"path": p, "size": os.path.getsize(p)} for p in in_abs],
        "blocksize": blocksize,
        "partitions": len(parts),
        "engine_sha256": engine_sha,
        "store": redact(store),
        "as_of": _format_instant(as_of_s),
        "out": out_s,
        "errors": errors_s,
    }
    mpath = os.path.join(work, "manifest.json")
    if not resume:
        _clear_work(work)
    old = _read_json(mpath) if os.path.exists(mpath) else None
    if old is None and os.path.exists(mpath):
        raise ValueError("idrisk.dask: %s is not a manifest; pass resume=False" % mpath)
    if old is not None:
        why = _check_manifest(old, manifest, as_of is not None)
        if why:
            raise ValueError(
                "idrisk.dask: the work directory %s belongs to another run: %s. Pass "
                "resume=False to start this run over" % (work, why)
            )
        manifest["as_of"] = old["as_of"]
        as_of_s = idrisk._epoch_seconds(old["as_of"])
    for sub in ("index", "score"):
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    if old is None:
        _write_json(mpath, manifest)

    # The store is created (when missing) here, once, before any worker opens it:
    # workers open it without IDR_STORE_CREATE, so two cannot race to create it. A
    # store gone since partitions were indexed into it is refused, as idrisk batch
    # refuses it: going on would index only the rest into a new, empty store.
    if not _store_exists(store, kp):
        if old is not None and any(
            os.path.exists(_index_paths(_Job(work, store, kp, {}, "", 0), p)[0]) for p in parts
        ):
            raise ValueError(
                "idrisk.dask: the store %s that this run was indexing into is gone; pass "
                "resume=False to start over" % redact(store)
            ) from None
        idrisk.Store(store, key_path=kp, create=True).close()

    job = _Job(work, store, kp, options, engine_sha, as_of_s, multi_input=len(in_abs) > 1)
    summary = RunSummary(out_s, errors_s, work, _format_instant(as_of_s), len(parts))
    own = False
    if client is None:
        client, own = _default_client()
    try:
        _run(client, job, parts, summary, stop_after)
    finally:
        if own:
            _close_client(client)
    if summary.complete:
        _merge(job, parts, out_s, errors_s)
    summary.seconds = time.monotonic() - t0
    return summary


def _store_exists(location: str, key_path: Optional[str]) -> bool:
    """Whether the store at ``location`` exists: a file for SQLite; for a server,
    whether opening it without creating it says "no store at" (other failures, such as
    a server that cannot be reached, are raised)."""
    if not location.startswith(("postgresql:", "postgres:")):
        return os.path.exists(location)
    try:
        idrisk.Store(location, key_path=key_path, readonly=True).close()
    except idrisk.IdriskIOError as e:
        if "no store at" in e.message:
            return False
        raise
    return True


def _default_client() -> tuple[Any, bool]:
    """The current Dask client, or a client of a new LocalCluster (worker processes),
    and whether it is new (then the caller closes it)."""
    from distributed import Client, LocalCluster, get_client

    try:
        return get_client(), False
    except ValueError:
        return Client(LocalCluster(processes=True)), True  # type: ignore[no-untyped-call]


def _close_client(client: Any) -> None:
    """Close a client made by _default_client(), and its LocalCluster if it made one."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def _gather(client: Any, fn: Any, *iterables: Sequence[Any]) -> list[Any]:
    if not iterables or not iterables[0]:
        return []
    futures = client.map(fn, *iterables, pure=False)
    try:
        return list(client.gather(futures))
    finally:
        for f in futures:
            f.release()


def _run(
    client: Any,
    job: _Job,
    parts: Sequence[Partition],
    summary: RunSummary,
    stop_after: Optional[tuple[str, int]],
) -> None:
    limit_index = stop_after[1] if stop_after and stop_after[0] == "index" else None
    limit_score = stop_after[1] if stop_after and stop_after[0] == "score" else None
    selected = list(parts) if limit_index is None else list(parts)[:limit_index]
    markers = _gather(client, index_partition, [job] * len(selected), selected)
    summary.indexed_partitions = sum(1 for m in markers if m["redone"])
    if limit_index is not None:
        return
    summary.indexed = sum(int(m["indexed"]) for m in markers)
    # Every worker's bulk group committed and its writable handle closed before any
    # record is scored: phase 2 must see all of phase 1.
    client.run(release_handles, "write")
    dups = _duplicates(job, parts)
    if dups:
        idx = sorted(dups)
        n = _gather(
            client, rerecord, [job] * len(idx), [parts[i] for i in idx], [dups[i] for i in idx]
        )
        summary.rerecorded = sum(n)
        client.run(release_handles, "write")

    first: list[int] = []
    line = 1
    for p, m in zip(parts, markers):
        if p.index and p.file != parts[p.index - 1].file:
            line = 1
        first.append(line)
        line += int(m["lines"])
    order = list(parts)
    if limit_score is not None:
        # As a kill would leave it: the first n partitions still to do get done.
        pending = [
            p
            for p in order
            if not _looks_scored(job, p, markers[p.index]["blake2b"], first[p.index])
        ]
        order = pending[:limit_score]
    done = _gather(
        client,
        score_partition,
        [job] * len(order),
        order,
        [markers[p.index]["blake2b"] for p in order],
        [first[p.index] for p in order],
    )
    summary.scored_partitions = sum(1 for d in done if d["redone"])
    client.run(release_handles, "read")
    if limit_score is not None:
        return
    total: dict[str, int] = {}
    for d in done:
        for k, v in d["counts"].items():
            total[k] = total.get(k, 0) + int(v)
    summary.counts = total
    summary.complete = True


def _looks_scored(job: _Job, p: Partition, digest: str, first_line: int) -> bool:
    m = _read_json(_score_paths(job, p)[2])
    return bool(
        _same_range(m, p)
        and m
        and m.get("blake2b") == digest
        and m.get("first_line") == first_line
    )


def _merge(job: _Job, parts: Sequence[Partition], out: str, errors: str) -> None:
    """The partitions' results and errors, concatenated in input order, renamed into
    ``out`` and ``errors`` (errors first: a complete ``out`` means a complete run)."""

    def cat(which: int) -> Iterator[bytes]:
        for p in parts:
            with open(_score_paths(job, p)[which], "rb") as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    yield chunk

    _write_atomic(errors, cat(1))
    _write_atomic(out, cat(0))


__all__ = ["score_jsonl", "plan", "Partition", "RunSummary", "redact", "release_handles"]
