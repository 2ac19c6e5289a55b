#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A PostgreSQL store the CLI cannot reach (a wrong password, a wrong host) gives exit
1 and a message that never shows the password; the password from a PGPASSFILE (not on
the command line) connects; a URI without --store-key is a usage error (exit 2)."""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtest  # noqa: E402

a = pgtest.args()
pgtest.require_postgres()
SECRET = "s3cret-Pw-42"
WRONG = "wr0ng-Pw-17"
tmp = tempfile.mkdtemp(prefix="idrisk-pg-uri-")
try:
    key = os.path.join(tmp, "store.key")
    pgtest.make_key(key)
    with pgtest.pgcluster.Cluster(fsync=False) as pg:
        # password authentication on the socket instead of trust
        pg.psql("ALTER ROLE idrisk PASSWORD '%s'" % SECRET)
        hba = os.path.join(pg.data, "pg_hba.conf")
        with open(hba, "w", encoding="utf-8") as f:
            f.write("local all all scram-sha-256\n")
        pg._run([os.path.join(pg.bin, "pg_ctl"), "-D", pg.data, "reload"])
        sock = pg.sock.replace("/", "%2F")
        cases = [
            ("wrong password", "postgresql://idrisk:%s@/idrisk?host=%s" % (WRONG, sock)),
            ("wrong password parameter",
             "postgresql:///idrisk?host=%s&user=idrisk&password=%s" % (sock, WRONG)),
            ("wrong password parameter first",
             "postgresql:///idrisk?password=%s&host=%s&user=idrisk" % (WRONG, sock)),
            ("wrong host", "postgres://idrisk:%s@/idrisk?host=%s" % (
                SECRET, os.path.join(tmp, "nowhere").replace("/", "%2F"))),
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for what, uri in cases:
            for argv in (["store", "stats", "--db", uri, "--store-key", key],
                         ["batch", "--in", "/dev/null", "--db", uri, "--store-key", key,
                          "-q"]):
                p = pgtest.cli(a, *argv, check=False, env=env)
                if p.returncode != 1:
                    pgtest.fail("%s (%s): exit %d, expected 1\n%s" % (
                        what, argv[0], p.returncode, p.stderr))
                for secret in (SECRET, WRONG):
                    if secret in p.stderr or secret in p.stdout:
                        pgtest.fail("%s: the password is printed:\n%s" % (what, p.stderr))
                if "store postgres" not in p.stderr:
                    pgtest.fail("%s: the message does not name the store:\n%s" % (
                        what, p.stderr))
        # no --store-key with a URI: a usage error
        p = pgtest.cli(a, "store", "stats", "--db", pg.uri, check=False, env=env)
        if p.returncode != 2 or "--store-key" not in p.stderr:
            pgtest.fail("a URI without --store-key: exit %d\n%s" % (p.returncode,
                                                                    p.stderr))
        # the password from a password file, the URI without it: connects
        passfile = os.path.join(tmp, "pgpass")
        with open(passfile, "w", encoding="utf-8") as f:
            f.write("*:*:*:idrisk:%s\n" % SECRET)
        os.chmod(passfile, 0o600)
        env2 = dict(env, PGPASSFILE=passfile)
        uri = "postgresql:///idrisk?host=%s&user=idrisk" % sock
        p = pgtest.cli(a, "batch", "--in", "/dev/null", "--db", uri, "--store-key", key,
                       "-q", check=False, env=env2)
        if p.returncode != 0:
            pgtest.fail("with PGPASSFILE: exit %d\n%s" % (p.returncode, p.stderr))
        p = pgtest.cli(a, "store", "stats", "--json", "--db", uri, "--store-key", key,
                       env=env2)
        if '"candidates":0' not in p.stdout:
            pgtest.fail("stats through PGPASSFILE: %s" % p.stdout)
        # environment only: an empty postgresql:// URI takes everything from PG*
        env3 = dict(env2, PGHOST=pg.sock, PGUSER="idrisk", PGDATABASE="idrisk")
        p = pgtest.cli(a, "store", "stats", "--json", "--db", "postgresql://",
                       "--store-key", key, env=env3)
        if '"schema_version":2' not in p.stdout:
            pgtest.fail("postgresql:// from the environment: %s" % p.stdout)
    print("ok: unreachable stores exit 1 without the password; PGPASSFILE and PG* work")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
