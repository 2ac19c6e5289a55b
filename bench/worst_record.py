#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The cost of the most expensive records we could build inside the default input
limits (docs/input-limits.md; issue 9's closing measurement). Each shape fills one
dimension to its limit (8 MiB input, 1,000 entries per array, 20,000 sessions) with
what makes the rules work hardest: long names in scripts that go through ICU, every
entry different (no deduplication helps), every session a new address. Each record is
scored by the real CLI (`idrisk score --json`) with the fetched databases; printed per
shape: input size, CPU seconds (user+sys, so a busy machine does not inflate it), wall
seconds, peak RSS of the process, result size, and the score. The engine build is part
of every run; the first line ("baseline") scores a minimal record so it can be
subtracted.

  bench/worst_record.py --idrisk build/idrisk --data-dir .idrisk-data [--keep DIR]
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

MIB = 1 << 20
LIMIT = 8 * MIB
HAN = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 2000))
LATIN = "ÁÉÍÓÚáéíóúÀÈÌÒÙàèìòùÄËÏÖÜäëïöüÇçÑñŁłŠšŽž"


def name(rng, n, alphabet):
    words = []
    while sum(len(w) + 1 for w in words) < n:
        words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 9))))
    return " ".join(words)[:n]


def ip(rng, i):
    return "%d.%d.%d.%d" % (rng.choice([8, 23, 45, 64, 98, 104, 151, 175, 185, 203]),
                            (i >> 16) & 255, (i >> 8) & 255, i & 255 or 1)


def base(cid):
    return {"candidate_id": cid, "as_of": "2026-06-01T00:00:00Z",
            "identity": {"full_name": "Alex Example", "timezone": "America/Los_Angeles",
                         "residence": {"line1": "1 Main St", "city": "Atlanta",
                                       "region": "GA", "postal_code": "30303",
                                       "country": "US"}},
            "engagement": {"declared_work_country": "US"}}


def fill(rec, key_path, make, limit=1000):
    """Append make(i) to the array at key_path until 1,000 entries or 8 MiB."""
    obj = rec
    for k in key_path[:-1]:
        obj = obj.setdefault(k, {})
    arr = obj.setdefault(key_path[-1], [])
    size = len(json.dumps(rec))
    for i in range(limit):
        item = make(i)
        n = len(json.dumps(item, ensure_ascii=False).encode()) + 1
        if size + n > LIMIT - 4096:
            break
        arr.append(item)
        size += n
    return rec


