#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A throwaway PostgreSQL cluster for tests and benchmarks: Debian's own `initdb` and
`pg_ctl` (package postgresql), a data directory and a Unix socket in a temporary
directory, no TCP port, trust authentication on the socket only, stopped and deleted at
the end. Nothing is installed as a service and nothing outside the temporary directory
is touched.

PostgreSQL refuses to run as root, so when the caller is root the cluster runs as the
`postgres` system user (created by the Debian package) and the temporary directory is
handed to it; the caller connects through the socket as the cluster's superuser.

    with Cluster() as pg:              # started
        uri = pg.uri                   # postgresql:///idrisk?host=/tmp/...&user=idrisk
    # stopped and removed

    pgcluster.py start DIR   # prints the URI; the cluster runs until `stop DIR`
    pgcluster.py stop DIR

`available()` says whether the binaries exist (a test may then skip with 77 on a
machine set up without the README's commands; tools/setup-debian.sh installs them).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

USER = "idrisk"  # the cluster's superuser (a database role, not an OS user)
DB = "idrisk"


def bindir() -> str | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
    for d in reversed(dirs):
        if os.access(os.path.join(d, "initdb"), os.X_OK):
            return d
    return None


def available() -> bool:
    if bindir() is None:
        return False
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
    return True


class Cluster:
    def __init__(self, base: str | None = None, fsync: bool = True,
                 settings: dict[str, str] | None = None) -> None:
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.own_base = base is None
        self.base = base or tempfile.mkdtemp(prefix="idrisk-pg-")
        self.data = os.path.join(self.base, "data")
        self.sock = os.path.join(self.base, "sock")
        self.log = os.path.join(self.base, "server.log")
        self.fsync = fsync
        self.settings = settings or {}
        self.as_user: str | None = "postgres" if os.geteuid() == 0 else None
        self.running = False

    @property
    def uri(self) -> str:
        return "postgresql:///%s?host=%s&user=%s" % (
            DB, urllib.parse.quote(self.sock, safe=""), USER)

    @property
    def env(self) -> dict[str, str]:
        """libpq environment variables that reach the cluster (PGHOST, ...)."""
        return {"PGHOST": self.sock, "PGUSER": USER, "PGDATABASE": DB}

    def _run(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        if self.as_user:
            args = ["runuser", "-u", self.as_user, "--"] + args
        return subprocess.run(args, check=True, capture_output=True, text=True, **kw)

    def start(self) -> "Cluster":
        os.makedirs(self.sock, exist_ok=True)
        if self.as_user:
            pw = pwd.getpwnam(self.as_user)
            for p in (self.base, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            os.chmod(self.base, 0o700)
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", USER,
                   "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        opts = ["-k", self.sock, "-c", "listen_addresses=", "-c",
                "fsync=%s" % ("on" if self.fsync else "off"), "-c", "max_connections=50"]
        for k, v in self.settings.items():
            opts += ["-c", "%s=%s" % (k, v)]
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", self.log,
                   "-w", "-t", "60", "-o", " ".join(_quote(o) for o in opts), "start"])
        self.running = True
        subprocess.run([os.path.join(self.bin, "createdb"), "-h", self.sock, "-U", USER,
                        DB], check=True, capture_output=True, text=True)
        return self

    def psql(self, sql: str) -> str:
        """Run `sql` with psql; returns its unaligned output."""
        p = subprocess.run([os.path.join(self.bin, "psql") if os.path.exists(
            os.path.join(self.bin, "psql")) else "psql", "-X", "-A", "-t", "-v",
            "ON_ERROR_STOP=1", "-h", self.sock, "-U", USER, "-d", DB, "-c", sql],
            check=True, capture_output=True, text=True)
        return p.stdout

    def stop(self) -> None:
        if self.running:
            try:
                self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m",
                           "fast", "-w", "stop"])
            finally:
                self.running = False
        if self.own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'" if (" " in s or not s or "=" in s and
                                                     s.endswith("=")) else s


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("usage: pgcluster.py start|stop DIR", file=sys.stderr)
        return 2
    base = os.path.abspath(argv[2])
    c = Cluster(base=base)
    if argv[1] == "start":
        os.makedirs(base, exist_ok=True)
        c.start()
        print(c.uri)
    else:
        c.running = True
        c.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
