# SPDX-License-Identifier: Apache-2.0
"""`idrisk batch` without a store, and the command-line contract of batch, store and
score --db: results in input order, the errors file, exit statuses, determinism across
--jobs, idempotent reruns, refused checkpoints, and usage errors. Real processes."""

import hashlib
import json
import os

from batch_common import (Checks, Cli, args, cases, many, results, stripped, tmpdir,
                          write_jsonl)


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    a = args()
    cli = Cli(a)
    t = Checks()
    base = cases(a.source)
    with tmpdir() as d:
        p = lambda name: os.path.join(d, name)

        # One input with every kind of line: the golden cases, a malformed line, a
        # blank line (skipped, still counted), a protected attribute, a record
        # without candidate_id.
        lines = list(base)
        lines.append('{"candidate_id":"broken",')
        lines.append("   ")
        lines.append({"candidate_id": "prot", "identity": {"nationality": "XX"}})
        lines.append({})
        write_jsonl(p("in.jsonl"), lines)
        n = len(base)
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"), "--jobs", "2")
        t.check(r.returncode == 3, "mixed input: exit %d, want 3 (%s)" % (r.returncode, r.stderr))
        got = results(p("out.jsonl"))
        t.check([x["candidate_id"] for x in got] == [c["candidate_id"] for c in base],
                "results are not the cases in input order")
        t.check(all(x["schema"] == "idrisk.result/1" for x in got), "a result is not idrisk.result/1")
        with open(p("out.jsonl"), "rb") as f:
            t.check(f.read().count(b"\n") == n, "not one line per result")
        errs = results(p("out.jsonl.errors"))
        t.check([e["line"] for e in errs] == [n + 1, n + 3, n + 4],
                "error line numbers %s, want %s" % ([e["line"] for e in errs], [n + 1, n + 3, n + 4]))
        if len(errs) == 3:
            t.check(errs[0]["code"] == "EINVAL" and errs[0]["candidate_id"] is None,
                    "malformed line: %s" % errs[0])
            t.check(errs[1]["field"] == "identity.nationality" and errs[1]["candidate_id"] == "prot"
                    and errs[1]["code"] == "EINVAL", "protected attribute: %s" % errs[1])
            t.check(errs[2]["field"] == "candidate_id", "missing candidate_id: %s" % errs[2])
            t.check(all(set(e) == {"line", "candidate_id", "code", "field", "message"} for e in errs),
                    "error lines do not have exactly line, candidate_id, code, field, message")
        summary = r.stderr.decode().strip().splitlines()[-1] if r.stderr else ""
        t.check(summary.startswith("idrisk batch:") and "%d scored, 3 failed" % n in summary,
                "no final summary on stderr: %r" % summary)
        ck = json.load(open(p("out.jsonl.ckpt")))
        t.check(ck["phase"] == "done" and ck["out_bytes"] == os.path.getsize(p("out.jsonl")),
                "checkpoint not done or sizes differ: %s" % ck)

        # The batch scores exactly as `idrisk score --json` does.
        for i in (0, len(base) // 2, len(base) - 1):
            write_jsonl(p("one.json"), [base[i]])
            s = cli.run("score", "--json", p("one.json"))
            one = json.loads(s.stdout)
            one["evaluated_at"] = got[i]["evaluated_at"]
            t.check(one == got[i], "batch result %d differs from score --json" % i)

        # Rerunning a finished batch changes nothing and says so.
        before = {f: sha(p(f)) for f in ("out.jsonl", "out.jsonl.errors", "out.jsonl.ckpt")}
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"))
        t.check(r.returncode == 3, "rerun of a finished batch: exit %d, want 3" % r.returncode)
        t.check(b"already complete" in r.stderr, "rerun does not say the batch is complete")
        t.check(before == {f: sha(p(f)) for f in before}, "rerun of a finished batch changed files")

        # A finished checkpoint whose results file was removed or cut is not trusted:
        # refused (never "complete" with no results), and --restart scores again.
        for damage in ("remove", "truncate"):
            if damage == "remove":
                os.unlink(p("out.jsonl"))
            else:
                with open(p("out.jsonl"), "r+b") as f:
                    f.truncate(100)
            r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"))
            t.check(r.returncode == 2 and b"missing or shorter" in r.stderr,
                    "results file %s after a finished batch: exit %d (%s)"
                    % (damage, r.returncode, r.stderr[-300:]))
            r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"), "--restart")
            t.check(r.returncode == 3 and len(results(p("out.jsonl"))) == len(got),
                    "--restart after the results file was %sd: exit %d" % (damage, r.returncode))
        before = {f: sha(p(f)) for f in ("out.jsonl", "out.jsonl.errors", "out.jsonl.ckpt")}

        # A checkpoint from another input is refused, files untouched; --restart
        # starts over.
        lines.append(dict(base[0], candidate_id="added"))
        write_jsonl(p("in.jsonl"), lines)
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"))
        t.check(r.returncode == 2 and b"--restart" in r.stderr,
                "mismatched checkpoint: exit %d, want 2 naming --restart (%s)" % (r.returncode, r.stderr))
        t.check(before == {f: sha(p(f)) for f in before}, "a refused batch changed files")
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"), "--restart")
        t.check(r.returncode == 3 and results(p("out.jsonl"))[-1]["candidate_id"] == "added",
                "--restart did not rescore the new input (exit %d)" % r.returncode)
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("out.jsonl"), "--as-of", "2020-01-01")
        t.check(r.returncode == 2, "checkpoint with another --as-of: exit %d, want 2" % r.returncode)
        with open(p("garbage.jsonl.ckpt"), "w") as f:
            f.write("not a checkpoint")
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("garbage.jsonl"))
        t.check(r.returncode == 2, "a file that is not a checkpoint: exit %d, want 2" % r.returncode)
        # A checkpoint of format 1 (its input hashed with SHA-256) cannot vouch for
        # the input: refused, naming the format and --restart.
        old = dict(ck, format="idrisk.batch-checkpoint/1")
        old["input"] = {k: v for k, v in ck["input"].items() if k != "blake2b"}
        old["input"]["sha256"] = "0" * 64
        with open(p("old.jsonl.ckpt"), "w") as f:
            json.dump(old, f)
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", p("old.jsonl"))
        t.check(r.returncode == 2 and b"earlier idrisk" in r.stderr and b"--restart" in r.stderr,
                "a format-1 checkpoint: exit %d, want 2 naming the earlier format (%s)"
                % (r.returncode, r.stderr))

        # --as-of: records without their own as_of (absent or null) get it; a date
        # means its midnight UTC; records with one keep theirs.
        own = base[0]["as_of"]
        write_jsonl(p("asof.jsonl"), [
            {k: v for k, v in base[0].items() if k != "as_of"},
            dict(base[0], as_of=None, candidate_id="null-as-of"),
            base[0],
            {"candidate_id": "only-id"},
        ])
        r = cli.run("batch", "--in", p("asof.jsonl"), "--out", p("asof.out"), "--as-of", "2026-02-03")
        got = results(p("asof.out"))
        t.check(r.returncode == 0 and [x["as_of"] for x in got] ==
                ["2026-02-03T00:00:00Z", "2026-02-03T00:00:00Z", own, "2026-02-03T00:00:00Z"],
                "--as-of not applied: %s" % [x.get("as_of") for x in got])
        r = cli.run("batch", "--in", p("asof.jsonl"), "--out", p("asof2.out"),
                    "--as-of", "2026-02-03T02:00:00+02:00")
        t.check(r.returncode == 0 and results(p("asof2.out"))[0]["as_of"] == "2026-02-03T00:00:00Z",
                "RFC 3339 --as-of with an offset not converted to UTC")
        # Without --as-of: one instant, the batch's start, kept in the checkpoint.
        r = cli.run("batch", "--in", p("asof.jsonl"), "--out", p("asof3.out"))
        got = results(p("asof3.out"))
        ck = json.load(open(p("asof3.out.ckpt")))
        t.check({got[0]["as_of"], got[1]["as_of"], got[3]["as_of"]} == {ck["as_of"]},
                "default as_of is not one instant kept in the checkpoint")

        # --jobs 1 and --jobs 2 give the same bytes apart from evaluated_at.
        write_jsonl(p("many.jsonl"), many(a.source, 600, broken_every=97))
        for j in ("1", "2"):
            r = cli.run("batch", "--in", p("many.jsonl"), "--out", p("j%s.jsonl" % j),
                        "--jobs", j, "--as-of", "2026-01-01")
            t.check(r.returncode == 3, "--jobs %s: exit %d, want 3" % (j, r.returncode))
        t.check(stripped(p("j1.jsonl")) == stripped(p("j2.jsonl")), "--jobs 1 and 2 results differ")
        t.check(stripped(p("j1.jsonl.errors")) == stripped(p("j2.jsonl.errors")),
                "--jobs 1 and 2 errors differ")
        t.check(len(results(p("j2.jsonl"))) == 600 and len(results(p("j2.jsonl.errors"))) == 6,
                "600 records with 6 broken lines: wrong counts")

        # Standard input and standard output: same results; errors on stderr.
        with open(p("many.jsonl"), "rb") as f:
            r = cli.run("batch", "--in", "-", "--as-of", "2026-01-01", "--jobs", "2", stdin=f.read())
        t.check(r.returncode == 3, "stdin to stdout: exit %d, want 3" % r.returncode)
        with open(p("stdout.jsonl"), "wb") as f:
            f.write(r.stdout)
        t.check(stripped(p("stdout.jsonl")) == stripped(p("j1.jsonl")), "stdin/stdout results differ")
        err_lines = [l for l in r.stderr.decode().splitlines() if l.startswith("{")]
        t.check(len(err_lines) == 6 and json.loads(err_lines[0])["code"] == "EINVAL",
                "errors not on stderr as JSON lines when there is no --out")
        r = cli.run("batch", "--in", p("many.jsonl"), "--out", p("e.jsonl"), "--errors",
                    p("errs.jsonl"), "--as-of", "2026-01-01")
        t.check(r.returncode == 3 and len(results(p("errs.jsonl"))) == 6
                and not os.path.exists(p("e.jsonl.errors")), "--errors FILE not used")
        r = cli.run("batch", "--in=" + p("many.jsonl"), "--out=" + p("eq.jsonl"), "--as-of=2026-01-01")
        t.check(r.returncode == 3 and stripped(p("eq.jsonl")) == stripped(p("j1.jsonl")),
                "--opt=value forms not accepted")
        write_jsonl(p("empty.jsonl"), [])
        r = cli.run("batch", "--in", p("empty.jsonl"), "--out", p("empty.out"))
        t.check(r.returncode == 0 and os.path.getsize(p("empty.out")) == 0, "empty input: exit %d" % r.returncode)

        # Usage errors (2) and other failures (1).
        inp = p("in.jsonl")
        for argv, want, what in [
            (["batch"], 2, "batch without --in"),
            (["batch", "--in", inp, "--report", p("r.html")], 2, "--report without --out"),
            (["batch", "--in", inp, "--jobs", "0"], 2, "--jobs 0"),
            (["batch", "--in", inp, "--jobs", "x"], 2, "--jobs x"),
            (["batch", "--in", inp, "--as-of", "yesterday"], 2, "bad --as-of"),
            (["batch", "--in", inp, "--as-of", "2026-02-30"], 2, "impossible --as-of date"),
            (["batch", "--in", inp, "--record"], 2, "--record on batch"),
            (["batch", "--in", inp, "--frobnicate"], 2, "unknown option"),
            (["batch", "--in", inp, "--out", inp], 2, "--out is the input"),
            (["batch", "--in", inp, "extra"], 2, "a positional argument"),
            (["batch", "--in", p("missing.jsonl")], 1, "missing input"),
            (["rules", "--db", p("s.db")], 2, "--db on rules"),
            (["score", "--record", p("one.json")], 2, "score --record without --db"),
            (["score", "--db", p("nostore.db"), p("one.json")], 1, "score --db of a missing store"),
            (["store"], 2, "store without subcommand"),
            (["store", "frob", "--db", p("s.db")], 2, "unknown store subcommand"),
            (["store", "stats"], 2, "store stats without --db"),
            (["store", "forget", "--db", p("s.db")], 2, "store forget without ID"),
            (["store", "purge", "--db", p("s.db")], 2, "store purge without --before"),
            (["store", "purge", "--before", "soon", "--db", p("s.db")], 2, "store purge bad date"),
            (["store", "stats", "--before", "2026-01-01", "--db", p("s.db")], 2, "--before on stats"),
            (["store", "stats", "--db", p("nostore.db")], 1, "store stats of a missing store"),
            (["--db", p("nostore.db"), "store", "stats"], 1, "--db before the command"),
        ]:
            r = cli.run(*argv)
            t.check(r.returncode == want, "%s: exit %d, want %d (%s)" % (what, r.returncode, want,
                                                                          r.stderr.decode().strip()[:200]))
        t.check(not os.path.exists(p("nostore.db")), "a read-only command created a store")
        r = cli.run("--version")
        t.check(r.returncode == 0 and r.stdout.startswith(b"idrisk "), "--version")
    t.finish()


if __name__ == "__main__":
    main()
