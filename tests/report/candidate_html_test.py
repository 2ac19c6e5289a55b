#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Candidate report test (ctest candidate_html): `idrisk score --html FILE`.
    candidate_html_test.py --idrisk IDRISK --source SRC --data-dir DIR
For examples that cover many reasons, reasons cleared by context, a clean hire, sessions
far from home, sessions without a known residence and low coverage, scores each record
with --json (the expectation) and with --html, and checks:
  1. the page as text: balanced tags, unique ids, links that are #anchors to an element
     or https addresses of the source legend, no script, no outside resource, the score,
     band, action, every reason title and evidence value, every merged step, the
     suppressed indicators in words, the distance chart when there are sessions, the
     print CSS; the same record gives the same bytes; --html changes nothing on stdout;
  2. a hostile record (<script>, </style>, quotes, a control character in the id and
     the name) shown as escaped text, and one with invalid UTF-8 refused with no page;
  3. failures: an unwritable path (exit 1, one stderr line naming it, nothing left),
     --html on a command other than score;
  4. headless Chromium: a 1000x1400 screenshot that is not blank and shows the band's
     colour, a PDF of the print layout, and the DOM's text with the score and reasons.
Chromium is required: when it is missing the test fails and says so. The helpers for
parsing and for running Chromium are the batch report test's (report_test.py)."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_test as rt  # noqa: E402  (Page, chromium_binary, chromium)

FAILURES = []
EXAMPLES = ["laptop-farm-rescore", "approved-travel-london", "clean-ordinary-hire",
            "remote-operated-farm", "impossible-travel-continental"]
BAND_RGB = {"low": (0x3a, 0x8d, 0x4f), "medium": (0xd9, 0xa4, 0x00),
            "high": (0xe0, 0x6c, 0x1b), "critical": (0xb3, 0x16, 0x2b)}
# as_of fixed: without it a record is evaluated at the clock, and two runs differ.
HOSTILE = {"candidate_id": "x<script>alert(1)</script></style>\"'&amp;\u0001",
           "as_of": "2025-08-12T12:00:00Z",
           "identity": {"full_name": "<script>alert(2)</script></style> Zoë Ångström"}}


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


class Page(rt.Page):
    """The batch test's parser, plus where each link is: inside the legend or not."""

    def __init__(self):
        super().__init__()
        self.legend_depth = 0
        self.outside_links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "dl" and a.get("class") == "src":
            self.legend_depth = len(self.stack) + 1
        if tag == "a" and not a.get("href", "#").startswith("#"):
            if not (self.legend_depth and len(self.stack) >= self.legend_depth):
                self.outside_links.append(a.get("href"))
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if self.legend_depth and len(self.stack) < self.legend_depth:
            self.legend_depth = 0


def chromium(binary, tmp, *args):
    """report_test's runner; a hang (a dialog an unescaped script opened) is a failure."""
    try:
        return rt.chromium(binary, tmp, *args)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 124, b"", b"chromium timed out")


def parse(markup):
    p = Page()
    p.feed(markup)
    p.close()
    return p


def words(s):
    return " ".join(s.split())


class Run:
    def __init__(self, args):
        self.idrisk, self.data_dir = args.idrisk, args.data_dir

    def __call__(self, *argv):
        return subprocess.run([self.idrisk, argv[0], "--data-dir", self.data_dir]
                              + list(argv[1:]), capture_output=True, timeout=120)


def expected_steps(result):
    """The merged step texts: every reason's pack steps, or its verify text."""
    out = []
    for r in result["reasons"]:
        texts = [s["text"] for s in r.get("verify_steps", [])] or \
            ([r["verify"]] if r.get("verify") else [])
        for t in texts:
            if t not in out:
                out.append(t)
    return out


def evidence_texts(value):
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, (int, float)):
        return []  # number formats are the page's; strings are checked verbatim
    if isinstance(value, str):
        return [value]
    return []


