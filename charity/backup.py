"""Consistent PostgreSQL backups with a row-count manifest, and the restore drill.

`backup(out_dir)` runs pg_dump on an exported snapshot and counts every table's rows inside the
same snapshot, so the manifest matches the dump exactly. `restore_drill(dump)` restores the dump
into a scratch database, counts again and compares with the manifest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from psycopg import sql


def _conninfo(name: str | None = None) -> dict:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("backups and restore drills need PostgreSQL (DATABASE_URL=postgres://...)")
    info = {"host": db.get("HOST") or "127.0.0.1", "port": str(db.get("PORT") or 5432), "user": db.get("USER"),
            "dbname": name or db["NAME"]}
    if db.get("PASSWORD"):
        info["password"] = db["PASSWORD"]
    return info


def _env(info: dict) -> dict:
    env = {**os.environ, "PGHOST": info["host"], "PGPORT": info["port"], "PGUSER": info["user"] or ""}
    if "password" in info:
        env["PGPASSWORD"] = info["password"]
    return env


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def backup(out_dir: Path, *, now: dt.datetime | None = None) -> tuple[Path, Path]:
    """Write db-<stamp>.dump and db-<stamp>.counts.json into `out_dir`; return both paths."""
    info = _conninfo()
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    dump, manifest = out_dir / f"db-{stamp}.dump", out_dir / f"db-{stamp}.counts.json"
    with psycopg.connect(**info) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                            f"--file={dump}", info["dbname"]], env=_env(info), check=True)
            counts = _counts(cursor)
    manifest.write_text(json.dumps({"database": info["dbname"], "taken_at": stamp, "counts": counts}, indent=1))
    return dump, manifest


@dataclass
class DrillResult:
    scratch: str
    compared: int
    mismatches: dict[str, tuple[int, int]]

    @property
    def ok(self) -> bool:
        return self.compared > 0 and not self.mismatches


def restore_drill(dump: Path, *, keep: bool = False) -> DrillResult:
    """Restore `dump` into a scratch database and compare its row counts with the manifest."""
    manifest = json.loads(Path(str(dump).replace(".dump", ".counts.json")).read_text())
    info = _conninfo("postgres")
    scratch = f"restore_drill_{dt.datetime.now():%Y%m%d%H%M%S}_{os.getpid()}"
    with psycopg.connect(**info, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", str(dump)],
                       env=_env(info), check=True)
        with psycopg.connect(**{**info, "dbname": scratch}) as conn, conn.cursor() as cursor:
            restored = _counts(cursor)
        expected = manifest["counts"]
        mismatches = {t: (n, restored.get(t, -1)) for t, n in expected.items() if restored.get(t) != n}
        mismatches.update({t: (-1, n) for t, n in restored.items() if t not in expected})
        return DrillResult(scratch, len(expected), mismatches)
    finally:
        if not keep:
            with psycopg.connect(**info, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
