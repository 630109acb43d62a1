"""A Celery worker process for the fault tests: `python -m tests.faults.worker` (see tests/faults/conftest.py).

The real worker (`celery -A crm worker --pool=prefork --concurrency=2`) on DATABASE_URL and REDIS_URL from the
environment, with two test-only changes made before the pool forks: e-mails go to files (tests.faults.mailbox),
and any moment is inside a contact's sending window (the window has tests of its own; this one must not depend
on the hour it runs at).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
django.setup()

from django.conf import settings  # noqa: E402

from crm.celery import app  # noqa: E402
from feedback.services import delivery  # noqa: E402

settings.EMAIL_BACKEND = "tests.faults.mailbox.FileMailbox"
delivery.next_sending_time = lambda contact, now: now

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            f"--hostname=faults-{os.getpid()}@%h",
        ]
    )
