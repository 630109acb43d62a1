"""A circuit breaker for an optional service (Redis as broker and as cache) that a request must not wait for.

After a failure the service is skipped for a few seconds in this process: with Redis hanging (a frozen process,
a dead network path) each call would otherwise wait out its socket timeout, one after the other, in every
request. One request per process and period pays the timeout; the others go on at once.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class Circuit:
    """Open (skip the service) for `open_seconds` after a failure; one warning per outage, not per call."""

    def __init__(self, name: str, *, open_seconds: float = 5.0) -> None:
        self.name = name
        self.open_seconds = open_seconds
        self._open_until = 0.0
        self._failing = False  # between the first failure of an outage and the next success
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, error: BaseException, what: str) -> None:
        """Record a failure of the service: skip it for a while; warn when an outage starts."""
        with self._lock:
            self._open_until = time.monotonic() + self.open_seconds
            starting, self._failing = not self._failing, True
        if starting:
            logger.warning(
                "%s unreachable (%s): %r; skipped for %ss at a time", self.name, what, error, self.open_seconds
            )
        else:
            logger.info("%s still unreachable (%s): %r", self.name, what, error)

    def succeeded(self) -> None:
        if self._failing:
            with self._lock:
                self._failing = False
            logger.warning("%s reachable again", self.name)

    def reset(self) -> None:
        """Close the circuit at once (tests, or a process that knows the service is back)."""
        with self._lock:
            self._open_until, self._failing = 0.0, False
