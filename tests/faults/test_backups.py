"""`make backup` / `make restore`: a dump restored into a fresh database has the same rows; the retention rule."""

import uuid
from datetime import UTC, datetime, timedelta
from io import StringIO
from urllib.parse import quote

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core import backups
from tests.factories.complaints import make_complaint
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import InteractionFactory

# Tables whose ids are compared; between them they hold every app's kind of row.
TABLES = (
    "accounts_user",
    "accounts_team",
    "clients_client",
    "contacts_contact",
    "interactions_interaction",
    "complaints_complaint",
    "complaints_slapolicy",
    "feedback_surveytemplate",
    "django_migrations",
)


def _ids(cursor, table: str) -> list[int]:
    cursor.execute(f"SELECT id FROM {table} ORDER BY id")  # noqa: S608 (fixed names)
    return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def fresh_database():
    """An empty database of the test's own (the crm role may create databases); dropped afterwards."""
    db = connection.settings_dict
    name = f"crm_restore_{uuid.uuid4().hex[:10]}"
    params = {"user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"], "port": db["PORT"] or 5432}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, params
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.faults
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)  # pg_dump reads through its own connection: the rows must be committed
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's")
def test_a_backup_restored_into_a_fresh_database_has_the_same_rows(org, tmp_path, fresh_database):
    ContactFactory.create_batch(3, client=org.client)
    InteractionFactory.create_batch(4, client=org.client, logged_by=org.manager)
    make_complaint(actor=org.manager, client=org.client)
    with connection.cursor() as cursor:
        expected = {table: _ids(cursor, table) for table in TABLES}
    assert all(expected.values())

    out = StringIO()
    call_command("backup", "--dir", str(tmp_path), stdout=out)
    [dump] = tmp_path.glob("crm-*.dump")
    assert f"Backup written: {dump}" in out.getvalue()

    name, params = fresh_database
    user, password = quote(params["user"], safe=""), quote(params["password"], safe="")
    url = f"postgres://{user}:{password}@{params['host'] or '127.0.0.1'}:{params['port']}/{name}"
    call_command("restore", str(dump), "--database-url", url, "--yes", stdout=StringIO())

    restored = psycopg2.connect(dbname=name, **params)
    try:
        with restored.cursor() as cursor:
            assert {table: _ids(cursor, table) for table in TABLES} == expected
            cursor.execute("SELECT email FROM accounts_user WHERE id = %s", [org.manager.pk])
            assert cursor.fetchone() == (org.manager.email,)
    finally:
        restored.close()


def test_restore_without_yes_and_without_a_terminal_refuses_and_changes_nothing(tmp_path, monkeypatch):
    dump = tmp_path / "crm-crm-20261101T020000Z.dump"
    dump.write_bytes(b"not read")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    restored = []
    monkeypatch.setattr(backups, "restore", lambda *args: restored.append(args))

    with pytest.raises(CommandError, match="confirm with --yes"):
        call_command("restore", str(dump), "--database-url", "postgres://crm:crm@127.0.0.1:5432/elsewhere")

    assert restored == []


def test_retention_deletes_dumps_older_than_keep_days_but_always_keeps_the_newest(tmp_path):
    now = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)

    def touch(database: str, days_ago: int):
        path = tmp_path / f"crm-{database}-{now - timedelta(days=days_ago):{backups.STAMP}}.dump"
        path.touch()
        return path

    recent = [touch("crm", days) for days in (0, 1, 2)]
    old = [touch("crm", days) for days in (20, 30, 40, 50, 60)]
    other_database = touch("crm_bench", 90)
    unrelated = tmp_path / "notes.txt"
    unrelated.touch()

    assert backups.expired(tmp_path, "crm", keep_days=14, keep_last=7, now=now) == old[4:]  # the 8th newest only
    assert backups.expired(tmp_path, "crm", keep_days=14, keep_last=2, now=now) == old
    assert backups.expired(tmp_path, "crm", keep_days=100, keep_last=0, now=now) == []
    assert backups.expired(tmp_path, "crm", keep_days=0, keep_last=3, now=now) == old
    # Only this database's dumps, and only files named as `backup` names them.
    an_hour_later = now + timedelta(hours=1)
    assert backups.expired(tmp_path, "crm", keep_days=0, keep_last=0, now=an_hour_later) == [*recent, *old]
    assert backups.expired(tmp_path, "crm_bench", keep_days=14, keep_last=0, now=now) == [other_database]
