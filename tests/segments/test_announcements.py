"""Announcements: one row per contact, skipped ones with their reason, each e-mail sent once in the contact's
language with a working unsubscribe link."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client as WebClient
from django.utils import timezone

from core.exceptions import ApplicationError
from core.outbox import MAX_ATTEMPTS, deliver_once
from feedback.services.delivery import unsubscribe_token as survey_unsubscribe_token
from segments.bulk import delivery
from segments.bulk.announcements import create_announcement
from segments.bulk.delivery import claim_stalled_actions, deliver_announcement_batch
from segments.bulk.selectors import get_announcement_progress
from segments.bulk.unsubscribe import unsubscribe_token
from segments.models import Announcement, AnnouncementDelivery, BulkAction
from segments.tasks import deliver_announcement_batch_task, sweep_segment_actions_task
from tests.factories.contacts import ContactFactory
from tests.factories.segments import SegmentFactory

TEXTS = {
    "subject_en": "Spring prices",
    "body_en": "Dear partner,\n\nprices drop <b>10%</b> in April.",
    "subject_ru": "Весенние цены",
    "body_ru": "Уважаемый партнёр,\nцены снижаются в апреле.",
}


@pytest.fixture
def everyone(org):
    return SegmentFactory(name="Everyone")


@pytest.fixture
def people(org):
    """Contacts of the lead's clients (North) in three languages, opted out, without an address, sharing one,
    and a contact of the foreign client (South)."""
    north, team = org.client, org.team_client
    return {
        "en": ContactFactory(client=north, full_name="Emma English", email="emma@own.example", language="en"),
        "ru": ContactFactory(client=north, full_name="Roman Russian", email="roman@own.example", language="ru"),
        "lt": ContactFactory(client=team, full_name="Lina Lithuanian", email="lina@team.example", language="lt"),
        "out": ContactFactory(client=team, full_name="Otto Out", email="otto@team.example", announcement_opt_out=True),
        "none": ContactFactory(client=team, full_name="Nora None", email=""),
        "twin": ContactFactory(client=team, full_name="Emma Twin", email="EMMA@own.example"),
        "far": ContactFactory(client=org.foreign_client, full_name="Fiona Far", email="fiona@far.example"),
    }


def announce(actor, segment, **texts):
    return create_announcement(actor=actor, segment=segment, kind="promotion", **{**TEXTS, **texts})


def outcome():
    return sorted(
        AnnouncementDelivery.objects.values_list("contact__full_name", "status", "skipped_reason", "email", "language")
    )


# --- writing the rows ----------------------------------------------------------------------------


def test_a_lead_announces_to_every_contact_in_their_team_with_the_skipped_ones_marked(org, everyone, people):
    announcement = announce(org.lead, everyone)

    assert outcome() == [
        ("Emma English", "pending", "", "emma@own.example", "en"),
        ("Emma Twin", "cancelled", "duplicate", "EMMA@own.example", "en"),
        ("Lina Lithuanian", "pending", "", "lina@team.example", "lt"),
        ("Nora None", "cancelled", "no_email", "", "en"),
        ("Otto Out", "cancelled", "opted_out", "otto@team.example", "en"),
        ("Roman Russian", "pending", "", "roman@own.example", "ru"),
    ]
    action = announcement.action
    assert (action.kind, action.status, action.actor, action.matched, action.changed, action.skipped) == (
        "announcement",
        "running",
        org.lead,
        2,
        3,
        3,
    )
    assert action.params == {"announcement": announcement.pk}
    assert (announcement.kind, announcement.subject_lt, announcement.body_en) == ("promotion", "", TEXTS["body_en"])


def test_an_admin_announces_to_every_members_contacts(org, everyone, people):
    announce(org.admin, everyone)

    assert AnnouncementDelivery.objects.filter(status="pending").count() == 4
    assert AnnouncementDelivery.objects.filter(contact=people["far"]).exists()


def test_creating_the_announcement_enqueues_its_delivery_after_the_commit(
    org, everyone, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(org.lead, everyone)

    assert sorted(m.to[0] for m in mail.outbox) == ["emma@own.example", "lina@team.example", "roman@own.example"]
    assert get_announcement_progress(announcement).is_finished
    announcement.action.refresh_from_db()
    assert (announcement.action.status, announcement.action.changed, announcement.action.skipped) == ("done", 3, 3)


def test_when_everyone_is_skipped_the_announcement_is_done_at_once(org, everyone):
    ContactFactory(client=org.client, announcement_opt_out=True)

    announcement = announce(org.lead, everyone)

    assert (announcement.action.status, announcement.action.changed, announcement.action.skipped) == ("done", 0, 1)
    assert announcement.action.finished_at is not None


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        ({"subject_en": "  "}, "subject_en", "Write the subject in English."),
        ({"body_en": "\n \n"}, "body_en", "Write the text in English."),
        ({"body_ru": ""}, "body_ru", "Write the text in Russian."),
        ({"subject_lt": "", "body_lt": "Tekstas"}, "subject_lt", "Write the subject in Lithuanian."),
        ({"subject_en": "x" * 201}, "subject_en", "Keep the subject within 200 characters."),
        ({"body_en": "x" * 10001}, "body_en", "Keep the text within 10000 characters."),
        ({"kind": "spam"}, "kind", "Choose whether this is a promotion or an update."),
    ],
)
def test_bad_texts_are_refused_and_nothing_is_written(org, everyone, people, texts, field, message):
    kind = texts.pop("kind", "update")

    with pytest.raises(ApplicationError) as refused:
        create_announcement(actor=org.admin, segment=everyone, kind=kind, **{**TEXTS, **texts})

    assert (refused.value.field, refused.value.message) == (field, message)
    assert (BulkAction.objects.count(), Announcement.objects.count(), AnnouncementDelivery.objects.count()) == (0, 0, 0)


def test_a_manager_may_not_announce(org, everyone, people):
    with pytest.raises(ApplicationError, match="Only team leads and administrators"):
        announce(org.manager, everyone)

    assert AnnouncementDelivery.objects.count() == 0


def test_a_segment_without_contacts_is_refused(org, everyone):
    with pytest.raises(ApplicationError, match="no contacts to write to"):
        announce(org.admin, everyone)

    assert BulkAction.objects.count() == 0


# --- delivering ----------------------------------------------------------------------------------


def sent_to(address):
    return next(m for m in mail.outbox if m.to == [address])


def test_each_contact_gets_the_email_in_their_language_english_where_none_was_written(org, everyone, people):
    announcement = announce(org.lead, everyone)

    assert deliver_announcement_batch(announcement.pk) is False

    assert {m.to[0]: m.subject for m in mail.outbox} == {
        "emma@own.example": "Spring prices",
        "roman@own.example": "Весенние цены",
        "lina@team.example": "Spring prices",  # no Lithuanian text: the English one
    }
    russian = sent_to("roman@own.example")
    assert russian.body.startswith("Уважаемый партнёр,\nцены снижаются в апреле.\n")
    html = russian.alternatives[0][0]
    assert '<html lang="ru">' in html
    assert "Уважаемый партнёр,<br>цены снижаются в апреле." in html
    # The English text's markup is shown, not interpreted; paragraphs and line breaks are kept.
    english_html = sent_to("emma@own.example").alternatives[0][0]
    assert "<p>Dear partner,</p>\n\n<p>prices drop &lt;b&gt;10%&lt;/b&gt; in April.</p>" in english_html
    assert all(row[1] in ("sent", "cancelled") for row in outcome())


def test_every_email_carries_its_contacts_unsubscribe_link(org, everyone, people, settings):
    settings.SITE_URL = "https://crm.example"
    announce(org.lead, everyone)
    deliver_announcement_batch(Announcement.objects.get().pk)

    message = sent_to("lina@team.example")
    url = f"https://crm.example/segments/unsubscribe/{unsubscribe_token(people['lt'].pk)}/"
    assert message.extra_headers == {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0][0]


def test_delivering_twice_sends_each_email_once(org, everyone, people):
    announcement = announce(org.lead, everyone)

    deliver_announcement_batch(announcement.pk)
    deliver_announcement_batch(announcement.pk)
    deliver_announcement_batch_task.delay(announcement.pk)
    for row in AnnouncementDelivery.objects.all():
        assert deliver_once(AnnouncementDelivery, row.pk, send=mock.Mock()) is False

    assert len(mail.outbox) == 3
    assert len({m.to[0] for m in mail.outbox}) == 3


def test_batches_follow_each_other_until_every_email_is_sent(org, everyone, people, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH", 1)
    announcement = announce(org.admin, everyone)

    deliver_announcement_batch_task.delay(announcement.pk)  # eager: each batch enqueues the next

    assert len(mail.outbox) == 4
    announcement.action.refresh_from_db()
    assert announcement.action.status == "done"


def test_a_contact_who_opted_out_after_the_rows_were_written_is_skipped_at_sending(org, everyone, people):
    announcement = announce(org.lead, everyone)
    people["ru"].announcement_opt_out = True
    people["ru"].save()
    people["lt"].email = ""
    people["lt"].save()

    deliver_announcement_batch(announcement.pk)

    assert [m.to for m in mail.outbox] == [["emma@own.example"]]
    progress = get_announcement_progress(announcement)
    assert (progress.sent, progress.opted_out, progress.no_email, progress.duplicate, progress.pending) == (
        1,
        2,
        2,
        1,
        0,
    )


def test_the_current_address_and_language_of_the_contact_are_used(org, everyone, people):
    announcement = announce(org.lead, everyone)
    people["en"].email, people["en"].language = "emma.new@own.example", "ru"
    people["en"].save()

    deliver_announcement_batch(announcement.pk)

    assert sent_to("emma.new@own.example").subject == "Весенние цены"
    row = AnnouncementDelivery.objects.get(contact=people["en"])
    assert (row.email, row.language, row.status) == ("emma.new@own.example", "ru", "sent")


def test_a_failed_send_is_retried_later_and_the_announcement_waits_for_it(org, everyone, people):
    announcement = announce(org.lead, everyone)
    real_send = mail.EmailMultiAlternatives.send

    def flaky(message, *args, **kwargs):
        if message.to == ["roman@own.example"]:
            raise OSError("SMTP down")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky):
        deliver_announcement_batch(announcement.pk)

    row = AnnouncementDelivery.objects.get(contact=people["ru"])
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "OSError('SMTP down')")
    assert row.next_attempt_at > timezone.now()
    progress = get_announcement_progress(announcement)
    assert (progress.sent, progress.pending, progress.is_finished) == (2, 1, False)
    announcement.action.refresh_from_db()
    assert announcement.action.status == "running"
    # Once due again it goes out, and the announcement is done.
    later = timezone.now() + timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        deliver_announcement_batch(announcement.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["emma@own.example", "lina@team.example", "roman@own.example"]
    announcement.action.refresh_from_db()
    assert (announcement.action.status, announcement.action.changed) == ("done", 3)


def test_a_row_failing_every_time_ends_failed_and_is_reported(org, everyone, people):
    announcement = announce(org.lead, everyone)
    row = AnnouncementDelivery.objects.get(contact=people["en"])
    AnnouncementDelivery.objects.filter(pk=row.pk).update(attempts=MAX_ATTEMPTS - 1)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=OSError("bounced")):
        deliver_announcement_batch(announcement.pk)

    progress = get_announcement_progress(announcement)
    assert (progress.failed, progress.pending) == (1, 2)


# --- the sweep -----------------------------------------------------------------------------------


def test_the_sweep_restarts_an_announcement_whose_task_was_lost(org, everyone, people):
    announcement = announce(org.lead, everyone)  # no commit in this test: the task message never left
    assert claim_stalled_actions() == ([], [])  # just created: its first batch may still be on its way

    later = timezone.now() + timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert sweep_segment_actions_task.delay().get() == 1

    assert len(mail.outbox) == 3
    announcement.action.refresh_from_db()
    assert announcement.action.status == "done"


def test_the_sweep_leaves_alone_a_chain_that_is_moving_and_claims_a_stalled_one_once(org, everyone, people):
    announcement = announce(org.lead, everyone)
    now = timezone.now()
    BulkAction.objects.filter(pk=announcement.action_id).update(last_batch_at=now - timedelta(minutes=1))
    assert claim_stalled_actions(now=now) == ([], [])

    later = now + timedelta(minutes=10)
    assert claim_stalled_actions(now=later) == ([announcement.pk], [])
    assert claim_stalled_actions(now=later + timedelta(minutes=1)) == ([], [])  # claimed: its task is queued


# --- unsubscribing -------------------------------------------------------------------------------


def unsubscribe_url_in(message) -> str:
    return re.search(r"https://crm\.example(/segments/unsubscribe/[^/\s]+/)", message.body).group(1)


def test_following_the_link_and_confirming_stops_the_next_announcements(org, everyone, people, settings):
    settings.SITE_URL = "https://crm.example/"
    announce(org.lead, everyone)
    deliver_announcement_batch(Announcement.objects.get().pk)
    url = unsubscribe_url_in(sent_to("roman@own.example"))
    browser = WebClient(enforce_csrf_checks=True)

    asked = browser.get(url)
    people["ru"].refresh_from_db()
    assert asked.status_code == 200
    assert people["ru"].announcement_opt_out is False  # a GET (a mail scanner) changes nothing
    assert '<html lang="ru">' in asked.content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', asked.content.decode()).group(1)

    confirmed = browser.post(url, {"csrfmiddlewaretoken": csrf})

    assert confirmed.status_code == 200
    people["ru"].refresh_from_db()
    assert people["ru"].announcement_opt_out is True
    assert people["ru"].survey_opt_out is False  # surveys are another list
    assert people["ru"].history.first().history_change_reason == "unsubscribed from announcements"
    second = announce(org.lead, everyone, subject_en="Summer prices")
    assert second.deliveries.get(contact=people["ru"]).skipped_reason == "opted_out"


def test_a_mail_clients_one_click_post_opts_out_and_a_second_one_is_fine(people):
    one_click = WebClient(enforce_csrf_checks=True)
    url = f"/segments/unsubscribe/{unsubscribe_token(people['en'].pk)}/"

    for _ in range(2):
        response = one_click.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200

    people["en"].refresh_from_db()
    assert people["en"].announcement_opt_out is True
    assert people["en"].history.filter(history_change_reason="unsubscribed from announcements").count() == 1


def test_bad_tokens_get_a_friendly_404_and_opt_nobody_out(client, people):
    token = unsubscribe_token(people["en"].pk)
    forged = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    survey_link = survey_unsubscribe_token(people["en"].pk)  # another salt: not an announcement link

    for bad in (forged, survey_link, str(people["en"].pk), "nonsense"):
        response = client.post(f"/segments/unsubscribe/{bad}/")
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
        assert client.get(f"/segments/unsubscribe/{bad}/").status_code == 404
    people["en"].refresh_from_db()
    assert people["en"].announcement_opt_out is False


def test_the_unsubscribe_page_is_rate_limited_per_address(client, settings, people):
    settings.PUBLIC_RATE_LIMIT = "2/m"
    url = f"/segments/unsubscribe/{unsubscribe_token(people['en'].pk)}/"

    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    assert client.post(url).status_code == 429
    people["en"].refresh_from_db()
    assert people["en"].announcement_opt_out is False
    assert client.get(url, REMOTE_ADDR="10.0.0.7").status_code == 200


def test_the_unsubscribe_page_is_not_cached_nor_indexed(client, people):
    response = client.get(f"/segments/unsubscribe/{unsubscribe_token(people['en'].pk)}/")

    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
