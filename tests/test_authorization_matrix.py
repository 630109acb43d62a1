"""The authorization matrix (tests/authz/matrix.py): every page, partial, export, download and API endpoint of the URL
conf, asked by each role, answers the status the rules give; a refused write changes nothing; the owner's client
never shows to those who may not see it; and a URL without an entry in the matrix fails."""

import json
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse

from crm.celery import app as celery_app
from tests.authz.matrix import ALLOWED, LOGIN, MATRIX, ROLES, SKIP, SKIP_NAMESPACES, Redirect
from tests.authz.world import OWN_CLIENT_NAME, build_world
from tests.factories.complaints import ensure_defaults
from tests.factories.feedback import ensure_survey_defaults

# Roles that may not see the owner's client: its name must not be in anything they get.
OUTSIDERS = ("anonymous", "other_team_manager", "other_team_lead")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end; each test runs in a savepoint of it."""
    overrides = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "authz"}},
        REQUIRE_ADMIN_2FA=False,  # the second factor has its own tests; here an admin is an admin
        LANGUAGE_CODE="en",
    )
    overrides.enable()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
        try:
            with django_db_blocker.unblock():
                ensure_defaults()
                ensure_survey_defaults()
                built = build_world()
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        celery_app.conf.task_always_eager = eager
        overrides.disable()


def _value(value, world):
    return value(world) if callable(value) else value


def url_of(name, check, world) -> str:
    if check.path:
        return check.path
    args = []
    if check.target:
        target = getattr(world, check.target)
        args = [target if isinstance(target, str) else target.pk]
    return reverse(name, args=args)


def sign_in(client, world, role) -> None:
    user = world.user(role)
    if user is not None:
        client.force_login(user)  # no password check: the sign-in itself has its own tests


def send(client, check, world, url):
    if check.method == "GET":
        return client.get(url, _value(check.query, world) or {})
    data = _value(check.data, world) or {}
    if url.startswith("/api/"):
        return client.generic(check.method, url, json.dumps(data), content_type="application/json")
    assert check.method == "POST", "pages take form posts"
    return client.post(url, data)


# Tables no request writes (they change with migrations only) or that signing in and out always changes.
UNWATCHED = {"sessions.Session", "auth.Permission", "contenttypes.ContentType"}


def snapshot(check) -> dict:
    """Every row of every other table, many-to-many links included: raw SQL, as it runs twice per write."""
    rows, qn = {}, connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            label = model._meta.label
            if label in UNWATCHED or label in check.changes or not model._meta.managed or model._meta.proxy:
                continue
            columns = ", ".join(qn(field.column) for field in model._meta.concrete_fields)
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608 (names from the models)
            rows[label] = cursor.fetchall()
    return rows


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}{' → ' + location if location else ''}"


def assert_answers(response, expected, url):
    got = describe(response)
    if expected is LOGIN:
        location = response.get("Location", "")
        assert response.status_code == 302, f"expected the sign-in redirect, got {got}"
        assert location.startswith("/accounts/login/?next="), f"expected the sign-in redirect, got {got}"
        assert unquote(location.split("next=", 1)[1]).startswith(url), got
    elif isinstance(expected, Redirect):
        assert response.status_code == 302, f"expected a redirect to {expected.to}, got {got}"
        assert expected.matches(response["Location"]), f"expected a redirect to {expected.to}, got {got}"
    else:
        assert response.status_code == expected, f"expected {expected}, got {got}"


def _cells():
    for name, checks in MATRIX.items():
        for check in checks:
            variant = f"[{check.label}]" if check.label else ""
            for role, expected in zip(ROLES, check.expect, strict=True):
                if expected is not ALLOWED:
                    yield pytest.param(name, check, role, id=f"{name}{variant}-{check.method}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "check", "role"), list(_cells()))
def test_each_role_gets_the_status_the_matrix_gives(client, world, name, check, role):
    expected = check.expect[ROLES.index(role)]
    url = url_of(name, check, world)
    sign_in(client, world, role)  # before the snapshot: signing in writes last_login and an audit event
    before = snapshot(check) if check.method != "GET" else None

    response = send(client, check, world, url)

    assert_answers(response, expected, url)
    if role in OUTSIDERS and not check.reveals_client:
        assert OWN_CLIENT_NAME not in body_of(response)
    elif check.shows_client and expected == 200:
        assert OWN_CLIENT_NAME in body_of(response)
    if before is not None:
        assert snapshot(check) == before, "a refused (or harmless) write changed the database"


def url_conf_entries() -> set[str]:
    """Every route of the URL conf: "namespace:name", or the route itself for one without a name."""
    found = set()

    def walk(patterns, namespace: str, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif pattern.name:
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
            else:
                found.add(f"{namespace}:{prefix}{pattern.pattern}" if namespace else f"{prefix}{pattern.pattern}")

    walk(get_resolver().url_patterns, "", "")
    return found


def _skipped_namespace(entry: str) -> bool:
    return ":" in entry and entry.split(":", 1)[0] in SKIP_NAMESPACES


def entries_missing_from_the_matrix() -> list[str]:
    return sorted(
        entry
        for entry in url_conf_entries()
        if entry not in MATRIX and entry not in SKIP and not _skipped_namespace(entry)
    )


def test_every_url_of_the_url_conf_has_an_entry_in_the_matrix():
    missing = entries_missing_from_the_matrix()

    assert missing == [], (
        "URLs without an entry in the authorization matrix (tests/authz/matrix.py): "
        + ", ".join(missing)
        + ". Add who may open each of them (or, with a reason, a SKIP entry)."
    )


@override_settings(ROOT_URLCONF="tests.authz.unlisted_urls")
def test_a_new_url_without_an_entry_is_named():
    assert entries_missing_from_the_matrix() == ["brand-new"]


def test_every_entry_of_the_matrix_is_a_url_of_the_url_conf():
    entries = url_conf_entries()

    assert sorted(name for name in [*MATRIX, *SKIP] if name not in entries) == []