def shapes(rng):
    out = []
    r = base("worst-names-han")
    big = 1200  # Han characters are 3 bytes each in UTF-8
    r["identity"]["full_name"] = name(rng, big, HAN)
    fill(r, ["identity", "aliases"], lambda i: name(rng, big, HAN))
    fill(r, ["documents"], lambda i: {"type": "passport", "issuing_country": "US",
                                      "number": "P%07d" % i,
                                      "full_name": name(rng, 600, HAN),
                                      "date_of_birth": "1990-01-01",
                                      "verification": {"authentic": False,
                                                       "face_match_score": 0.5}})
    out.append(("1,000 aliases of 1,200 Han characters, documents under other names", r))

    r = base("worst-names-latin")
    r["identity"]["full_name"] = name(rng, 3000, LATIN + "abcdefghijklmnop")
    fill(r, ["identity", "aliases"], lambda i: name(rng, 1500, LATIN + "abcdefgh"))
    fill(r, ["equipment", "shipments"],
         lambda i: {"address": {"line1": "%d Elm St" % i, "city": "Reno", "region": "NV",
                                "postal_code": "89501", "country": "US", "cmra": True},
                    "requested_at": "2026-05-01T00:00:00Z",
                    "recipient_name": name(rng, 1500, LATIN + "abcdefgh")})
    out.append(("accented Latin: 1,000 aliases and 1,000 shipments to other names", r))

    r = base("worst-sessions")
    tools = ["anydesk", "teamviewer", "rustdesk", "chrome_remote_desktop"]
    def session(i):
        return {"ip": ip(rng, i), "at": "2026-%02d-%02dT%02d:%02d:00Z" % (
            1 + i % 5, 1 + i % 28, i % 24, i % 60), "event": "login",
            "vpn_client": "astrill", "device_id": "dev-%d" % i,
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) idrisk-worst/%d" % i,
            "remote_access_tools": tools}
    fill(r, ["network", "sessions"], session, limit=20000)
    out.append(("20,000 sessions, every one a new address, VPN and remote tools", r))

    r = base("worst-history")
    r["work_history"] = {"resume_text": ("Used Kubernetes and React in 2009. " * 60000)[:2 * MIB]}
    fill(r, ["work_history", "employers"],
         lambda i: {"name": "Employer %d %s" % (i, name(rng, 200, LATIN)),
                    "domain": "e%d.example" % i, "start": "2005-01-01", "end": "2010-01-01",
                    "verified": False,
                    "references": [{"name": name(rng, 100, LATIN),
                                    "email": "r%d-%d@e%d.example" % (i, j, i),
                                    "phone": "+1 206 555 %04d" % ((i * 7 + j) % 10000)}
                                   for j in range(5)]})
    out.append(("2 MiB resume, 1,000 employers with 5 references each", r))

    r = base("worst-contacts")
    fill(r, ["contacts", "emails"], lambda i: "someone.%d.%s@mail%d.example" % (
        i, "x" * 200, i))
    fill(r, ["contacts", "phones"], lambda i: {"number": "+1 %03d 555 %04d" % (
        200 + i % 700, i), "line_type": "non_fixed_voip"})
    fill(r, ["payment", "changes"], lambda i: {"at": "2026-05-%02dT00:00:00Z" % (1 + i % 28),
                                               "field": "account_id"})
    fill(r, ["payment", "crypto_wallets"], lambda i: {"chain": "ethereum",
                                                      "address": "0x%040x" % i})
    fill(r, ["interviews"], lambda i: {"at": "2026-04-01T00:00:00Z", "mode": "video",
                                       "camera_on": False, "video_issues": ["lag", "lip_sync"],
                                       "multiple_voices": True, "notes": "n" * 2000})
    out.append(("1,000 each of emails, phones, payment changes, wallets, interviews", r))
    return out


def run(idrisk, data_dir, path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([idrisk, "score", "--json", "--data-dir", data_dir, path],
                       capture_output=True)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    score = "-"
    if p.returncode == 0:
        score = str(json.loads(p.stdout)["score"])
    else:
        score = "exit %d: %s" % (p.returncode, p.stderr.decode()[:200])
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: run each shape in a
    # fresh measuring process to read its own peak
    return cpu, wall, len(p.stdout), score


def measure_one(idrisk, data_dir, path):
    code = ("import resource,subprocess,sys,time,json;t=time.monotonic();"
            "p=subprocess.run(sys.argv[1:],capture_output=True);"
            "w=time.monotonic()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "s=json.loads(p.stdout)['score'] if p.returncode==0 else 'exit %d %s'%(p.returncode,p.stderr[:200]);"
            "print(json.dumps([u.ru_utime+u.ru_stime,w,u.ru_maxrss,len(p.stdout),s]))")
    out = subprocess.run([sys.executable, "-c", code, idrisk, "score", "--json",
                          "--data-dir", data_dir, path], capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--keep")
    ap.add_argument("--seed", type=int, default=9)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    d = a.keep or tempfile.mkdtemp(prefix="idrisk-worst-")
    os.makedirs(d, exist_ok=True)
    rows = [("baseline: a minimal record", base("baseline"))] + shapes(rng)
    print("%-72s %8s %7s %7s %8s %9s  %s" % ("shape", "input", "cpu s", "wall s",
                                              "peak RSS", "result", "score"))
    for what, rec in rows:
        path = os.path.join(d, rec["candidate_id"] + ".json")
        with open(path, "w") as f:
            json.dump(rec, f, ensure_ascii=False, separators=(",", ":"))
        size = os.path.getsize(path)
        cpu, wall, rss_kb, out_len, score = measure_one(a.idrisk, a.data_dir, path)
        print("%-72s %7.2fM %7.2f %7.2f %7.0fM %8.1fK  %s" % (
            what[:72], size / MIB, cpu, wall, rss_kb / 1024.0, out_len / 1024.0, score),
            flush=True)
    if not a.keep:
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
        os.rmdir(d)


main()
