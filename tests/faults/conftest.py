"""Services of the fault tests' own: a redis-server on a free port, Celery worker processes, the app pointed at them.

Nothing here touches the machine's shared PostgreSQL server or Redis (5432, 6379): each test starts its own
redis-server and workers and stops exactly those processes (by the handle it started them with).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from core import cache as fail_soft_cache
from core import enqueue
from crm.celery import app as celery_app
from tests.live_worker import _reset_connections

REPO = Path(__file__).resolve().parents[2]
# As crm/settings.py sets them when REDIS_URL is given (the transport options and the cache's socket timeouts).
BROKER_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 5}
CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class PrivateRedis:
    """A redis-server of this test only, without persistence: a restart comes back empty, as after a crash."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self) -> None:
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def queued(self, queue: str = "celery") -> int:
        return self.client().llen(queue)


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = PrivateRedis(folder)
    server.start()
    yield server
    server.stop()


def _reset_circuits():
    enqueue.circuit.reset()
    fail_soft_cache.circuit.reset()


@pytest.fixture
def app_on_private_redis(private_redis, settings):
    """This process's cache and task publishing on the private Redis, with the production settings' timeouts."""
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = private_redis.url
    celery_app.conf.broker_transport_options = BROKER_OPTIONS
    celery_app.conf.task_always_eager = False
    _reset_connections()
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.FailSoftRedisCache", "LOCATION": private_redis.url, "OPTIONS": CACHE_OPTIONS}
    }
    _reset_circuits()
    yield private_redis
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
    _reset_connections()
    _reset_circuits()


def database_url() -> str:
    """The URL of the test database this test runs on, for processes of its own (workers, pg_dump)."""
    db = connection.settings_dict
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`celery -A crm worker --pool=prefork` in a process group of its own (tests/faults/worker.py), on the test
    database and the private Redis, writing each e-mail to its own file in `mailbox`."""

    def __init__(self, *, redis_url: str, mailbox: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        environment = {
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "crm.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "FAULTS_MAILBOX": str(mailbox),
            "PYTHONPATH": str(REPO),
            **(env or {}),
        }
        environment.pop("CELERY_TASK_ALWAYS_EAGER", None)
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.worker"],
                cwd=REPO,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the pool's children are killed with it
            )

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as the kernel's OOM killer or `docker kill` would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL for what is left of the group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # pool children that outlived their parent
        self.process.wait(timeout=10)


@pytest.fixture
def worker_processes(tmp_path):
    """start(**env) -> a WorkerProcess; every one still running is stopped after the test."""
    started: list[WorkerProcess] = []

    def start(*, redis_url: str, mailbox: Path, env: dict[str, str] | None = None) -> WorkerProcess:
        process = WorkerProcess(
            redis_url=redis_url, mailbox=mailbox, log=tmp_path / f"worker-{len(started) + 1}.log", env=env
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
