#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/run.py - the performance benchmark of issue 12, in one command.

    /usr/bin/python3 bench/run.py --idrisk build-rel/idrisk \
        --data-dir /path/to/.idrisk-data [--n 20000] [--in POP.jsonl] [--work DIR]

Build first (a Release tree; the bench programs are built next to the CLI):
    cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release
    cmake --build build-rel -j2 --target idrisk_cli bench_latency bench_json

On the same records and the same databases, in one run:
1. the population: tools/gen-population.py --n N --seed S (or --in FILE as it is);
2. the Python peer (../shared/bench/py_peer.py, or --peer) with the city and ASN .mmdb
   of the data directory: what a script written instead of idrisk would do;
3. `idrisk batch` without the store at --jobs 1 and --jobs all cores, and with a fresh
   store (--db) at 1 and all cores; each must exit 0 with one result per record.
   Without the store also at N/5 records, for the peak RSS as N grows;
4. `idrisk score` of one record (the whole process, as a recruiter waits for it);
5. BUILD/bench/bench_latency: engine build time (verify_data off and full) and
   p50/p99/max of idr_engine_score_json over --latency-calls warm calls;
6. BUILD/bench/bench_json: cJSON against simdjson on the first 1,000 records;
7. the Python binding's engine.score_iter and score_many at two N (peak RSS), and
   score_iter's records/s at workers=1 and 2 (bench/py_threads.py), when
   BUILD/python holds the built binding (ctest's python_build makes it);
8. callgrind on the first 1,000 records (`idrisk batch --jobs 1`): instructions per
   record and the functions they go to, and the instructions of the engine build
   (--no-callgrind skips it: valgrind takes a minute or two).

Prints the table and writes --out (default bench/RESULTS.md): date, machine, versions,
the table, the targets of issue 12 (met, or the distance), the profile. --before
JSON (default bench/baseline.json when present) adds a "before" column;
--save-json PATH keeps this run's numbers for that. Timings are of one run on a
possibly busy machine: compare runs of the same machine only. Exits 1 when a run
fails or gives the wrong number of results, 0 otherwise: performance is never a
verdict here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"

# Targets of issue 12 (docs: bench/README.md).
T_PER_CORE = 100_000  # records/s per core, idrisk batch without the store
T_PEER_RATIO = 5.0  # x the Python peer's records/s
T_P50_US, T_P99_US = 15.0, 50.0  # idr_engine_score_json, warm
T_BUILD_MS = 30.0  # engine build, all open data
T_SCORE_MS = 100.0  # `idrisk score` of one file, whole process
T_MILLION_S = 30.0  # 1,000,000 records through batch with the store on 2 cores


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(cmd: list[str], out_path: str, env: dict | None = None) -> dict:
    """Run cmd with stdout and stderr to files; wall time, peak RSS and CPU time of the
    child (os.wait4: its own rusage, not the sum of every child so far)."""
    with open(out_path, "wb") as out, open(out_path + ".stderr", "wb") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return {
        "rc": p.returncode,
        "wall_s": wall,
        "rss_kb": ru.ru_maxrss,
        "cpu_s": ru.ru_utime + ru.ru_stime,
        "stderr": open(out_path + ".stderr", "rb").read().decode("utf-8", "replace"),
    }


def fastest(times: int, fn) -> dict:
    """Run fn() `times` times (at least once); the run with the least wall time, or the
    first failed one."""
    best = None
    for _ in range(max(1, times)):
        r = fn()
        if r["rc"] != 0:
            return r
        if best is None or r["wall_s"] < best["wall_s"]:
            best = r
    return best


def count_lines(path: str) -> int:
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                n += 1
    return n


def head(src: str, n: int, dst: str) -> int:
    got = 0
    with open(src, "rb") as f, open(dst, "wb") as out:
        for line in f:
            if got >= n:
                break
            if line.strip():
                out.write(line)
                got += 1
    return got


def kv(line: str) -> dict:
    """'tag a=1 b=x' -> {'a': 1.0, 'b': 'x'}."""
    out: dict = {}
    for tok in line.split()[1:]:
        k, _, v = tok.partition("=")
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
    return out


def sh(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_kb = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                ram_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(ram_kb / 1048576, 1),
        "kernel": platform.release(),
        "os": sh(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
    }


def versions(idrisk: str) -> dict:
    v = {"idrisk": sh([idrisk, "--version"]), "gcc": sh(["gcc", "--version"]).split("\n")[0]}
    v["python"] = platform.python_version() + " (" + sys.executable + ")"
    pkgs = ["libmaxminddb-dev", "libphonenumber-dev", "libcjson-dev", "libsimdjson-dev",
            "libicu-dev", "libpcre2-dev", "libsqlite3-dev", "python3-maxminddb",
            "python3-phonenumbers", "python3-cffi", "valgrind"]
    for p in pkgs:
        v[p] = sh(["dpkg-query", "-W", "-f", "${Version}", p]) or "not installed"
    return v


def load() -> str:
    return "%.2f %.2f %.2f" % os.getloadavg()


def find_mmdb(data_dir: str, pattern: str) -> str | None:
    hits = sorted(glob.glob(os.path.join(data_dir, pattern)))
    return hits[0] if hits else None


# ---------------------------------------------------------------------------------
# callgrind
# ---------------------------------------------------------------------------------
CG_LINE = re.compile(r"^\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(\S.*)$")


def annotate(path: str) -> tuple[int, dict[str, int]]:
    """Program total and inclusive cost per function name (callgrind_annotate)."""
    txt = sh(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path])
    total, funcs = 0, {}
    for line in txt.splitlines():
        m = CG_LINE.match(line)
        if not m:
            continue
        cost = int(m.group(1).replace(",", ""))
        rest = m.group(2)
        if "PROGRAM TOTALS" in rest:
            total = cost
            continue
        name = re.sub(r"\s+\[[^\]]*\]\s*$", "", rest)  # drop " [object file]"
        name = name.rsplit(":", 1)[-1].strip() if ":" in name and "::" not in name else name
        name = name.strip()
        funcs[name] = max(funcs.get(name, 0), cost)
    return total, funcs


def callgrind(a, idrisk: str, pop: str, W, env: dict) -> dict | None:
    if a.no_callgrind:
        return None
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        log("run.py: valgrind/callgrind_annotate not found: no profile")
        return None
    n = head(pop, a.callgrind_n, W("cg-in.jsonl"))
    for f in glob.glob(W("callgrind.out*")):
        os.remove(f)
    for f in (W("cg-out.jsonl"), W("cg-out.jsonl.ckpt"), W("cg-out.jsonl.errors")):
        if os.path.exists(f):
            os.remove(f)
    log("== callgrind: idrisk batch --jobs 1 over %d records (a minute or two)" % n)
    # --dump-after splits the profile at the end of the engine build: part 1 is the
    # start-up and the build, part 2 the records (each part's counters start at zero).
    r = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + W("callgrind.out"),
             "--dump-after=idr_engine_new", idrisk, "batch", "--in", W("cg-in.jsonl"),
             "--out", W("cg-out.jsonl"), "--jobs", "1", "--data-dir", a.data_dir,
             "--verify-data", a.verify_data], W("callgrind.log"), env)
    if r["rc"] != 0:
        log("run.py: callgrind run failed (exit %d):\n%s" % (r["rc"], r["stderr"][-2000:]))
        return {"ok": False}
    parts = sorted(glob.glob(W("callgrind.out*")))
    build_parts = [p for p in parts if p.endswith(".1")]
    rec_parts = [p for p in parts if not p.endswith(".1")]
    res: dict = {"ok": True, "records": n, "parts": parts}
    if build_parts:
        bt, bf = annotate(build_parts[0])
        res["build_total"] = bt
        res["build_ir"] = bf.get("idr_engine_new", bt)
        res["build_top"] = sorted(((c, f) for f, c in bf.items()
                                   if f.startswith("idr_") and f != "idr_engine_new"),
                                  reverse=True)[:10]
    total, funcs = 0, {}
    for p in rec_parts:
        t, fs = annotate(p)
        total += t
        for f, c in fs.items():
            funcs[f] = funcs.get(f, 0) + c
    res["records_total"] = total
    # parse + score: one call (idr_engine_score_json) or, as idrisk batch does since it
    # sets --as-of on the parsed candidate, idr_candidate_from_json + idr_engine_score
    score = max(funcs.get("idr_engine_score_json", 0),
                funcs.get("idr_candidate_from_json", 0) + funcs.get("idr_engine_score", 0))
    render = funcs.get("idr_result_to_json", 0)
    res["per_record_all"] = total / n
    res["per_record_score"] = score / n
    res["per_record_render"] = render / n
    res["per_record"] = (score + render) / n
    skip = {"idr_engine_new"}
    res["top"] = sorted(((c / n, f) for f, c in funcs.items()
                         if f.startswith("idr_") and f not in skip), reverse=True)[:12]
    return res


