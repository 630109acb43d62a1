"""A real Celery worker for integration tests, and ways to wait for what it has done.

The fixtures are made available to every test by tests/conftest.py; a test that uses `worker`
needs `django_db(transaction=True)`: the worker reads the rows through its own connection.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from kombu import pools

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


def _reset_connections():
    """Drop pooled broker connections so the next one reads the current transport options."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()  # kombu keeps pools per connection; a closed one would otherwise be handed out again


@pytest.fixture
def worker(tmp_path):
    """A worker thread consuming from the configured broker (Redis in CI, the file-system broker locally).

    The file-system broker gets folders of this test's own: under var/ it would be shared with a
    `make run` worker or another test run on the same machine, which could take the test's messages.
    """
    celery_app.conf.task_always_eager = False
    options = celery_app.conf.broker_transport_options
    if celery_app.conf.broker_url.startswith("filesystem"):
        folders = {name: tmp_path / "broker" / name for name in ("out", "processed", "control")}
        for folder in folders.values():
            folder.mkdir(parents=True)
        celery_app.conf.broker_transport_options = {
            **options,
            "data_folder_in": str(folders["out"]),
            "data_folder_out": str(folders["out"]),
            "processed_folder": str(folders["processed"]),
            "control_folder": str(folders["control"]),
        }
        _reset_connections()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        celery_app.conf.broker_transport_options = options
        _reset_connections()


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), "the worker did not finish in time"
