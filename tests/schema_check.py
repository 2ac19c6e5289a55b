#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validate candidate records against data/schema/candidate-v1.schema.json.

Usage: schema_check.py REPO_ROOT

Every examples/candidates/*.json, tests/fixtures/candidate_minimal.json and the full
record of the fuzz corpus must validate; a handful of records the library refuses must
not (so a schema that accepts everything fails this test). Needs python3-jsonschema
(Debian package) and runs with /usr/bin/python3.
"""
import glob
import json
import os
import sys

import jsonschema


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    with open(os.path.join(root, "data/schema/candidate-v1.schema.json")) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)

    valid = sorted(glob.glob(os.path.join(root, "examples/candidates/*.json")))
    valid += [
        os.path.join(root, "tests/fixtures/candidate_minimal.json"),
        os.path.join(root, "tests/fuzz/corpus/candidate_json/full.json"),
    ]
    failures = 0
    for path in valid:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            where = "/".join(str(p) for p in e.path) or "(top level)"
            print(f"FAIL {os.path.relpath(path, root)}: {where}: {e.message}")
        failures += bool(errors)
        if not errors:
            print(f"ok   {os.path.relpath(path, root)}")

    invalid = {
        "missing candidate_id": {"schema": "idrisk.candidate/1"},
        "wrong schema": {"schema": "idrisk.candidate/2", "candidate_id": "x"},
        "protected at top": {"candidate_id": "x", "nationality": "KP"},
        "protected deep in unknown": {"candidate_id": "x", "u": [{"v": {"ethnicity": 1}}]},
        "protected in known object": {"candidate_id": "x", "identity": {"gender": "x"}},
        "protected, camelCase": {"candidate_id": "x", "identity": {"placeOfBirth": "x"}},
        "protected, other separators": {"candidate_id": "x", "u": {"Marital-Status": 1}},
        "bad enum": {"candidate_id": "x", "payment": {"method": "venmo"}},
        "lower-case country": {"candidate_id": "x", "engagement": {"declared_work_country": "us"}},
        "score above 1": {"candidate_id": "x",
                          "documents": [{"verification": {"face_match_score": 1.5}}]},
        "bad date": {"candidate_id": "x", "identity": {"date_of_birth": "1990/01/01"}},
        "bad ip": {"candidate_id": "x", "network": {"sessions": [{"ip": "1.2.3"}]}},
        "session without ip": {"candidate_id": "x", "network": {"sessions": [{}]}},
        "bad phash": {"candidate_id": "x", "identity": {"photo_phash": "xyz"}},
        "negative followers": {"candidate_id": "x",
                               "work_history": {"profiles": [{"followers": -1}]}},
    }
    # names that merely contain a protected word are fine
    for key in ("ages", "languages_spoken", "usage", "sexton", "raced"):
        if not validator.is_valid({"candidate_id": "x", key: 1}):
            print(f"FAIL schema refuses the ordinary key {key!r}")
            failures += 1
    for name, doc in invalid.items():
        if validator.is_valid(doc):
            print(f"FAIL schema accepts an invalid record: {name}")
            failures += 1
        else:
            print(f"ok   refused: {name}")
    print(f"{len(valid)} valid records checked, {len(invalid)} invalid ones, "
          f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