# ---------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------
def fmt(v, unit: str = "", digits: int = 0) -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    s = ("{:,.%df}" % digits).format(v)
    return s + unit


def build_rows(R: dict) -> list[tuple[str, str, object, int]]:
    """(key, label, value, digits) for the main table, in order."""
    rows = []
    pr = R.get("peer")
    if pr:
        rows.append(("peer", "Python peer, 1 core", pr, 0))
    for b in R["batch"]:
        rows.append((b["key"], b["label"], b, 0))
    return rows


def table(R: dict, B: dict | None) -> list[str]:
    peer_rps = R["peer"]["rps"] if R.get("peer") else None
    lines = ["| run | records | wall s | records/s | records/s per core | x peer per core "
             "| x peer total | records/CPU-s | peak RSS MiB |"
             + (" before: records/s per core | before: records/CPU-s | before: RSS MiB |"
                if B else ""),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if B else "")]
    before = {}
    if B:
        if B.get("peer"):
            before["peer"] = B["peer"]
        for b in B.get("batch", []):
            before[b["key"]] = b
    for key, label, x, _ in build_rows(R):
        per_core = x["rps"] / x["jobs"]
        ratio_core = per_core / peer_rps if peer_rps else None
        ratio = x["rps"] / peer_rps if peer_rps else None
        cells = [label, fmt(x["records"]), fmt(x["wall_s"], "", 2), fmt(x["rps"]),
                 fmt(per_core), fmt(ratio_core, "x", 2) if key != "peer" else "1.00x",
                 fmt(ratio, "x", 2) if key != "peer" else "1.00x", fmt(x["records"] / x["cpu_s"]),
                 fmt(x["rss_kb"] / 1024, "", 1)]
        if B:
            y = before.get(key)
            cells += [fmt(y["rps"] / y["jobs"]) if y else "-",
                      fmt(y["records"] / y["cpu_s"]) if y else "-",
                      fmt(y["rss_kb"] / 1024, "", 1) if y else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def targets(R: dict) -> list[str]:
    out = ["| target | measured | met |", "|---|---|---|"]

    def row(name, measured, ok, dist=""):
        out.append("| %s | %s | %s |" % (name, measured, ("yes" if ok else "no, " + dist)
                                          if ok is not None else "not measured"))

    b1 = next((b for b in R["batch"] if b["key"] == "nostore-1"), None)
    ball = next((b for b in R["batch"] if b["key"] == "nostore-all"), b1)
    peer = R.get("peer")
    if b1:
        pc = b1["rps"]
        row(">= %s records/s per core (batch, no store, --jobs 1)" % fmt(T_PER_CORE),
            "%s (%s per CPU-second)" % (fmt(pc), fmt(b1["records"] / b1["cpu_s"])),
            pc >= T_PER_CORE, "%.1fx short" % (T_PER_CORE / pc))
    if b1 and peer:
        r1 = b1["rps"] / peer["rps"]
        row(">= %.0fx the Python peer (1 core against 1 core)" % T_PEER_RATIO, "%.2fx" % r1,
            r1 >= T_PEER_RATIO, "%.1fx short" % (T_PEER_RATIO / r1))
        rall = ball["rps"] / peer["rps"]
        row(">= %.0fx the Python peer (all %d cores against the peer)"
            % (T_PEER_RATIO, ball["jobs"]), "%.2fx" % rall, rall >= T_PEER_RATIO,
            "%.1fx short" % (T_PEER_RATIO / rall))
    lat = R.get("latency", {}).get("score_json")
    cpu = R.get("latency", {}).get("score_json_cpu")
    if lat:
        for q, t in (("p50", T_P50_US), ("p99", T_P99_US)):
            v = lat[q + "_us"]
            row("idr_engine_score_json warm %s <= %.0f us" % (q, t), "%.1f us%s" % (
                v, " (%.1f us on the thread's CPU clock)" % cpu[q + "_us"] if cpu else ""),
                v <= t, "%.1fx over" % (v / t))
    for mode in ("off", "full"):
        bd = R.get("build", {}).get(mode)
        if bd:
            row("engine build <= %.0f ms (verify_data %s, min of %d)"
                % (T_BUILD_MS, mode, bd["builds"]), "%.1f ms" % bd["min_ms"],
                bd["min_ms"] <= T_BUILD_MS, "%.1fx over" % (bd["min_ms"] / T_BUILD_MS))
    sc = R.get("score_one")
    if sc:
        row("`idrisk score` of one file well under %.0f ms (default verify, min of %d)"
            % (T_SCORE_MS, sc["runs"]), "%.0f ms" % sc["min_ms"], sc["min_ms"] < T_SCORE_MS,
            "%.1fx over" % (sc["min_ms"] / T_SCORE_MS))
    st = next((b for b in R["batch"] if b["key"] == "store-all"), None)
    if st:
        proj = 1_000_000 / st["rps"]
        measured = ("%.0f s measured" % st["wall_s"] if st["records"] >= 1_000_000
                    else "%.0f s projected from %s records (%s records/s; the store grows, "
                    "so this is optimistic)" % (proj, fmt(st["records"]), fmt(st["rps"])))
        row("1,000,000 records, batch with the store, %d cores, < %.0f s"
            % (st["jobs"], T_MILLION_S), measured, proj < T_MILLION_S,
            "%.1fx over" % (proj / T_MILLION_S))
    small = next((b for b in R["batch"] if b["key"] == "nostore-1-small"), None)
    if small and b1:
        g = (b1["rss_kb"] - small["rss_kb"]) / 1024
        row("batch RSS flat in N (no store, --jobs 1)", "%.1f MiB at %s, %.1f MiB at %s"
            % (small["rss_kb"] / 1024, fmt(small["records"]), b1["rss_kb"] / 1024,
               fmt(b1["records"])), g < 16, "grows %.1f MiB" % g)
    py = R.get("python")
    if py and "iter" in py and len(py["iter"]) == 2:
        s, l = py["iter"]
        g = (l["maxrss_kb"] - s["maxrss_kb"]) / 1024
        row("Python streaming RSS flat in N (engine.score_iter)", "%.1f MiB at %d, %.1f MiB at %d"
            % (s["maxrss_kb"] / 1024, s["n"], l["maxrss_kb"] / 1024, l["n"]), g < 16,
            "grows %.1f MiB" % g)
    return out


def key_measures(R: dict, B: dict) -> list[tuple[str, str, str]]:
    """(measure, before, now) for the numbers outside the throughput table."""

    def get(d, *path):
        for k in path:
            if not isinstance(d, dict) or k not in d or d[k] is None:
                return None
            d = d[k]
        return d

    def py(d, mode, i):
        rows = get(d, "python", mode) or []
        return rows[i]["maxrss_kb"] / 1024 if len(rows) > i else None

    def pyt(d, i):
        rows = get(d, "python_threads") or []
        return rows[i]["records_s"] if len(rows) > i else None

    rows = []
    spec = [
        ("instructions per record (score + result JSON, callgrind)",
         lambda d: get(d, "callgrind", "per_record"), "", 0),
        ("instructions of the engine build (callgrind, verify_data off)",
         lambda d: get(d, "callgrind", "build_ir"), "", 0),
        ("idr_engine_score_json p50, wall clock", lambda d: get(d, "latency", "score_json",
                                                                 "p50_us"), " us", 1),
        ("idr_engine_score_json p99, wall clock", lambda d: get(d, "latency", "score_json",
                                                                 "p99_us"), " us", 1),
        ("idr_engine_score_json p50, thread CPU clock",
         lambda d: get(d, "latency", "score_json_cpu", "p50_us"), " us", 1),
        ("idr_engine_score_json p99, thread CPU clock",
         lambda d: get(d, "latency", "score_json_cpu", "p99_us"), " us", 1),
        ("engine build, verify_data off (min)", lambda d: get(d, "build", "off", "min_ms"),
         " ms", 1),
        ("engine build, verify_data full (min)", lambda d: get(d, "build", "full", "min_ms"),
         " ms", 1),
        ("`idrisk score` of one file (min)", lambda d: get(d, "score_one", "min_ms"), " ms", 0),
        ("Python score_iter peak RSS, smaller N", lambda d: py(d, "iter", 0), " MiB", 1),
        ("Python score_iter peak RSS, larger N", lambda d: py(d, "iter", 1), " MiB", 1),
        ("Python score_many peak RSS, larger N", lambda d: py(d, "many", 1), " MiB", 1),
        ("Python score_iter records/s, workers=1", lambda d: pyt(d, 0), "", 0),
        ("Python score_iter records/s, workers=2", lambda d: pyt(d, 1), "", 0),
    ]
    for name, f, unit, digits in spec:
        rows.append((name, fmt(f(B), unit, digits), fmt(f(R), unit, digits)))
    return rows


def write_report(a, R: dict, B: dict | None, path: str) -> None:
    m, v = R["machine"], R["versions"]
    L = ["# idrisk benchmarks", "",
         "Written by `bench/run.py` (bench/README.md) on %s. Rerun it rather than editing "
         "this file. Numbers of one run on a possibly busy machine: compare runs on the same "
         "machine only." % R["date"], "",
         "## Machine and versions", "",
         "- CPU: %s, %d cores usable, %.1f GiB RAM; kernel %s; %s"
         % (m["cpu"], m["cores"], m["ram_gib"], m["kernel"], m["os"]),
         "- %s; %s; Python %s" % (v["idrisk"], v["gcc"], v["python"]),
         "- Debian packages: " + ", ".join("%s %s" % (k, v[k]) for k in v
                                           if k not in ("idrisk", "gcc", "python")),
         "- load average (1, 5, 15 min) at the start: %s; at the end: %s (other work on the "
         "machine slows the wall-time figures)" % (R.get("load_start", "-"), R.get("load_end", "-")),
         "", "## Command", "", "```", R["command"], "```", "",
         "Records: %s (%s, %.1f MB, %.0f bytes a record on average); `--verify-data %s` for "
         "the batch runs; the fastest of %d run(s) each. The peer: `%s` with `%s` and `%s`."
         % (fmt(R["n"]), R["population"], R["pop_bytes"] / 1e6, R["pop_bytes"] / R["n"],
            a.verify_data, R.get("repeat", 1), os.path.relpath(a.peer, ROOT) if a.peer else "-",
            os.path.basename(R.get("city") or "-"), os.path.basename(R.get("asn") or "-")),
         "", "## Throughput", ""]
    if R.get("label"):
        L += ["This run: %s." % R["label"], ""]
    if B:
        L += ["The before columns: %s (%s)." % (B.get("label", "baseline"), B.get("date", "")), ""]
    L += table(R, B)
    if B:
        L += ["", "| measure | before | now |", "|---|---:|---:|"] + [
            "| %s | %s | %s |" % row for row in key_measures(R, B)]
    L += ["", "records/s is records over the process's wall time (engine build, reading and "
          "writing included); per core divides by --jobs; x peer compares with the peer's "
          "records/s; records/CPU-s divides by the process's user + system CPU time, less "
          "sensitive to a busy machine than the wall time. Peak RSS is the process's maximum "
          "resident set (`getrusage`).", "",
          "## Targets of issue 12", ""]
    L += targets(R)
    L += ["", "## Engine build, single-call latency, JSON parsing", ""]
    for mode, bd in sorted(R.get("build", {}).items()):
        L.append("- engine build, verify_data %s: min %.1f ms, median %.1f ms, max %.1f ms "
                 "(%d builds)" % (mode, bd["min_ms"], bd["median_ms"], bd["max_ms"], bd["builds"]))
    sc = R.get("score_one")
    if sc:
        L.append("- `idrisk score --json ONE.json`, whole process: min %.0f ms, median %.0f ms "
                 "(%d runs, default verify_data); with `--verify-data off` min %.0f ms"
                 % (sc["min_ms"], sc["median_ms"], sc["runs"], sc["off_min_ms"]))
    for op, lat in R.get("latency", {}).items():
        L.append("- %s, %d warm calls cycling over %d records, one thread: p50 %.1f us, p90 "
                 "%.1f us, p99 %.1f us, max %.1f us, mean %.1f us"
                 % (op, lat["calls"], lat["records"], lat["p50_us"], lat["p90_us"],
                    lat["p99_us"], lat["max_us"], lat["mean_us"]))
    js = R.get("json")
    if js:
        L += ["", "| JSON parser (parse + free, %s records) | MB/s | us/record |" %
              fmt(js[0]["records"]), "|---|---:|---:|"]
        for j in js:
            L.append("| %s | %s | %.2f |" % (j["parser"], fmt(j["mb_s"]), j["us_record"]))
        if R.get("simdjson_impl"):
            L.append("")
            L.append("simdjson's implementation on this CPU: %s. `simdjson` parses records "
                     "padded beforehand, `simdjson+copy` copies each into a padded buffer "
                     "first (what a shim behind `idr_engine_score_json` would do)."
                     % R["simdjson_impl"])
    py = R.get("python")
    if py:
        L += ["", "## Python binding memory", "",
              "| call | records | peak RSS MiB | records/s |", "|---|---:|---:|---:|"]
        for mode in ("iter", "many"):
            for p in py.get(mode, []):
                L.append("| engine.%s | %s | %.1f | %s |" % (
                    "score_iter" if mode == "iter" else "score_many", fmt(p["n"]),
                    p["maxrss_kb"] / 1024, fmt(p["records_s"])))
    pt = R.get("python_threads")
    if pt:
        L += ["", "## Python binding thread scaling", "",
              "`bench/py_threads.py`: `engine.score_iter(records, workers=W)` over the same "
              "%s records held in memory, the fastest of rounds alternating the worker counts. "
              "CPUs busy = the process's CPU seconds per wall second; CPU us/record = its "
              "CPU time per record." % fmt(pt[0]["n"]), "",
              "| workers | records/s | CPUs busy | CPU us/record | speed-up |",
              "|---:|---:|---:|---:|---:|"]
        for p in pt:
            L.append("| %d | %s | %.2f | %.1f | x%.2f |" % (
                p["workers"], fmt(p["records_s"]), p["cpus_busy"], p["cpu_us"],
                p["speedup"]))
    cg = R.get("callgrind")
    L += ["", "## Profile (callgrind)", ""]
    if not cg:
        L.append("Not measured in this run (--no-callgrind or no valgrind).")
    elif not cg.get("ok"):
        L.append("The callgrind run failed.")
    else:
        L += ["`valgrind --tool=callgrind --dump-after=idr_engine_new idrisk batch --jobs 1` "
              "over the first %s records, `--verify-data %s`:" % (fmt(cg["records"]), a.verify_data),
              "",
              "- per record: %s instructions to parse and score (idr_engine_score_json, or idr_candidate_from_json + idr_engine_score) + idr_result_to_json "
              "(%s + %s); %s for everything after the engine build (reading, writing, the "
              "batch loop included)" % (fmt(cg["per_record"]), fmt(cg["per_record_score"]),
                                        fmt(cg["per_record_render"]), fmt(cg["per_record_all"])),
              "- engine build: %s instructions in idr_engine_new (%s for the start-up in all)"
              % (fmt(cg.get("build_ir")), fmt(cg.get("build_total"))), "",
              "| function (inclusive, per record) | instructions |", "|---|---:|"]
        for c, f in cg["top"]:
            L.append("| %s | %s |" % (f, fmt(c)))
        if cg.get("build_top"):
            L += ["", "| engine build: function (inclusive) | instructions |", "|---|---:|"]
            for c, f in cg["build_top"]:
                L.append("| %s | %s |" % (f, fmt(c)))
    if a.before_md:
        L += ["", "## Before", "", "The same command on the baseline tree: [%s](%s)."
              % (os.path.basename(a.before_md), os.path.relpath(a.before_md, os.path.dirname(path)))]
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


# ---------------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--idrisk", default=os.path.join(ROOT, "build-rel", "idrisk"),
                    help="the CLI (default build-rel/idrisk)")
    ap.add_argument("--build", help="the build tree of the bench programs and the Python "
                    "binding (default: the CLI's directory)")
    ap.add_argument("--data-dir", default=os.environ.get("IDRISK_DATA_DIR"), help="fetched data")
    ap.add_argument("--n", type=int, default=20000, help="records to generate")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--in", dest="inp", help="use this JSONL population instead of generating")
    ap.add_argument("--work", default="/tmp/idrisk-bench", help="scratch directory")
    ap.add_argument("--peer", default=os.path.normpath(os.path.join(ROOT, "..", "shared",
                                                                    "bench", "py_peer.py")))
    ap.add_argument("--jobs", type=int, default=0, help="'all cores' (default: the CPUs usable)")
    ap.add_argument("--verify-data", default="off", choices=("off", "stamp", "size", "full"),
                    help="for the batch runs (default off: the peer verifies nothing)")
    ap.add_argument("--builds", type=int, default=5, help="engine builds to time")
    ap.add_argument("--repeat", type=int, default=1, help="run the peer and each batch this "
                    "many times and keep the fastest (a busy machine only slows a run)")
    ap.add_argument("--latency-calls", type=int, default=100000)
    ap.add_argument("--json-seconds", type=float, default=2.0)
    ap.add_argument("--python-n", default="4000,16000",
                    help="two record counts for the Python RSS runs ('' skips them)")
    ap.add_argument("--python-threads-n", type=int, default=2000,
                    help="records for the Python thread-scaling run (0 skips it)")
    ap.add_argument("--callgrind-n", type=int, default=1000)
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    ap.add_argument("--before", help="numbers of an earlier run (--save-json), for the "
                    "before column (default bench/baseline.json when present)")
    ap.add_argument("--before-md", help="the earlier run's report, linked from --out "
                    "(default bench/RESULTS-baseline.md when present)")
    ap.add_argument("--save-json", help="write this run's numbers here")
    ap.add_argument("--label", default="", help="a name for this run in --save-json")
    ap.add_argument("--render", metavar="JSON", help="run nothing: write --out from the "
                    "numbers a run saved with --save-json")
    a = ap.parse_args()
    a.out = os.path.abspath(a.out)
    if a.before is None:
        d = os.path.join(ROOT, "bench", "baseline.json")
        a.before = d if os.path.exists(d) and os.path.abspath(a.save_json or a.render or "") != d else None
    if a.before_md is None:
        d = os.path.join(ROOT, "bench", "RESULTS-baseline.md")
        a.before_md = d if os.path.exists(d) and a.out != d else None
    if a.render:
        with open(a.render) as f:
            R = json.load(f)
        B = None
        if a.before:
            with open(a.before) as f:
                B = json.load(f)
        write_report(a, R, B, a.out)
        print("wrote %s" % a.out)
        return 0

    if not a.data_dir or not os.path.isdir(a.data_dir):
        ap.error("--data-dir (or IDRISK_DATA_DIR) must name the fetched data directory")
    a.data_dir = os.path.abspath(a.data_dir)
    idrisk = os.path.abspath(a.idrisk)
    if not os.access(idrisk, os.X_OK):
        ap.error("no idrisk CLI at %s (build it, or pass --idrisk)" % idrisk)
    build = os.path.abspath(a.build or os.path.dirname(idrisk))
    os.makedirs(a.work, exist_ok=True)
    W = lambda f: os.path.join(a.work, f)  # noqa: E731
    env = dict(os.environ)
    env.setdefault("IDRISK_LISTS_DIR", os.path.join(ROOT, "data"))
    cores = a.jobs or len(os.sched_getaffinity(0))
    ok = True

    R: dict = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "label": a.label, "machine": machine(), "versions": versions(idrisk),
               "command": shlex.join(["/usr/bin/python3", "bench/run.py"] + sys.argv[1:]),
               "load_start": load(), "repeat": max(1, a.repeat)}

    # 1. the population
    if a.inp:
        pop = os.path.abspath(a.inp)
        R["population"] = "given: " + pop
    else:
        pop = W("pop.jsonl")
        log("== generating %d hires (tools/gen-population.py --seed %d)" % (a.n, a.seed))
        r = run([PY, os.path.join(ROOT, "tools", "gen-population.py"), "--n", str(a.n),
                 "--seed", str(a.seed), "--data-dir", a.data_dir, "--out", pop,
                 "--truth", W("truth.json")], W("gen.log"), env)
        if r["rc"] != 0:
            log("run.py: gen-population failed:\n" + r["stderr"][-2000:])
            return 1
        R["population"] = "tools/gen-population.py --n %d --seed %d, %.1f s" % (
            a.n, a.seed, r["wall_s"])
    n = count_lines(pop)
    R["n"], R["pop_bytes"] = n, os.path.getsize(pop)

    # 2. the Python peer
    R["city"] = find_mmdb(a.data_dir, "*city*ipv4*.mmdb") or find_mmdb(a.data_dir, "*city*.mmdb")
    R["asn"] = find_mmdb(a.data_dir, "*asn*.mmdb")
    if a.no_peer:
        pass
    elif not os.path.exists(a.peer) or not R["city"] or not R["asn"]:
        log("run.py: no peer (%s) or no city/ASN .mmdb in the data directory: peer skipped"
            % a.peer)
    else:
        log("== Python peer over %d records" % n)
        r = fastest(a.repeat, lambda: run([PY, a.peer, R["city"], R["asn"], pop,
                                            W("peer.jsonl")], W("peer.log"), env))
        got = count_lines(W("peer.jsonl")) if r["rc"] == 0 else 0
        if r["rc"] != 0 or got != n:
            log("run.py: the peer failed (exit %d, %d of %d results):\n%s"
                % (r["rc"], got, n, r["stderr"][-2000:]))
            ok = False
        else:
            R["peer"] = {"key": "peer", "label": "Python peer", "jobs": 1, "records": n,
                         "wall_s": r["wall_s"], "rps": n / r["wall_s"], "rss_kb": r["rss_kb"],
                         "cpu_s": r["cpu_s"]}

    # 3. idrisk batch
    small_n = max(1, n // 5)
    head(pop, small_n, W("pop-small.jsonl"))
    runs = [("nostore-1", "idrisk batch, no store, --jobs 1", 1, False, pop),
            ("nostore-all", "idrisk batch, no store, --jobs %d" % cores, cores, False, pop),
            ("store-1", "idrisk batch --db, --jobs 1", 1, True, pop),
            ("store-all", "idrisk batch --db, --jobs %d" % cores, cores, True, pop),
            ("nostore-1-small", "idrisk batch, no store, --jobs 1, first N/5", 1, False,
             W("pop-small.jsonl"))]
    if cores == 1:
        runs = [x for x in runs if not x[0].endswith("-all")]
    R["batch"] = []
    for key, label, jobs, store, inp in runs:
        out, db = W("out-%s.jsonl" % key), W("store-%s.db" % key)
        want = count_lines(inp)
        log("== %s (%d records)" % (label, want))
        cmd = [idrisk, "batch", "--in", inp, "--out", out, "--jobs", str(jobs),
               "--data-dir", a.data_dir, "--verify-data", a.verify_data]
        if store:
            cmd += ["--db", db]

        def fresh_run(cmd=cmd, out=out, db=db, key=key):
            # a fresh output and a fresh store every time: a rerun would only resume
            for f in (out, out + ".ckpt", out + ".errors", db, db + "-wal", db + "-shm",
                      db + "-journal"):
                if os.path.exists(f):
                    os.remove(f)
            return run(cmd, W("batch-%s.log" % key), env)

        r = fastest(a.repeat, fresh_run)
        got = count_lines(out) if os.path.exists(out) else 0
        if r["rc"] != 0 or got != want:
            log("run.py: %s failed (exit %d, %d of %d results):\n%s"
                % (label, r["rc"], got, want, r["stderr"][-2000:]))
            ok = False
            continue
        R["batch"].append({"key": key, "label": label, "jobs": jobs, "records": want,
                           "wall_s": r["wall_s"], "rps": want / r["wall_s"],
                           "rss_kb": r["rss_kb"], "cpu_s": r["cpu_s"]})
        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.remove(f)

    # 4. idrisk score of one record, the whole process
    head(pop, 1, W("one.json"))
    times = {"full": [], "off": []}
    for mode in ("full", "off"):
        extra = ["--verify-data", "off"] if mode == "off" else []
        for _ in range(5):
            r = run([idrisk, "score", "--json", "--data-dir", a.data_dir] + extra
                    + [W("one.json")], W("score-one.out"), env)
            if r["rc"] != 0:
                log("run.py: idrisk score failed (exit %d): %s" % (r["rc"], r["stderr"][-500:]))
                ok = False
                break
            times[mode].append(r["wall_s"] * 1e3)
    if times["full"] and times["off"]:
        t = sorted(times["full"])
        R["score_one"] = {"runs": len(t), "min_ms": t[0], "median_ms": t[len(t) // 2],
                          "off_min_ms": min(times["off"])}

    # 5. engine build and latency
    lat_bin = os.path.join(build, "bench", "bench_latency")
    R["build"], R["latency"] = {}, {}
    if not os.access(lat_bin, os.X_OK):
        log("run.py: no %s (cmake --build BUILD --target bench_latency): skipped" % lat_bin)
    else:
        for mode, builds, calls in (("full", max(1, min(3, a.builds)), 0),
                                    ("off", a.builds, a.latency_calls)):
            log("== bench_latency, verify_data %s, %d builds, %d calls" % (mode, builds, calls))
            r = run([lat_bin, "--data-dir", a.data_dir, "--verify-data", mode, "--builds",
                     str(builds), "--in", pop, "--records", "1000", "--calls", str(calls)],
                    W("latency-%s.txt" % mode), env)
            if r["rc"] != 0:
                log("run.py: bench_latency failed: " + r["stderr"][-1000:])
                ok = False
                continue
            for line in open(W("latency-%s.txt" % mode)):
                if line.startswith("build "):
                    R["build"][mode] = kv(line)
                elif line.startswith("latency "):
                    d = kv(line)
                    R["latency"][d["op"]] = d

    # 6. JSON parsing
    js_bin = os.path.join(build, "bench", "bench_json")
    if os.access(js_bin, os.X_OK):
        log("== bench_json")
        r = run([js_bin, pop, "1000", str(a.json_seconds)], W("json.txt"), env)
        if r["rc"] == 0:
            R["json"] = []
            for line in open(W("json.txt")):
                d = kv(line)
                if "parser" in d:
                    R["json"].append(d)
                elif "simdjson_implementation" in d:
                    R["simdjson_impl"] = d["simdjson_implementation"]
        else:
            log("run.py: bench_json failed: " + r["stderr"][-1000:])
    else:
        log("run.py: no %s (simdjson missing, or not built): JSON parsing skipped" % js_bin)

    # 7. Python binding RSS
    pydir = os.path.join(build, "python")
    ns = [int(x) for x in a.python_n.split(",") if x.strip()]
    if ns and os.path.isdir(os.path.join(pydir, "idrisk")):
        R["python"] = {"iter": [], "many": []}
        penv = dict(env, PYTHONPATH=pydir)
        for mode in ("iter", "many"):
            for k in ns:
                log("== Python engine.score_%s over %d records" % (mode, k))
                r = run([PY, os.path.join(ROOT, "bench", "py_rss.py"), mode, pop, str(k),
                         a.data_dir], W("py-%s-%d.txt" % (mode, k)), penv)
                if r["rc"] != 0:
                    log("run.py: py_rss failed: " + r["stderr"][-1000:])
                    ok = False
                    continue
                for line in open(W("py-%s-%d.txt" % (mode, k))):
                    if line.startswith("py "):
                        R["python"][mode].append(kv(line))
    elif ns:
        log("run.py: no Python binding in %s (ctest -R python_build): Python RSS skipped" % pydir)
    if a.python_threads_n and os.path.isdir(os.path.join(pydir, "idrisk")):
        log("== Python engine.score_iter thread scaling over %d records" % a.python_threads_n)
        r = run([PY, os.path.join(ROOT, "bench", "py_threads.py"), pop,
                 str(a.python_threads_n), a.data_dir, "1,2", str(max(a.repeat, 5))],
                W("py-threads.txt"), dict(env, PYTHONPATH=pydir))
        if r["rc"] != 0:
            log("run.py: py_threads failed: " + r["stderr"][-1000:])
            ok = False
        else:
            R["python_threads"] = [kv(line) for line in open(W("py-threads.txt"))
                                   if line.startswith("py_threads ")]

    # 8. callgrind
    R["callgrind"] = callgrind(a, idrisk, pop, W, env)
    if R["callgrind"] and not R["callgrind"].get("ok"):
        ok = False

    R["load_end"] = load()
    B = None
    if a.before:
        with open(a.before) as f:
            B = json.load(f)
    write_report(a, R, B, a.out)
    if a.save_json:
        with open(a.save_json, "w") as f:
            json.dump({k: v for k, v in R.items()}, f, indent=1, sort_keys=True, default=str)
            f.write("\n")
    print("\n".join(table(R, B)))
    print()
    print("\n".join(targets(R)))
    print("\nwrote %s" % a.out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
