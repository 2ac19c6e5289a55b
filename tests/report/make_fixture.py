#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the batch-report test fixture: fixture-results.jsonl (idrisk.result/1 lines,
one of them not JSON) and fixture-errors.jsonl. Deterministic; rerun after changing it:
    /usr/bin/python3 tests/report/make_fixture.py tests/report
The records are invented. They include a four-candidate ring, two pairs of linked
candidates, an id and a detail carrying <script>, and non-ASCII text."""
import json
import os
import sys

RULESET = {"id": "idrisk-default", "version": "2026.11.0",
           "sha256": "fa942df330586122223207ba086e83c99fee89cf91d80b5b7aa723c160ec2bf6"}

REASONS = [
    ("net_geo_mismatch", "network", "high", 20, "Login far from the claimed residence",
     "Login from 175.45.176.3 (KP, AS131279) while the claimed residence is Atlanta, US: "
     "11,400 km.", "Ask for a live video call from the claimed location."),
    ("id_voip_phone", "identity", "medium", 10, "Phone number is VoIP",
     "+1 404 555 0100 is a non-fixed VoIP number.", "Call the number and verify by SMS."),
    ("doc_expired", "document", "low", 5, "Identity document expired",
     "The passport expired on 2024-02-01.", "Ask for a current document."),
    ("pay_shared_account", "payment", "high", 25, "Payout account shared with another hire",
     "The payout account is also used by 2 other candidates.",
     "Confirm the account holder with the bank."),
    ("ept_rmm_install", "post_hire", "high", 25, "Remote-management tool installed",
     "AnyDesk found on the issued laptop.", "Review the device with security."),
    ("wrk_resume_template_reuse", "work", "medium", 10, "Resume reuses another's template",
     "SimHash distance 3 to another candidate's resume.", "Ask about past projects."),
    ("adr_forwarder_cmra", "address", "medium", 15, "Shipping address is a forwarder",
     "The shipping address is a commercial mail receiving agency.",
     "Ship only to the verified home address."),
    ("id_dup_contact_across_applicants", "identity", "high", 20,
     "Contact shared across applicants", "The phone number is shared with 1 other applicant.",
     "Ask why the number is shared."),
]
BENIGN = ["A shared family phone plan.", "A recent move not yet reflected everywhere."]
XSS_ID = "x<script>alert(1)</script>"
XSS_DETAIL = "Name on the card: Zoë Ångström (東京) <script>alert(2)</script> & co."


def band_action(score):
    if score >= 75:
        return "critical", "escalate"
    if score >= 50:
        return "high", "escalate" if score >= 60 else "verify"
    if score >= 25:
        return "medium", "verify"
    return "low", "none"


def reason(i, detail=None):
    rid, cat, sev, pts, title, det, ver = REASONS[i]
    return {"id": rid, "category": cat, "severity": sev, "points": pts, "title": title,
            "detail": detail or det, "evidence": {}, "benign_explanations": BENIGN,
            "verify": ver, "sources": ["FBI-PSA-2025"]}


def result(cid, score, reason_idx, links=None, detail=None):
    band, action = band_action(score)
    r = {"schema": "idrisk.result/1", "candidate_id": cid, "score": score, "band": band,
         "action": action,
         "reasons": [reason(i, detail if k == 0 else None) for k, i in enumerate(reason_idx)],
         "not_evaluated": [], "suppressed": [], "enrichment": {}, "warnings": [],
         "coverage": {}, "ruleset": RULESET, "data": [], "engine_version": "0.1.0",
         "evaluated_at": "2026-12-01T10:00:00Z"}
    if links is not None:
        r["links"] = [{"candidate_id": c, "kind": k, "indicator": ind} for c, k, ind in links]
    return r


def lines():
    out = []
    # Filler: 48 candidates spread over the score range.
    for n in range(48):
        score = (n * 37) % 101
        idx = [n % 8, (n + 3) % 8] if score >= 25 else ([n % 8] if score >= 10 else [])
        out.append(result("cand-%03d" % n, score, idx))
        if n == 5:  # the first member of the ring is scored before the others exist
            out.append(result("ring-01", 80, [3, 4]))
        if n == 9:
            out.append(result("pair-a", 40, [1]))
    dev = "ept_shared_device"
    out.append(result("ring-02", 85, [3, 4, 0],
                      [("ring-01", "payout_account", "pay_shared_account")]))
    out.append(result("ring-03", 70, [3, 0],
                      [("ring-01", "payout_account", "pay_shared_account"),
                       ("ring-02", "device", dev)]))
    out.append(result("ring-04", 95, [3, 4, 0, 7],
                      [("ring-01", "payout_account", "pay_shared_account"),
                       ("ring-02", "device", dev), ("ring-03", "ip", "net_shared_egress"),
                       ("ring-03", "device", dev)]))
    out.append(result("pair-b", 55, [1, 7],
                      [("pair-a", "phone", "id_dup_contact_across_applicants")]))
    out.append(result("zoë-ångström-7", 30, [5]))
    out.append(result(XSS_ID, 90, [0, 2], [("zoë-ångström-7", "email",
                                            "id_dup_contact_across_applicants")],
                      detail=XSS_DETAIL))
    # 48 + ring(4) + pair(2) + 2 = 56; four plain ones make 60.
    for n in range(4):
        out.append(result("late-%d" % n, 12 + n, [2]))
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    res = lines()
    assert len(res) == 60
    with open(os.path.join(d, "fixture-results.jsonl"), "w", encoding="utf-8") as f:
        for k, r in enumerate(res):
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
            if k == 20:
                f.write("this line is not JSON\n")
    errs = [{"line": 7, "candidate_id": "bad-1", "code": "EINVAL", "field": "identity.dob",
             "message": "not a date"},
            {"line": 19, "candidate_id": "bad-2", "code": "EINVAL", "field": "identity.dob",
             "message": "not a date"},
            {"line": 33, "candidate_id": "bad-<b>3</b>", "code": "EINVAL",
             "field": "network.ips[2].at", "message": "not an instant"}]
    with open(os.path.join(d, "fixture-errors.jsonl"), "w", encoding="utf-8") as f:
        for e in errs:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
