"""PostgreSQL connection dropped: the request it drops under fails cleanly, the next one succeeds (CONN_HEALTH_CHECKS).

Requests go through Django's WSGI handler as a gunicorn sync worker calls it, signals included (the test client
leaves out the connection upkeep between requests, which is what is tested here). The request's own server
process is ended with pg_terminate_backend from a second connection of the test's own, as a PostgreSQL restart,
a failover or an idle-connection killer would; the shared server itself is never touched.
"""

import time
from contextlib import contextmanager

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

pytestmark = [
    pytest.mark.faults,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),  # committed rows: the requests run outside a test transaction
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"),
]

ERROR_PAGE = "Something went wrong"  # templates/500.html


def _terminate(pid: int) -> None:
    """End one server process from a connection of our own, and wait until it is gone."""
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() == (0,):
                    return
                time.sleep(0.05)
        raise AssertionError(f"server process {pid} still there")
    finally:
        other.close()


def _backend_pid() -> int:
    return connection.connection.get_backend_pid()


@pytest.fixture
def get(client, org):
    """get(path) -> (status line, body, seconds) of a GET by the manager through the WSGI handler."""
    client.force_login(org.manager)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    handler = WSGIHandler()

    def _get(path: str):
        environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
        status = []
        started = time.monotonic()
        result = handler(environ, lambda line, headers, exc_info=None: status.append(line))
        body = b"".join(result).decode()
        result.close()  # request_finished: Django's upkeep of the connection, as after any response
        return status[0], body, time.monotonic() - started

    return _get


@contextmanager
def drop_connection_at_query(number: int):
    """End this connection's server process just before the request's `number`-th statement."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if len(seen) == number:
            _terminate(_backend_pid())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def test_a_connection_dropped_mid_request_fails_that_request_with_the_error_page_and_the_next_one_succeeds(get, org):
    page = reverse("clients:list")

    with drop_connection_at_query(3) as statements:  # after the session and the user were read
        status, body, seconds = get(page)

    assert len(statements) == 3  # nothing ran after the drop
    assert status == "500 Internal Server Error"
    assert ERROR_PAGE in body
    assert seconds < 5  # failed at once, no hang
    status, body, _seconds = get(page)
    assert status == "200 OK"
    assert org.client.name in body


@pytest.mark.parametrize(
    ("health_checks", "next_status"),
    [(True, "200 OK"), (False, "500 Internal Server Error")],  # without the check the kept connection is used as is
)
def test_a_kept_connection_dropped_between_requests_is_replaced_before_the_next_request_uses_it(
    get, org, health_checks, next_status
):
    saved = connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    connection.close()  # the next connection reads the setting
    try:
        assert get(reverse("clients:list"))[0] == "200 OK"
        kept = _backend_pid()  # CONN_MAX_AGE: the connection stays open for the next request
        _terminate(kept)

        assert get(reverse("clients:list"))[0] == next_status
        assert get(reverse("clients:list"))[0] == "200 OK"  # a failed request's connection is never reused
        assert _backend_pid() != kept
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = saved
        connection.close()
