"""An announcement to a segment of 1,000 reachable contacts travels through the real broker to a real Celery worker:
1,000 e-mails, none twice, each in its contact's language; opted-out and address-less contacts skipped and reported."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from clients.models import Client
from contacts.models import Contact
from segments.bulk import delivery
from segments.bulk.announcements import create_announcement
from segments.bulk.delivery import deliver_announcement_batch
from segments.models import AnnouncementDelivery, BulkAction
from segments.tasks import deliver_announcement_batch_task
from tests.factories.accounts import AdminFactory
from tests.factories.segments import SegmentFactory
from tests.live_worker import wait_until

# The worker reads the rows through its own connection: the data must be committed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DELIVER = "segments.tasks.deliver_announcement_batch_task"
REACHABLE, OPTED_OUT, NO_EMAIL = 1000, 50, 20
LANGUAGES = ("en", "ru", "lt")
SUBJECTS = {"en": "Spring prices", "ru": "Весенние цены", "lt": "Pavasario kainos"}


def build_contacts() -> None:
    """1,070 contacts of 270 clients, written in a few statements."""
    clients = Client.objects.bulk_create([Client(name=f"Client {n:03d} UAB", country="LT") for n in range(270)])
    people = [
        Contact(
            client=clients[n % len(clients)],
            full_name=f"Person {n:04d}",
            email=f"person{n:04d}@client.example",
            language=LANGUAGES[n % 3],
        )
        for n in range(REACHABLE)
    ]
    people += [
        Contact(client=clients[n], full_name=f"Out {n}", email=f"out{n}@client.example", announcement_opt_out=True)
        for n in range(OPTED_OUT)
    ]
    people += [Contact(client=clients[-n - 1], full_name=f"Nomail {n}", email="") for n in range(NO_EMAIL)]
    Contact.objects.bulk_create(people)


def runs(finished) -> int:
    return sum(1 for name, _args in finished if name == DELIVER)


def test_an_announcement_to_1000_contacts_through_the_worker_sends_each_email_once(client, finished, worker):
    admin = AdminFactory(full_name="Ada Admin")
    build_contacts()
    everyone = SegmentFactory(name="Everyone")

    # Committed at once (no test transaction): the first batch's task goes to the broker after the commit.
    announcement = create_announcement(
        actor=admin,
        segment=everyone,
        kind="promotion",
        subject_en=SUBJECTS["en"],
        body_en="Prices drop in April.",
        subject_ru=SUBJECTS["ru"],
        body_ru="Цены снижаются в апреле.",
        subject_lt=SUBJECTS["lt"],
        body_lt="Kainos mažėja balandį.",
    )
    # Full batches each enqueue the next; the last, short one finds nothing more and marks the announcement done.
    batches = REACHABLE // delivery.BATCH + 1
    # Watched through this process's memory, not the database: on SQLite a read here could lock the worker out.
    wait_until(lambda: len(mail.outbox) >= REACHABLE and runs(finished) >= batches, timeout=90)

    addresses = Counter(m.to[0] for m in mail.outbox)
    assert len(mail.outbox) == REACHABLE
    assert max(addresses.values()) == 1
    assert not [a for a in addresses if a.startswith("out")]
    assert all(m.subject == SUBJECTS[LANGUAGES[int(m.to[0][6:10]) % 3]] for m in mail.outbox)
    assert AnnouncementDelivery.objects.filter(status="pending").count() == 0
    action = BulkAction.objects.get()
    assert (action.status, action.matched, action.changed, action.skipped) == (
        "done",
        270,
        REACHABLE,
        OPTED_OUT + NO_EMAIL,
    )

    # A duplicate task message sends nothing more.
    deliver_announcement_batch_task.delay(announcement.pk)
    wait_until(lambda: runs(finished) >= batches + 1, timeout=30)
    assert len(mail.outbox) == REACHABLE

    # The announcement's page reports the skipped contacts.
    client.force_login(admin)
    page = client.get(f"/segments/announcements/{announcement.pk}/").content.decode()
    for label, count in [("Contacts", 1070), ("Sent", 1000), ("Waiting", 0), ("Opted out", 50), ("No e-mail", 20)]:
        assert f"<dt>{label}</dt><dd>{count}</dd>" in page, label
    opted_out = client.get(f"/segments/announcements/{announcement.pk}/?show=opted_out").content.decode()
    assert "Out 0" in opted_out
    assert "Person 0000" not in opted_out


def test_two_workers_delivering_the_same_announcement_at_once_send_each_email_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks: SQLite serialises the two transactions")
    admin = AdminFactory()
    client = Client.objects.create(name="Busy UAB")
    Contact.objects.bulk_create(
        [Contact(client=client, full_name=f"P {n}", email=f"p{n}@busy.example") for n in range(60)]
    )
    announcement = create_announcement(
        actor=admin, segment=SegmentFactory(), kind="update", subject_en="News", body_en="Some news."
    )
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            while deliver_announcement_batch(announcement.pk, batch=10):
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    addresses = Counter(m.to[0] for m in mail.outbox)
    assert (len(addresses), max(addresses.values())) == (60, 1)
    assert AnnouncementDelivery.objects.filter(status="sent").count() == 60
