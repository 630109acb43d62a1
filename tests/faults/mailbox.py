"""An e-mail backend for worker processes of the fault tests: each message in a file of its own in FAULTS_MAILBOX.

Django's file backend names files by second and object id and appends to an existing name, so files cannot be
counted as messages; here a message is written under a temporary name and renamed, so a message killed halfway
is never counted. With FAULTS_BLOCK_AFTER=N, a send that finds N messages already there stops before writing
(and says so with a file in FAULTS_MAILBOX/blocked/): the test kills the worker while its pool sits there.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def messages_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))


class FileMailbox(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["FAULTS_MAILBOX"])
        block_after = int(os.environ.get("FAULTS_BLOCK_AFTER", "0"))
        for message in email_messages:
            if block_after and len(messages_in(folder)) >= block_after:
                (folder / "blocked").mkdir(exist_ok=True)
                (folder / "blocked" / str(os.getpid())).touch()
                time.sleep(3600)  # until the test kills this process, inside the delivery's transaction
            name = uuid.uuid4().hex
            partial = folder / f"{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")
        return len(email_messages)