def check_page(name, markup, result, titles):
    page = parse(markup)
    check(not page.errors, "%s: tag structure: %s" % (name, page.errors[:5]))
    check(not page.stack, "%s: unclosed tags: %s" % (name, page.stack))
    check(len(page.ids) == len(set(page.ids)), "%s: duplicate element ids" % name)
    for h in page.hrefs:
        if h.startswith("#"):
            check(h[1:] in page.ids, "%s: link %r has no target" % (name, h))
        else:
            check(h.startswith("https://"), "%s: link %r is not https" % (name, h))
    check(not page.outside_links, "%s: outside links beyond the legend: %s"
          % (name, page.outside_links))
    low = markup.lower()
    check("<script" not in low and "script" not in page.tags, "%s: a script" % name)
    for bad in ("http://", "src=", "url(", "@import", "<link", "<img", "<iframe",
                "<object", "<embed"):
        check(bad not in low, "%s: outside resource or active content %r" % (name, bad))
    onattr = [k for k, _ in page.attrs_seen if k.startswith("on")]
    check(not onattr, "%s: event handler attributes %s" % (name, onattr))
    check("@media print" in markup and "break-inside:avoid" in markup,
          "%s: print CSS" % name)
    text = words(" ".join(page.text))
    check(re.search(r'id="score"[^>]*>%d<' % result["score"], markup) is not None,
          "%s: score %d" % (name, result["score"]))
    check('class="band band-%s">%s<' % (result["band"], result["band"]) in markup,
          "%s: band chip %s" % (name, result["band"]))
    check(re.search(r'class="act act-%s">%s<' % (result["action"], result["action"]),
                    markup) is not None, "%s: action %s" % (name, result["action"]))
    check("Triage for a human reviewer, not a hiring decision." in text,
          "%s: the triage sentence" % name)
    cid = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "?", result["candidate_id"])
    check(words(cid) in text, "%s: candidate id" % name)
    cov = result["coverage"]
    check(("Checked: %d of %d indicators" % (cov["evaluated"], cov["total"])) in text,
          "%s: coverage" % name)
    check(("LOW COVERAGE" in text) == bool(cov["low"]), "%s: low coverage banner" % name)
    for i, r in enumerate(result["reasons"]):
        check(words(r["title"]) in text, "%s: reason title %r" % (name, r["title"]))
        check('id="reason-%d"' % (i + 1) in markup, "%s: reason anchor %d" % (name, i + 1))
        check(words(r["detail"]) in text, "%s: detail of %s" % (name, r["id"]))
        for b in r.get("benign_explanations", []):
            check(words(b) in text, "%s: benign explanation %r" % (name, b))
        for k, v in r.get("evidence", {}).items():
            check(k in text, "%s: evidence key %s of %s" % (name, k, r["id"]))
            for t in evidence_texts(v):
                check(words(t) in text, "%s: evidence %s=%r" % (name, k, t))
        for s in r.get("sources", []):
            check(s in text, "%s: source %s" % (name, s))
    for s in expected_steps(result):
        check(words(s) in text, "%s: step %r" % (name, s))
    for s in result.get("suppressed", []):
        t = titles.get(s["id"])
        check(t is not None and words(t) in text,
              "%s: suppressed %s in words (%r)" % (name, s["id"], t))
    sessions = result["enrichment"].get("ips", [])
    check(('id="distance-chart"' in markup) == bool(sessions),
          "%s: distance chart iff sessions" % name)
    res = result["enrichment"].get("residence", {})
    if sessions and res.get("known"):
        check("Origin: " + res["label"] in text, "%s: residence named" % name)
        far = [s for s in sessions if s.get("distance_km") is not None]
        for s in far:
            check("%d km" % round(s["distance_km"]) in text,
                  "%s: distance %s km drawn" % (name, s["distance_km"]))
    chart = re.search(r'<svg id="distance-chart".*?</svg>', markup, re.S)
    if chart:
        kms = [int(k) for k in re.findall(r'/><text x="[\d.]+" y="\d+">(\d+) km</text>',
                                          chart.group(0))]
        check(kms == sorted(kms, reverse=True), "%s: bars not farthest first: %s"
              % (name, kms))
    check(result["as_of"] in text, "%s: as of" % name)
    check(result["ruleset"]["sha256"] in markup, "%s: rule pack sha256" % name)
    return page


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data-dir", required=True)
    args = ap.parse_args()
    run = Run(args)
    tmp = tempfile.mkdtemp(prefix="idrisk-cand-html-")
    rules = run("rules", "--json")
    if not check(rules.returncode == 0, "idrisk rules --json: %s" % rules.stderr):
        return 1
    desc = json.loads(rules.stdout)
    titles = {e["id"]: e["title"] for e in desc["indicators"] + desc["combinations"]}

    records = {e: os.path.join(args.source, "examples", "candidates", e + ".json")
               for e in EXAMPLES}
    hostile = os.path.join(tmp, "hostile.json")
    with open(hostile, "w", encoding="utf-8") as f:
        json.dump(HOSTILE, f)
    records["hostile"] = hostile
    # Sessions but no claimed residence: every distance unknown, drawn as such.
    with open(os.path.join(args.source, "examples", "candidates",
                           "london-login-atlanta-claim.json"), encoding="utf-8") as f:
        nores = json.load(f)
    nores["candidate_id"] = "no-residence"
    nores["identity"].pop("residence", None)
    records["no-residence"] = os.path.join(tmp, "no-residence.json")
    with open(records["no-residence"], "w", encoding="utf-8") as f:
        json.dump(nores, f)

    # One session at every address the examples use: many places, far and near.
    ips = set()
    for e in sorted(os.listdir(os.path.join(args.source, "examples", "candidates"))):
        if e.endswith(".json"):
            with open(os.path.join(args.source, "examples", "candidates", e),
                      encoding="utf-8") as f:
                ips |= set(re.findall(r'"ip": ?"([0-9.]+)"', f.read()))
    many = dict(nores, candidate_id="many-places")
    many["identity"] = json.load(open(os.path.join(
        args.source, "examples", "candidates", "london-login-atlanta-claim.json"),
        encoding="utf-8"))["identity"]
    many["network"] = dict(nores["network"], sessions=[
        {"ip": ip, "at": "2025-05-%02dT12:00:00Z" % (1 + i % 28), "event": "login"}
        for i, ip in enumerate(sorted(ips))])
    records["many-places"] = os.path.join(tmp, "many-places.json")
    with open(records["many-places"], "w", encoding="utf-8") as f:
        json.dump(many, f)

    pages = {}
    for name, rec in records.items():
        js = run("score", "--json", rec)
        check(js.returncode == 0, "%s: --json exit %d" % (name, js.returncode))
        result = json.loads(js.stdout)
        out = os.path.join(tmp, name + ".html")
        p = run("score", "--html", out, rec)
        check(p.returncode == 0, "%s: --html exit %d: %s" % (name, p.returncode, p.stderr))
        check(b"Score %d/100" % result["score"] in p.stdout,
              "%s: the text report still on stdout" % name)
        check(not os.path.exists(out + ".tmp"), "%s: temporary file left" % name)
        p2 = run("score", "--json", "--html", os.path.join(tmp, name + "-2.html"), rec)
        # evaluated_at is the wall clock; everything else is the same bytes.
        clock = re.compile(rb'"evaluated_at":"[^"]*"')
        check(p2.returncode == 0 and clock.sub(b"", p2.stdout) == clock.sub(b"", js.stdout),
              "%s: --html changed the --json output" % name)
        raw = open(out, "rb").read()
        check(raw == open(os.path.join(tmp, name + "-2.html"), "rb").read(),
              "%s: two runs differ" % name)
        markup = raw.decode("utf-8")  # fails the test when the page is not UTF-8
        check_page(name, markup, result, titles)
        pages[name] = (out, result)

    markup = open(pages["no-residence"][0], encoding="utf-8").read()
    check("the claimed residence has no coordinates" in markup
          and markup.count(">distance unknown<") == 1 + len(
              {(i.get("city"), i.get("country"))
               for i in pages["no-residence"][1]["enrichment"]["ips"]}),
          "no residence: every place drawn as distance unknown")

    # Linked against a store: the links table names the other candidate, escaped.
    store = os.path.join(tmp, "links.db")
    twin = dict(nores, candidate_id="twin-<b>1")
    twin["identity"] = dict(nores["identity"], full_name="Another Name")
    twin_path = os.path.join(tmp, "twin.json")
    with open(twin_path, "w", encoding="utf-8") as f:
        json.dump(twin, f)
    p = run("score", "--db", store, "--record", twin_path)
    check(p.returncode == 0, "record the twin: %r" % p.stderr)
    lout = os.path.join(tmp, "linked.html")
    p = run("score", "--db", store, "--html", lout, records["no-residence"])
    check(p.returncode == 0, "linked --html: %r" % p.stderr)
    if p.returncode == 0:
        lm = open(lout, encoding="utf-8").read()
        lp = parse(lm)
        check(not lp.errors and not lp.stack, "linked page structure")
        check('id="links"' in lm and "<td class=\"mono\">twin-&lt;b&gt;1</td>" in lm,
              "linked page: the links table with the escaped id")

    # 2. The hostile record: every string escaped, the low coverage named.
    markup = open(pages["hostile"][0], encoding="utf-8").read()
    check("x&lt;script&gt;alert(1)&lt;/script&gt;&lt;/style&gt;&quot;&#39;&amp;amp;?"
          in markup, "hostile id not escaped as expected")
    check("&lt;script&gt;alert(2)&lt;/script&gt;&lt;/style&gt; Zoë Ångström" in markup,
          "hostile name not escaped as expected")
    check(markup.count("</style>") == 1, "a </style> from the record closed the sheet")
    check(pages["hostile"][1]["coverage"]["low"], "the hostile record is low coverage")
    bad = os.path.join(tmp, "bad-utf8.json")
    with open(bad, "wb") as f:
        f.write(b'{"candidate_id":"ok","identity":{"full_name":"\xfe\xff <b>"}}')
    p = run("score", "--html", os.path.join(tmp, "bad.html"), bad)
    check(p.returncode == 2 and b"full_name" in p.stderr,
          "invalid UTF-8: exit %d %r" % (p.returncode, p.stderr))
    check(not os.path.exists(os.path.join(tmp, "bad.html")), "page for a refused record")

    # 3. Failures.
    unwritable = os.path.join(tmp, "no-such-dir", "c.html")
    p = run("score", "--html", unwritable, records["clean-ordinary-hire"])
    err = p.stderr.decode()
    check(p.returncode == 1 and len(err.strip().splitlines()) == 1
          and unwritable in err, "unwritable: exit %d %r" % (p.returncode, err))
    check(not os.path.exists(os.path.dirname(unwritable)), "something left behind")
    # A path that cannot be replaced (a directory): the rename fails, the temporary
    # file goes, the directory stays.
    isdir = os.path.join(tmp, "dir.html")
    os.mkdir(isdir)
    p = run("score", "--html", isdir, records["clean-ordinary-hire"])
    check(p.returncode == 1 and os.path.isdir(isdir) and not os.path.exists(isdir + ".tmp"),
          "rename over a directory: exit %d %r" % (p.returncode, p.stderr))
    p = run("batch", "--html", os.path.join(tmp, "x.html"), "--in", hostile)
    check(p.returncode == 2 and b"--html" in p.stderr, "--html on batch: %r" % p.stderr)

    # 4. Chromium.
    binary = rt.chromium_binary()
    check(binary is not None, "chromium is not installed (apt-get install chromium); "
          "the candidate report test needs it to render the page")
    if binary:
        for name in ("laptop-farm-rescore", "approved-travel-london", "remote-operated-farm",
                     "hostile"):
            out, result = pages[name]
            url = "file://" + out
            png = os.path.join(tmp, name + ".png")
            p = chromium(binary, tmp, "--screenshot=" + png, "--window-size=1000,1400",
                         url)
            check(p.returncode == 0 and os.path.exists(png),
                  "%s: chromium screenshot failed: %s" % (name, p.stderr[-500:]))
            if os.path.exists(png):
                from PIL import Image
                im = Image.open(png).convert("RGB")
                w, h = im.size
                colours = im.getcolors(maxcolors=1 << 22) or []
                non_white = sum(n for n, c in colours if min(c) < 245)
                check(non_white > 0.02 * w * h, "%s: screenshot nearly blank: %.2f%%"
                      % (name, 100.0 * non_white / (w * h)))
                check(len(colours) >= 8, "%s: only %d colours" % (name, len(colours)))
                br = BAND_RGB[result["band"]]
                band_px = sum(n for n, c in colours
                              if all(abs(c[i] - br[i]) < 14 for i in range(3)))
                check(band_px > 150, "%s: the band's colour is not painted (%d px)"
                      % (name, band_px))
            pdf = os.path.join(tmp, name + ".pdf")
            p = chromium(binary, tmp, "--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                         url)
            check(p.returncode == 0 and os.path.exists(pdf)
                  and open(pdf, "rb").read(5) == b"%PDF-",
                  "%s: print to PDF failed: %s" % (name, p.stderr[-500:]))
            p = chromium(binary, tmp, "--dump-dom", url)
            check(p.returncode == 0, "%s: --dump-dom failed" % name)
            dom = p.stdout.decode("utf-8", "replace")
            d = parse(dom)
            dtext = words(" ".join(d.text))
            check("script" not in d.tags, "%s: a script element in the DOM" % name)
            check(re.search(r'id="score"[^>]*>%d<' % result["score"], dom) is not None,
                  "%s: DOM score" % name)
            for r in result["reasons"]:
                check(words(r["title"]) in dtext, "%s: DOM reason %r" % (name, r["title"]))
            if name == "hostile":
                check("x<script>alert(1)</script></style>" in dtext,
                      "the hostile id is not shown as text in the DOM")
                check("<script>alert(2)</script></style> Zoë Ångström" in dtext,
                      "the hostile name is not shown as text in the DOM")

    if FAILURES:
        print("%d checks failed; files in %s" % (len(FAILURES), tmp), file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("candidate html report: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
