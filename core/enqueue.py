"""Sending task messages without letting a broker outage break the request that sends them.

Everything that goes out is a row first (DESIGN principle 1), and each kind has a periodic sweep that enqueues
its due rows again. So a message the broker cannot take now is only late: `enqueue` logs it and returns False
instead of raising, and pages, forms and sweeps carry on while Redis is down. After a failure the broker is
skipped for 30 s (core.circuit), so a hanging Redis holds one request per process, not every one.
"""

import logging
from functools import partial

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .circuit import Circuit

logger = logging.getLogger(__name__)

# What publishing raises when the broker is unreachable: kombu wraps the transport's connection errors in its
# OperationalError (Redis stopped: "Error 111 connecting"); the others in case a path escapes the wrapping.
BROKER_UNREACHABLE = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)

# 30 s: a hanging Redis holds a publish for the socket timeout (5 s, settings); the sweeps run every minute anyway.
circuit = Circuit("Celery broker", open_seconds=30)


def enqueue(task: Task, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)` to the workers now; False (logged) when the broker cannot take it."""
    if task.app.conf.task_always_eager:  # run here and now: the task's own errors are not the broker's
        task.apply_async(args, kwargs)
        return True
    if circuit.is_open():
        logger.warning("%s%r not enqueued: the broker failed moments ago", task.name, args)
        return False
    try:
        task.apply_async(args, kwargs)
    except BROKER_UNREACHABLE as error:
        circuit.trip(error, task.name)
        logger.warning("%s%r not enqueued: %r", task.name, args, error)
        return False
    circuit.succeeded()
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """`enqueue` once the current transaction commits (DESIGN principle 2); nothing if it rolls back."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))
