"""Shared fixtures: a small organisation with every role, and helpers to sign in."""

import os

import pytest
from rest_framework.test import APIClient

from crm.celery import app as celery_app
from tests.factories.accounts import PASSWORD, AdminFactory, ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.complaints import ensure_defaults
from tests.factories.feedback import ensure_survey_defaults
from tests.live_worker import finished, worker  # noqa: F401  (fixtures of the integration tests)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + the ORM


@pytest.fixture(autouse=True)
def _celery_eager():
    """Unit tests run tasks in-process; the integration tests start a real worker instead."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _configuration_rows(request):
    """Rows that data migrations create (SLA policies, complaint categories, survey templates and
    triggers) are part of every database; a transactional test's flush removes them for the tests
    after it, so they are put back when missing."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from feedback.models import SurveyTemplate

    if not SurveyTemplate.objects.exists():
        ensure_defaults()
        ensure_survey_defaults()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "en"
    # Hashing with PBKDF2 costs ~0.3 s per user; tests do not test the hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # django-axes needs the request in authenticate(), which the test client's login() does not pass; the
    # throttling tests (tests/accounts/test_login_throttling.py) and the browser tests switch it back on.
    settings.AXES_ENABLED = False
    # A cache of this process only, empty for every test: a cached dashboard or rate-limit count must not
    # leak from one test to the next, nor from another test run or `make run` sharing var/ or Redis.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def org(db):
    """Two teams (North, South) each with a lead and managers, plus an admin, and a client per manager."""

    class Org:
        pass

    o = Org()
    o.north = TeamFactory(name="North")
    o.south = TeamFactory(name="South")
    o.lead = TeamLeadFactory(full_name="Lina Lead", team=o.north)
    o.north.lead = o.lead
    o.north.save()
    o.other_lead = TeamLeadFactory(full_name="Sergej South-Lead", team=o.south)
    o.south.lead = o.other_lead
    o.south.save()
    o.manager = ManagerFactory(full_name="Mantas Owner", team=o.north)
    o.teammate = ManagerFactory(full_name="Tomas Teammate", team=o.north)
    o.outsider = ManagerFactory(full_name="Olga Outsider", team=o.south)
    o.admin = AdminFactory(full_name="Ada Admin")
    o.client = ClientFactory(name="Own Client UAB", account_manager=o.manager)
    o.team_client = ClientFactory(name="Teammate Client UAB", account_manager=o.teammate)
    o.foreign_client = ClientFactory(name="Foreign Client OOO", account_manager=o.outsider)
    return o


def login(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


@pytest.fixture
def as_user(client):
    """as_user(user) -> the Django test client signed in as that user."""

    def _login(user):
        client.logout()
        return login(client, user)

    return _login


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_api_user(api):
    """as_api_user(user) -> an APIClient authenticated as that user."""

    def _authenticate(user):
        api.force_authenticate(user)
        return api

    return _authenticate
