#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""ATS webhook receiver: score each submitted application with idrisk.

Standard library only (http.server) plus the idrisk binding. An applicant-tracking
system POSTs an ``application.submitted`` event (shape: README.md next to this file);
the receiver maps it to an ``idrisk.candidate/1`` record, scores it and answers with
the triage: score, band, action and each reason's id, title, detail and verification
step. It never answers "reject": a human reviews whatever it returns.

Nothing is dropped silently:
  * a protected attribute anywhere in the payload (nationality, gender, EEO survey
    answers, ...) is refused with 422 naming the payload field: idrisk never sees who
    a person is, only contradictions and failed verifications;
  * payload fields the mapping does not use are listed in the answer's ``unmapped``;
  * bad input answers 400 with ``field`` naming the payload path when the library names
    a field of the mapped record.

  /usr/bin/python3 examples/webhook/receiver.py --port 8080 [--data-dir DIR]
  curl -s -XPOST --data @examples/webhook/sample-application.json \\
       localhost:8080/webhooks/ats
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

import idrisk

PATH = "/webhooks/ats"
MAX_BODY = 1 << 20  # the library's default max_input_bytes

# The candidate contract's protected attributes (docs: candidate-v1), plus what ATS
# payloads carry in EEO/OFCCP surveys. Refused, never forwarded and never dropped.
PROTECTED = {
    "nationality",
    "citizenship",
    "national_origin",
    "ethnicity",
    "race",
    "religion",
    "sex",
    "gender",
    "birthplace",
    "place_of_birth",
    "native_language",
    "language",
    "accent",
    "age",
    "disability",
    "marital_status",
    "eeo",
    "eeoc",
    "demographics",
    "veteran_status",
    "disability_status",
}

ENGAGEMENT_TYPES = {
    "full_time": "employee",
    "part_time": "employee",
    "employee": "employee",
    "contract": "contractor",
    "contractor": "contractor",
    "freelance": "contractor",
    "eor": "eor_contractor",
    "eor_contractor": "eor_contractor",
    "agency": "agency",
}


