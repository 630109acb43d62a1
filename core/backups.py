"""Backups of the PostgreSQL database: pg_dump into timestamped files, a retention rule, pg_restore.

A dump is `<BACKUP_DIR>/crm-<database>-<UTC time>.dump` in pg_dump's custom format (compressed, restorable table
by table). It is written under a temporary name and renamed when pg_dump succeeded, so a failed run never looks
like a backup and never makes the retention rule delete a good one. Retention: dumps older than BACKUP_KEEP_DAYS
are deleted, except that the BACKUP_KEEP_LAST newest are always kept (a server that stopped backing up for a
month still has its last week of dumps).
"""

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import environ

STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"^crm-(?P<database>.+)-(?P<stamp>\d{8}T\d{6}Z)\.dump$")


@dataclass(frozen=True)
class Target:
    """Where a dump is read from or restored to; the password travels in the environment, never in arguments."""

    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def from_settings(cls, db: dict) -> "Target":
        if "postgresql" not in db["ENGINE"]:
            raise ValueError("Backups need PostgreSQL (DATABASE_URL=postgres://…).")
        return cls(db["NAME"], db["USER"], db["PASSWORD"], db["HOST"] or "127.0.0.1", str(db["PORT"] or 5432))

    @classmethod
    def from_url(cls, url: str) -> "Target":
        return cls.from_settings(environ.Env.db_url_config(url))

    def arguments(self) -> list[str]:
        return ["--host", self.host, "--port", self.port, "--username", self.user, "--dbname", self.name]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": self.password}


def dump(target: Target, folder: Path, *, now: datetime | None = None) -> Path:
    """pg_dump the database into a new file in `folder`; its path."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crm-{target.name}-{now:{STAMP}}.dump"
    partial = path.with_suffix(".partial")
    command = ["pg_dump", "--format=custom", "--no-password", *target.arguments(), "--file", str(partial)]
    try:
        subprocess.run(command, env=target.environment(), check=True, capture_output=True, text=True)  # noqa: S603
    except subprocess.CalledProcessError as error:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"pg_dump failed: {error.stderr.strip()}") from error
    partial.rename(path)
    return path


def restore(target: Target, path: Path) -> None:
    """Replace the database's tables with the dump's, in one transaction (an error leaves it as it was)."""
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        *target.arguments(),
        str(path),
    ]
    try:
        subprocess.run(command, env=target.environment(), check=True, capture_output=True, text=True)  # noqa: S603
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"pg_restore failed: {error.stderr.strip()}") from error


def expired(folder: Path, database: str, *, keep_days: int, keep_last: int, now: datetime | None = None) -> list[Path]:
    """The dumps of `database` in `folder` the retention rule deletes: older than keep_days, beyond the keep_last
    newest. Other files are never touched."""
    now = now or datetime.now(UTC)
    dumps = []
    for path in folder.glob("crm-*.dump"):
        match = NAME.match(path.name)
        if match and match["database"] == database:
            dumps.append((datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC), path))
    dumps.sort(reverse=True)
    limit = now - timedelta(days=keep_days)
    return [path for taken, path in dumps[keep_last:] if taken < limit]
