#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Batch report test (ctest batch_report).
    report_test.py REPORT_MAIN TESTS_REPORT_DIR
Runs the report driver (idr_cli_report_write) on the committed fixture and checks:
  1. the page as text: balanced tags, the counts computed here from the fixture, no
     unescaped <script, no outside resource, the cluster sizes, anchors that resolve,
     byte-identical output for the same input apart from the generated time;
  2. a Chromium screenshot that is not blank;
  3. Chromium's DOM: the page text holds the counts and the cluster members, and the
     <script> of a candidate id or a detail is text, not an element;
  4. failures: a missing input, an unwritable output (one stderr line, nothing left);
  5. the 500-escalation bound.
Chromium is required: when it is missing the test fails and says so."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed",
        "source", "track", "wbr"}
SVG_EMPTY = {"rect", "line", "circle", "path"}
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


class Page(html.parser.HTMLParser):
    """Tag balance, element ids, link targets, visible text and forbidden things."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.hrefs = [], [], [], []
        self.text, self.tags, self.attrs_seen = [], [], []
        self.sections = 0
        self.hist = []
        self._hc = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        self.attrs_seen.extend(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "section" and a.get("class") == "cand":
            self.sections += 1
        self._hc = tag == "text" and a.get("class") == "hc"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs_seen.extend(attrs)
        if tag not in VOID and tag not in SVG_EMPTY:
            self.errors.append("self-closed <%s/>" % tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._hc:
            self.hist.append(int(data))
            self._hc = False
        if "style" not in self.stack and "title" not in self.stack[-1:]:
            self.text.append(data)


def parse(markup):
    p = Page()
    p.feed(markup)
    p.close()
    return p


def expected(results_path, errors_path):
    """The numbers the page must show, computed from the fixture independently."""
    e = {"records": 0, "unreadable": 0, "bands": {}, "actions": {}, "hist": [0] * 10,
         "escalate": [], "failed": 0}
    with open(results_path, encoding="utf-8") as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                e["unreadable"] += 1
                continue
            e["records"] += 1
            e["bands"][r["band"]] = e["bands"].get(r["band"], 0) + 1
            e["actions"][r["action"]] = e["actions"].get(r["action"], 0) + 1
            e["hist"][min(r["score"], 99) // 10] += 1
            if r["action"] == "escalate":
                e["escalate"].append(r["candidate_id"])
    with open(errors_path, encoding="utf-8") as f:
        e["failed"] = sum(1 for line in f if line.strip())
    return e


def run(driver, results, errors, out, env=None):
    return subprocess.run([driver, results, errors, out], capture_output=True, text=True,
                          timeout=60, env=env)


def strip_time(markup):
    return re.sub(r"<tr><td>generated</td><td>[^<]*</td></tr>", "", markup)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(binary, tmp, *args):
    # A profile of our own: other chromium processes on the machine keep theirs.
    profile = tempfile.mkdtemp(dir=tmp, prefix="profile-")
    cmd = [binary, "--headless=new", "--no-sandbox", "--disable-gpu",
           "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
           "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile]
    return subprocess.run(cmd + list(args), capture_output=True, timeout=90)


def main():
    driver, fixdir = sys.argv[1], sys.argv[2]
    results = os.path.join(fixdir, "fixture-results.jsonl")
    errors = os.path.join(fixdir, "fixture-errors.jsonl")
    exp = expected(results, errors)
    tmp = tempfile.mkdtemp(prefix="idrisk-report-")
    out = os.path.join(tmp, "report.html")

    # 1. The page as text.
    p = run(driver, results, errors, out)
    check(p.returncode == 0, "driver exit %d: %s" % (p.returncode, p.stderr))
    if p.returncode:
        return 1
    check(not os.path.exists(out + ".tmp"), "temporary file left behind")
    raw = open(out, "rb").read()
    markup = raw.decode("utf-8")  # fails the test when the page is not UTF-8
    page = parse(markup)
    check(not page.errors, "tag structure: %s" % page.errors[:5])
    check(not page.stack, "unclosed tags: %s" % page.stack)
    check(len(page.ids) == len(set(page.ids)), "duplicate element ids")
    for h in page.hrefs:
        check(h.startswith("#") and h[1:] in page.ids, "link %r has no target" % h)
    low = markup.lower()
    check("<script" not in low, "an unescaped <script in the page")
    check("script" not in page.tags, "a script element")
    for bad in ("http://", "https://", "src=", "url(", "@import", "<link", "<img",
                "<iframe", "<object", "<embed", " on"):
        if bad == " on":
            onattr = [k for k, _ in page.attrs_seen if k.startswith("on")]
            check(not onattr, "event handler attributes: %s" % onattr)
        else:
            check(bad not in low, "outside resource or active content: %r" % bad)
    check("x&lt;script&gt;alert(1)&lt;/script&gt;" in markup,
          "the <script> candidate id is not shown escaped")
    check("&lt;script&gt;alert(2)&lt;/script&gt;" in markup,
          "the <script> in a detail is not shown escaped")
    check("Zoë Ångström (東京)" in markup, "non-ASCII text lost")
    text = " ".join(" ".join(page.text).split())
    check("idrisk batch report" in text, "title")
    check("never a hiring decision" in text, "the triage sentence")
    check(re.search(r"records scored %d\b" % exp["records"], text) is not None,
          "records scored %d" % exp["records"])
    check(re.search(r"failed records %d\b" % exp["failed"], text) is not None,
          "failed records %d" % exp["failed"])
    check(re.search(r"unreadable result lines %d\b" % exp["unreadable"], text) is not None,
          "unreadable lines %d" % exp["unreadable"])
    check("idrisk-default 2026.11.0" in text and "fa942df3305861222232" in text,
          "rule pack id, version, sha256")
    check("engine version 0.1.0" in text, "engine version")
    for band in ("low", "medium", "high", "critical"):
        check(re.search(r'id="band-%s">%d<' % (band, exp["bands"].get(band, 0)), markup),
              "band %s count %d" % (band, exp["bands"].get(band, 0)))
    for act in ("none", "verify", "escalate"):
        check(re.search(r'id="action-%s">%d<' % (act, exp["actions"].get(act, 0)), markup),
              "action %s count %d" % (act, exp["actions"].get(act, 0)))
    check(page.hist == exp["hist"], "histogram %s, expected %s" % (page.hist, exp["hist"]))
    check("Cluster 1: 4 candidates, 6 links" in text, "ring cluster heading")
    check("Cluster 2: 2 candidates, 1 link" in text, "pair cluster heading")
    check("Cluster 3: 2 candidates, 1 link" in text, "third cluster heading")
    check("Cluster 4" not in text, "no cluster beyond the three linked groups")
    check(markup.count("<svg") == 3 + 3, "three charts and three cluster graphs")
    check(page.sections == len(exp["escalate"]),
          "%d candidate sections, expected %d" % (page.sections, len(exp["escalate"])))
    # ring-01's own line came before any link to it: its band is recalled.
    check(re.search(r"ring-01 \(band critical\)", markup), "ring-01's band recalled")
    check("Payout account shared with another hire" in text, "reason titles")
    check("Confirm the account holder with the bank." in text, "verify steps")
    check("A shared family phone plan." in text, "benign explanations")

    # Determinism: the same input gives the same bytes apart from the time, and with
    # SOURCE_DATE_EPOCH the same bytes.
    out2 = os.path.join(tmp, "again.html")
    run(driver, results, errors, out2)
    check(strip_time(open(out2, encoding="utf-8").read()) == strip_time(markup),
          "a second run differs apart from the generated time")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")
    a, b = os.path.join(tmp, "a.html"), os.path.join(tmp, "b.html")
    run(driver, results, errors, a, env)
    run(driver, results, errors, b, env)
    check(open(a, "rb").read() == open(b, "rb").read(), "SOURCE_DATE_EPOCH runs differ")
    check("2025-12-01T00:00:00Z" in open(a, encoding="utf-8").read(),
          "SOURCE_DATE_EPOCH not used for the generated time")

    # 4. Failures: one stderr line, exit 1, nothing written.
    p = run(driver, os.path.join(tmp, "missing.jsonl"), "-", os.path.join(tmp, "x.html"))
    check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
          and "missing.jsonl" in p.stderr, "missing input: %r" % p.stderr)
    check(not os.path.exists(os.path.join(tmp, "x.html")), "output written for bad input")
    p = run(driver, results, os.path.join(tmp, "missing-errors.jsonl"),
            os.path.join(tmp, "y.html"))
    check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1,
          "missing errors file: %r" % p.stderr)
    bad_out = os.path.join(tmp, "no-such-dir", "r.html")
    p = run(driver, results, "-", bad_out)
    check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
          and "no-such-dir" in p.stderr, "unwritable output: %r" % p.stderr)
    p = run(driver, results, "-", os.path.join(tmp, "noerr.html"))
    check(p.returncode == 0 and "Failed records" not in
          open(os.path.join(tmp, "noerr.html"), encoding="utf-8").read(),
          "without an errors file there is no failed-records section")

    # Empty input, and blank lines before the first result: a page, not a crash.
    empty = os.path.join(tmp, "empty.jsonl")
    open(empty, "w").close()
    p = run(driver, empty, empty, os.path.join(tmp, "empty.html"))
    check(p.returncode == 0, "empty input: %r" % p.stderr)
    if p.returncode == 0:
        ep = parse(open(os.path.join(tmp, "empty.html"), encoding="utf-8").read())
        check(not ep.errors and not ep.stack, "empty page structure")
        check("records scored 0" in " ".join(" ".join(ep.text).split()), "empty: 0 records")
    blanks = os.path.join(tmp, "blanks.jsonl")
    with open(results, encoding="utf-8") as f, open(blanks, "w", encoding="utf-8") as g:
        g.write("\n\r\n" + "".join(f.readlines()[:3]))
    p = run(driver, blanks, "-", os.path.join(tmp, "blanks.html"))
    check(p.returncode == 0 and "records scored</td><td id=\"records-count\">3<" in
          open(os.path.join(tmp, "blanks.html"), encoding="utf-8").read(),
          "leading blank lines: %r" % p.stderr)

    # 5. The escalation bound: 600 escalations, the 500 highest shown.
    many = os.path.join(tmp, "many.jsonl")
    with open(many, "w", encoding="utf-8") as f:
        for i in range(600):
            f.write(json.dumps({"candidate_id": "e-%03d" % i, "score": 60 + i % 41,
                                "band": "high", "action": "escalate",
                                "reasons": [{"id": "r", "title": "t", "points": 1}]}) + "\n")
    mout = os.path.join(tmp, "many.html")
    p = run(driver, many, "-", mout)
    check(p.returncode == 0, "600 escalations: %s" % p.stderr)
    if p.returncode == 0:
        mp = parse(open(mout, encoding="utf-8").read())
        mt = " ".join(" ".join(mp.text).split())
        check(mp.sections == 500, "%d sections shown, expected 500" % mp.sections)
        check("600 records were marked for escalation" in mt and "100 are not" in mt,
              "the bound is not stated")
        # Scores 60..100 repeat; the 100 dropped are the lowest (60 and 61, then 62s).
        check('id="cand-e-000"' not in open(mout, encoding="utf-8").read(),
              "a lowest-score escalation was kept")

    # 2. and 3. Chromium.
    binary = chromium_binary()
    check(binary is not None, "chromium is not installed (apt-get install chromium); "
          "the report test needs it to render the page")
    if binary:
        url = "file://" + out
        png = os.path.join(tmp, "shot.png")
        p = chromium(binary, tmp, "--screenshot=" + png, "--window-size=1280,2400", url)
        check(p.returncode == 0 and os.path.exists(png),
              "chromium screenshot failed (%d): %s" % (p.returncode, p.stderr[-500:]))
        if os.path.exists(png):
            from PIL import Image
            im = Image.open(png).convert("RGB")
            w, h = im.size
            px = im.getdata()
            non_white = sum(1 for c in px if c[0] < 245 or c[1] < 245 or c[2] < 245)
            colours = im.getcolors(maxcolors=1 << 20) or []
            check(non_white > 0.01 * w * h,
                  "screenshot nearly blank: %.2f%% non-white" % (100.0 * non_white / (w * h)))
            check(len(colours) >= 8, "screenshot has only %d colours" % len(colours))
            # The critical band's red (#b3162b) is painted somewhere (chips, bars).
            red = sum(n for n, c in colours
                      if abs(c[0] - 0xb3) < 12 and abs(c[1] - 0x16) < 12 and abs(c[2] - 0x2b) < 12)
            check(red > 200, "no critical-band red in the screenshot (%d pixels)" % red)
        p = chromium(binary, tmp, "--dump-dom", url)
        check(p.returncode == 0, "chromium --dump-dom failed: %s" % p.stderr[-500:])
        dom = p.stdout.decode("utf-8", "replace")
        d = parse(dom)
        dtext = " ".join(" ".join(d.text).split())
        check("script" not in d.tags, "the rendered DOM has a script element")
        check("x<script>alert(1)</script>" in dtext, "the <script> id is not shown as text")
        check("<script>alert(2)</script>" in dtext, "the <script> detail is not shown as text")
        for band in ("low", "medium", "high", "critical"):
            check(re.search(r'id="band-%s">%d<' % (band, exp["bands"].get(band, 0)), dom),
                  "DOM band %s count" % band)
        check("records scored %d" % exp["records"] in dtext, "DOM records count")
        for m in ("ring-01", "ring-02", "ring-03", "ring-04", "pair-a", "pair-b",
                  "zoë-ångström-7"):
            check(re.search(r"%s (critical|high|medium|low) \d+ \d+" % re.escape(m), dtext),
                  "DOM cluster member row for %s" % m)

    if FAILURES:
        print("%d checks failed; files in %s" % (len(FAILURES), tmp), file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("batch report: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