class PayloadError(Exception):
    """A payload the receiver cannot map: HTTP status, payload field, message."""

    def __init__(self, status: int, field: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.field = field
        self.message = message


def find_protected(node: Any, path: str = "") -> Optional[str]:
    """The payload path of the first protected attribute, or None."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = "%s.%s" % (path, key) if path else str(key)
            if key.lower() in PROTECTED:
                return here
            found = find_protected(value, here)
            if found:
                return found
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found = find_protected(value, "%s[%d]" % (path, i))
            if found:
                return found
    return None


class Mapper:
    """Maps one payload to a candidate record, remembering where each value came from
    (for error messages) and which payload fields were used (for ``unmapped``)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.used: set[str] = set()
        self.origin: dict[str, str] = {}  # record path -> payload path

    def get(self, path: str, required: bool = False) -> Any:
        node: Any = self.payload
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    raise PayloadError(400, path, "%s is required" % path)
                return None
            node = node[part]
        if not isinstance(node, (dict, list)):
            self.used.add(path)  # containers count as used leaf by leaf
        return node

    def put(self, record: dict[str, Any], rpath: str, value: Any, ppath: str) -> None:
        """Set record[rpath] (dotted) = value unless value is None."""
        if value is None:
            return
        node = record
        parts = rpath.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        self.origin[rpath] = ppath
        self.used.add(ppath)

    def items(self, path: str) -> list[tuple[str, dict[str, Any]]]:
        value = self.get(path)
        if value is None:
            return []
        if not isinstance(value, list):
            raise PayloadError(400, path, "%s must be an array" % path)
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise PayloadError(400, "%s[%d]" % (path, i), "%s[%d] must be an object" % (path, i))
            out.append(("%s[%d]" % (path, i), item))
        return out

    def unmapped(self) -> list[str]:
        """Leaf paths of the payload that no mapping rule used."""
        out: list[str] = []

        def walk(node: Any, path: str) -> None:
            if path in self.used:
                return
            if isinstance(node, dict) and node:
                for k, v in node.items():
                    walk(v, "%s.%s" % (path, k) if path else k)
            elif isinstance(node, list) and node and path:
                for i, v in enumerate(node):
                    walk(v, "%s[%d]" % (path, i))
            else:
                out.append(path)

        walk(self.payload, "")
        return out

    def payload_path(self, record_field: str) -> str:
        """The payload path a record path (as the library names it) came from."""
        best = ""
        for rpath, ppath in self.origin.items():
            if record_field == rpath:
                return ppath
            if record_field.startswith(rpath) and len(rpath) > len(best):
                best = rpath
        return self.origin[best] + record_field[len(best):] if best else record_field


def to_candidate(payload: Any) -> tuple[dict[str, Any], Mapper]:
    """Map an ``application.submitted`` payload to an idrisk.candidate/1 record."""
    if not isinstance(payload, dict):
        raise PayloadError(400, "", "the payload must be a JSON object")
    protected = find_protected(payload)
    if protected:
        raise PayloadError(
            422,
            protected,
            "%s is a protected attribute: idrisk scores contradictions and failed "
            "verifications, never who a person is; remove it from the webhook" % protected,
        )
    m = Mapper(payload)
    event = m.get("event", required=True)
    if event != "application.submitted":
        raise PayloadError(400, "event", "event must be application.submitted, not %r" % event)
    m.get("event_id")  # envelope fields: echoed or superseded, not candidate data
    m.get("occurred_at")
    rec: dict[str, Any] = {"schema": "idrisk.candidate/1"}
    cid = m.get("application.candidate.id", required=True)
    m.put(rec, "candidate_id", str(cid), "application.candidate.id")
    submitted = m.get("application.submitted_at") or m.get("occurred_at")
    if submitted is not None:
        rec["as_of"] = submitted
        m.origin["as_of"] = (
            "application.submitted_at" if m.get("application.submitted_at") else "occurred_at"
        )
    m.get("application.id")

    # engagement
    kind = m.get("application.job.employment_type")
    if kind is not None:
        if kind not in ENGAGEMENT_TYPES:
            raise PayloadError(
                400,
                "application.job.employment_type",
                "application.job.employment_type %r is not one of %s"
                % (kind, ", ".join(sorted(ENGAGEMENT_TYPES))),
            )
        m.put(rec, "engagement.type", ENGAGEMENT_TYPES[kind], "application.job.employment_type")
    m.put(rec, "engagement.role_title", m.get("application.job.title"), "application.job.title")
    m.put(rec, "engagement.declared_work_country", m.get("application.candidate.work_country"),
          "application.candidate.work_country")
    m.put(rec, "engagement.staffing_firm", m.get("application.source.agency_name"),
          "application.source.agency_name")

    # identity
    first = m.get("application.candidate.first_name")
    last = m.get("application.candidate.last_name")
    if first is not None or last is not None:
        name = " ".join(str(p) for p in (first, last) if p)
        m.put(rec, "identity.full_name", name, "application.candidate.first_name")
    m.put(rec, "identity.timezone", m.get("application.candidate.timezone"),
          "application.candidate.timezone")
    addresses = m.items("application.candidate.addresses")
    home = [a for a in addresses if a[1].get("type", "home") == "home"]
    if home:
        ppath, addr = home[0]
        residence: dict[str, Any] = {}
        for src, dst in (("street", "line1"), ("street2", "line2"), ("city", "city"),
                         ("state", "region"), ("postal_code", "postal_code"),
                         ("country", "country")):
            if src in addr:
                residence[dst] = addr[src]
                m.origin["identity.residence." + dst] = "%s.%s" % (ppath, src)
                m.used.add("%s.%s" % (ppath, src))
        m.used.add(ppath + ".type")
        rec.setdefault("identity", {})["residence"] = residence

    # contacts
    emails: list[Any] = []
    for ppath, e in m.items("application.candidate.emails"):
        m.origin["contacts.emails[%d]" % len(emails)] = ppath + ".value"
        m.used.update({ppath + ".value", ppath + ".type"})
        emails.append(e.get("value"))
    phones: list[dict[str, Any]] = []
    for ppath, p in m.items("application.candidate.phone_numbers"):
        m.origin["contacts.phones[%d].number" % len(phones)] = ppath + ".value"
        m.used.update({ppath + ".value", ppath + ".type"})
        phones.append({"number": p.get("value")})
    if emails:
        rec.setdefault("contacts", {})["emails"] = emails
    if phones:
        rec.setdefault("contacts", {})["phones"] = phones
    m.put(rec, "contacts.messaging", m.get("application.candidate.preferred_channels"),
          "application.candidate.preferred_channels")

    # network: the IP the application came from
    ip = m.get("application.source_ip")
    if ip is not None:
        session = {"ip": ip, "event": "application"}
        m.origin["network.sessions[0].ip"] = "application.source_ip"
        if submitted is not None:
            session["at"] = submitted
            m.origin["network.sessions[0].at"] = m.origin["as_of"]
        ua = m.get("application.user_agent")
        if ua is not None:
            session["user_agent"] = ua
        rec["network"] = {"sessions": [session]}

    # work history
    wh: dict[str, Any] = {}
    resume = m.get("application.candidate.resume_text")
    if resume is not None:
        wh["resume_text"] = resume
        m.origin["work_history.resume_text"] = "application.candidate.resume_text"
    employers: list[dict[str, Any]] = []
    for ppath, e in m.items("application.candidate.employment_history"):
        i = len(employers)
        emp: dict[str, Any] = {}
        for src, dst in (("company", "name"), ("website", "domain"),
                         ("start_date", "start"), ("end_date", "end")):
            if src in e:
                value = e[src]
                if dst == "domain" and isinstance(value, str):
                    value = re.sub(r"^[a-z]+://", "", value).split("/")[0]
                emp[dst] = value
                m.origin["work_history.employers[%d].%s" % (i, dst)] = "%s.%s" % (ppath, src)
                m.used.add("%s.%s" % (ppath, src))
        employers.append(emp)
    if employers:
        wh["employers"] = employers
    education: list[dict[str, Any]] = []
    for ppath, e in m.items("application.candidate.education"):
        i = len(education)
        edu: dict[str, Any] = {}
        for src, dst in (("school", "institution"), ("degree", "degree"), ("end_year", "year")):
            if src in e:
                edu[dst] = e[src]
                m.origin["work_history.education[%d].%s" % (i, dst)] = "%s.%s" % (ppath, src)
                m.used.add("%s.%s" % (ppath, src))
        education.append(edu)
    if education:
        wh["education"] = education
    profiles: list[dict[str, Any]] = []
    for ppath, p in m.items("application.candidate.profiles"):
        i = len(profiles)
        kind = p.get("type", "other")
        prof = {"kind": kind if kind in ("github", "linkedin", "portfolio") else "other"}
        m.used.add(ppath + ".type")
        if "url" in p:
            prof["url"] = p["url"]
            m.origin["work_history.profiles[%d].url" % i] = ppath + ".url"
            m.used.add(ppath + ".url")
        profiles.append(prof)
    if profiles:
        wh["profiles"] = profiles
    if wh:
        rec["work_history"] = wh
    return rec, m


def triage(engine: idrisk.Engine, payload: Any) -> dict[str, Any]:
    """Score one payload; raises PayloadError for anything the caller must fix."""
    record, mapper = to_candidate(payload)
    try:
        result = engine.score(record)
    except idrisk.InvalidInputError as exc:
        field = mapper.payload_path(exc.field) if exc.field else ""
        raise PayloadError(400, field, exc.message) from exc
    except idrisk.LimitError as exc:
        raise PayloadError(413, mapper.payload_path(exc.field), exc.message) from exc
    return {
        "candidate_id": result.candidate_id,
        "application_id": payload.get("application", {}).get("id"),
        "event_id": payload.get("event_id"),
        "score": result.score,
        "band": result.band,
        "action": result.action,
        "reasons": [
            {"id": r.id, "title": r.title, "detail": r.detail, "verify": r.verify}
            for r in result.reasons
        ],
        "warnings": list(result.warnings),
        "unmapped": mapper.unmapped(),
        "ruleset": result.ruleset.version,
    }


class Handler(BaseHTTPRequestHandler):
    engine: idrisk.Engine  # set by make_server()
    server_version = "idrisk-webhook/1"

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, field: str, message: str) -> None:
        self._answer(status, {"error": message, "field": field})

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/healthz":
            self._answer(200, {"ok": True, "idrisk": idrisk.__version__})
        else:
            self._error(404, "", "not found; POST events to %s" % PATH)

    def do_POST(self) -> None:  # noqa: N802
        if self.path != PATH:
            self._error(404, "", "not found; POST events to %s" % PATH)
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._error(411, "", "Content-Length is required")
            return
        if length < 0 or length > MAX_BODY:
            self._error(413, "", "the body is larger than %d bytes" % MAX_BODY)
            return
        body = self.rfile.read(length)
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._error(400, "", "the body is not JSON: %s" % exc)
            return
        try:
            self._answer(200, triage(self.engine, payload))
        except PayloadError as exc:
            self._error(exc.status, exc.field, exc.message)

    def log_message(self, fmt: str, *args: Any) -> None:
        # One line per request on stderr, without the candidate's data.
        sys.stderr.write("webhook: %s %s\n" % (self.address_string(), fmt % args))


def make_server(engine: idrisk.Engine, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A threading server bound to (host, port); port 0 picks a free one. The engine is
    shared by the request threads (it is thread-safe)."""
    handler = type("BoundHandler", (Handler,), {"engine": engine})
    return ThreadingHTTPServer((host, port), handler)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Score ATS application.submitted webhooks.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--data-dir", help="idrisk data directory (default: IDRISK_DATA_DIR)")
    ap.add_argument("--rules", help="a rule pack other than the default")
    args = ap.parse_args(argv)
    with idrisk.Engine(data_dir=args.data_dir, rules=args.rules) as engine:
        for w in engine.warnings:
            print("webhook: idrisk warning: %s" % w, file=sys.stderr)
        server = make_server(engine, args.host, args.port)
        print("webhook: listening on http://%s:%d%s" % (args.host, server.server_port, PATH),
              file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
