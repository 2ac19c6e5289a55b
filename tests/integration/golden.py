#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Golden integration cases: every example candidate scored by the CLI must give its
committed expected result, byte for byte apart from `evaluated_at`.

  golden.py --idrisk BUILD/idrisk --data-dir DIR            check (ctest runs this)
  golden.py --idrisk BUILD/idrisk --data-dir DIR --update   rewrite the cases from
                                                            examples/candidates/

The update step is the only way expected files change, so every change of output shows
up in review as a diff of tests/integration/cases/*/expected.json.
"""
import argparse
import difflib
import json
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "integration" / "cases"
EXAMPLES = ROOT / "examples" / "candidates"


def score(idrisk, data_dir, path):
    cmd = [idrisk, "score", "--json", "--data-dir", data_dir, str(path)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{path}: idrisk exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def canonical(text):
    doc = json.loads(text)
    doc.pop("evaluated_at", None)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    examples = sorted(EXAMPLES.glob("*.json"))
    if not examples:
        raise SystemExit("no example candidates found")
    failed = passed = 0
    if a.update:
        for ex in examples:
            case = CASES / ex.stem
            case.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ex, case / "candidate.json")
            (case / "expected.json").write_text(canonical(score(a.idrisk, a.data_dir, ex)))
            print(f"updated {case.relative_to(ROOT)}")
        for case in sorted(CASES.iterdir()):
            if case.is_dir() and not (EXAMPLES / f"{case.name}.json").exists():
                shutil.rmtree(case)
                print(f"removed {case.relative_to(ROOT)} (no such example)")
        return 0
    for ex in examples:
        case = CASES / ex.stem
        if not (case / "expected.json").exists():
            print(f"FAIL {ex.name}: no golden case (run golden.py --update)")
            failed += 1
            continue
        if (case / "candidate.json").read_bytes() != ex.read_bytes():
            print(f"FAIL {ex.name}: the case's candidate.json differs from the example")
            failed += 1
            continue
        first = score(a.idrisk, a.data_dir, case / "candidate.json")
        second = score(a.idrisk, a.data_dir, case / "candidate.json")
        got, again = canonical(first), canonical(second)
        want = (case / "expected.json").read_text()
        if got != again:
            print(f"FAIL {ex.name}: two runs differ (nondeterminism)")
            failed += 1
        elif got != want:
            print(f"FAIL {ex.name}: result differs from expected.json")
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "expected", "got"))
            failed += 1
        else:
            print(f"ok   {ex.name}")
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
