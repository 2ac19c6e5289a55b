# SPDX-License-Identifier: Apache-2.0
"""`idrisk batch --db`, `score --db` and `store forget|purge|stats` against a real
store (SQLite file, lib/store).

Checks: two records sharing a phone list each other whatever the input order; kill -9
during indexing and during scoring, then a rerun, gives the uninterrupted run's files;
store stats counts the candidates; forget removes a candidate's links; purge empties."""

import json
import os
import signal
import time

from batch_common import Checks, Cli, args, many, results, stripped, tmpdir, write_jsonl

N = 600


def person(cid, phone, name):
    """A minimal record: nothing but its phone can be shared with another."""
    return {
        "schema": "idrisk.candidate/1",
        "candidate_id": cid,
        "as_of": "2025-08-12T12:00:00Z",
        "identity": {"full_name": name},
        "contacts": {"phones": [{"number": phone, "country_hint": "US"}],
                     "emails": [{"address": cid + "@example.com", "verified": True}]},
    }


def links_of(res):
    return sorted((l["candidate_id"], l["kind"]) for l in res.get("links", []))


def kill_when(cli, argv, ckpt, phase, min_next_line):
    """Start a batch and kill -9 it once its checkpoint is in `phase` past
    `min_next_line`; returns whether that point was reached before it finished."""
    proc = cli.start(*argv)
    end = time.monotonic() + 120
    hit = False
    while time.monotonic() < end and proc.poll() is None:
        try:
            ck = json.load(open(ckpt))
            if ck["phase"] == phase and ck["next_line"] >= min_next_line:
                hit = True
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return hit


def main():
    a = args()
    cli = Cli(a)
    t = Checks()
    with tmpdir() as d:
        p = lambda name: os.path.join(d, name)
        fixed = ["--as-of", "2026-01-01T00:00:00Z"]

        # Symmetric links: A and B share a phone; C shares nothing. Both orders.
        a_ = person("cand-a", "+1 608 555 0199", "Avery Stone")
        b_ = person("cand-b", "+1 608 555 0199", "Blake Rivers")
        c_ = person("cand-c", "+1 608 555 0142", "Casey Marsh")
        for order, name in (([a_, b_, c_], "ab"), ([c_, b_, a_], "ba")):
            write_jsonl(p(name + ".jsonl"), order)
            db = p(name + ".db")
            r = cli.run("batch", "--in", p(name + ".jsonl"), "--db", db, "--out", p(name + ".out"), *fixed)
            t.check(r.returncode == 0, "batch --db (%s): exit %d (%s)" % (name, r.returncode, r.stderr))
            if r.returncode != 0:
                continue
            got = {x["candidate_id"]: x for x in results(p(name + ".out"))}
            t.check(("cand-b", "phone") in links_of(got["cand-a"]), "%s: A does not list B by phone" % name)
            t.check(("cand-a", "phone") in links_of(got["cand-b"]), "%s: B does not list A by phone" % name)
            t.check(not any(l[0] in ("cand-a", "cand-b") for l in links_of(got["cand-c"])),
                    "%s: C is linked to A or B" % name)
            t.check(any(r_["id"] == "id_dup_contact_across_applicants" for r_ in got["cand-a"]["reasons"]),
                    "%s: the shared phone is not a reason" % name)
        ab = {x["candidate_id"]: links_of(x) for x in results(p("ab.out"))} if os.path.exists(p("ab.out")) else {}
        ba = {x["candidate_id"]: links_of(x) for x in results(p("ba.out"))} if os.path.exists(p("ba.out")) else {}
        t.check(ab and ab == ba, "links depend on the input order")

        # store stats, score --db (read-only), forget, purge.
        db = p("ab.db")
        r = cli.run("store", "stats", "--json", "--db", db)
        t.check(r.returncode == 0 and json.loads(r.stdout or b"{}").get("candidates") == 3,
                "store stats: exit %d, %s" % (r.returncode, r.stdout[:200]))
        write_jsonl(p("b.json"), [b_])
        r = cli.run("score", "--db", db, p("b.json"))
        t.check(r.returncode == 0 and b"Linked candidates" in r.stdout and b"cand-a" in r.stdout,
                "score --db: no Linked candidates section naming cand-a")
        r = cli.run("--db", db, "store", "forget", "cand-a")
        t.check(r.returncode == 0, "store forget (--db before the command): exit %d" % r.returncode)
        r = cli.run("score", "--json", "--db", db, p("b.json"))
        t.check(r.returncode == 0 and links_of(json.loads(r.stdout or b"{}")) == [],
                "after forget, B still links to A")
        r = cli.run("store", "forget", "cand-a", "--db", db)
        t.check(r.returncode == 0 and b"not in" in r.stdout, "forgetting twice: exit %d" % r.returncode)
        r = cli.run("batch", "--in", p("ab.jsonl"), "--db", db, "--out", p("ab.out"), "--restart", *fixed)
        t.check(r.returncode == 0 and ("cand-a", "phone") in links_of(results(p("ab.out"))[1]),
                "re-running the batch after forget did not link B to A again")
        r = cli.run("score", "--db", p("new.db"), "--record", p("b.json"))
        t.check(r.returncode == 0 and os.path.exists(p("new.db")), "score --record did not create the store")
        r = cli.run("store", "purge", "--before", "2999-01-01", "--db", db)
        t.check(r.returncode == 0 and b"removed 3 " in r.stdout, "purge: %s" % r.stdout)
        r = cli.run("store", "stats", "--json", "--db", db)
        t.check(r.returncode == 0 and json.loads(r.stdout or b"{}").get("candidates") == 0,
                "after purge the store is not empty")

        # Kill -9 during indexing and during scoring, rerun, compare.
        write_jsonl(p("in.jsonl"), many(a.source, N, broken_every=100))
        r = cli.run("batch", "--in", p("in.jsonl"), "--db", p("ref.db"), "--out", p("ref.jsonl"), *fixed)
        t.check(r.returncode == 3, "reference run with a store: exit %d" % r.returncode)
        for phase, line in (("index", 50), ("index", N // 2), ("score", 50), ("score", N // 2)):
            out = p("k-%s-%d.jsonl" % (phase, line))
            argv = ["batch", "--in", p("in.jsonl"), "--db", p("k-%s-%d.db" % (phase, line)), "--out", out,
                    "--checkpoint-every", "20", *fixed]
            hit = kill_when(cli, argv, out + ".ckpt", phase, line)
            r = cli.run(*argv)
            what = "kill in %s after line %d (reached: %s)" % (phase, line, hit)
            t.check(r.returncode == 3, "%s: rerun exit %d" % (what, r.returncode))
            t.check(os.path.exists(out) and stripped(out) == stripped(p("ref.jsonl")),
                    "%s: results differ from an uninterrupted run" % what)
            t.check(os.path.exists(out) and stripped(out + ".errors") == stripped(p("ref.jsonl.errors")),
                    "%s: errors differ from an uninterrupted run" % what)
    t.finish()


if __name__ == "__main__":
    main()
