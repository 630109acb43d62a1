"""A real Celery worker for integration tests, and ways to wait for what it has done.

The fixtures are made available to every test by tests/conftest.py; a test that uses `worker`
needs `django_db(transaction=True)`: the worker reads the rows through its own connection.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from crm.celery import app as celery_app


@pytest.fixture
def finished():
    """(task name, args) of every task the worker has finished, in order."""
    done = []

    def record(sender=None, args=None, **kwargs):
        done.append((sender.name, tuple(args or ())))

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


@pytest.fixture
def worker():
    """A worker thread consuming from the configured broker (Redis in CI, the file-system broker locally)."""
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), "the worker did not finish in time"
