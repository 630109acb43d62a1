"""Tags and surveys on a segment's members: a lead acts within their team, an admin on all; each change once."""

import zoneinfo
from datetime import datetime

import pytest

from clients.models import Tier
from clients.selectors import get_client_history
from core.exceptions import ApplicationError
from feedback.models import SuppressedReason, SurveyRequest, SurveyStatus, TriggerKind
from feedback.services.delivery import deliver_survey
from segments.bulk.surveys import send_survey_to_segment, write_survey_requests
from segments.bulk.tags import add_tag_to_segment, remove_tag_from_segment
from segments.models import BulkAction
from segments.tasks import write_segment_survey_requests_task
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import frozen, survey_template
from tests.factories.segments import SegmentFactory

# Tuesday 3 March 2026, 10:00 in Vilnius: inside every contact's sending window.
TUE = datetime(2026, 3, 3, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Vilnius"))


@pytest.fixture
def everyone(org):
    """A segment every client matches: a lead acts on North's clients, an admin on all three."""
    return SegmentFactory(name="Everyone")


def tag_names(client) -> list[str]:
    return sorted(client.tags.values_list("name", flat=True))


# --- tags ----------------------------------------------------------------------------------------


def test_a_lead_adds_a_tag_to_the_members_in_their_team_only(org, everyone):
    action = add_tag_to_segment(actor=org.lead, segment=everyone, tag="Spring fair")

    assert tag_names(org.client) == ["Spring fair"]
    assert tag_names(org.team_client) == ["Spring fair"]
    assert tag_names(org.foreign_client) == []
    action.refresh_from_db()
    assert (action.kind, action.status, action.actor, action.segment, action.segment_name) == (
        "add_tag",
        "done",
        org.lead,
        everyone,
        "Everyone",
    )
    assert (action.matched, action.changed, action.skipped) == (2, 2, 0)
    assert action.params == {"tag": action.params["tag"], "tag_name": "Spring fair"}
    assert action.finished_at is not None


def test_adding_skips_clients_that_have_the_tag_and_keeps_their_other_tags(org, everyone):
    vip, wine = TagFactory(name="vip"), TagFactory(name="wine")
    org.client.tags.set([vip, wine])

    action = add_tag_to_segment(actor=org.admin, segment=everyone, tag="  VIP ")  # the existing tag, any case

    assert [tag_names(c) for c in (org.client, org.team_client, org.foreign_client)] == [
        ["vip", "wine"],
        ["vip"],
        ["vip"],
    ]
    assert (action.matched, action.changed, action.skipped) == (3, 2, 1)
    assert action.params["tag"] == vip.pk


def test_the_change_is_in_each_changed_clients_history_by_the_actor(org, everyone):
    TagFactory(name="wine")
    org.team_client.tags.set([TagFactory(name="beer")])

    add_tag_to_segment(actor=org.lead, segment=everyone, tag="wine")

    latest = get_client_history(org.team_client)[0]
    assert latest["record"].history_user == org.lead
    assert latest["fields"] == [{"field": "tags", "old": "beer", "new": "beer, wine"}]
    # The next edit of the client does not show the tag as its own change.
    org.team_client.city = "Kaunas"
    org.team_client._history_user = org.manager
    org.team_client.save()
    assert get_client_history(org.team_client)[0]["fields"] == [{"field": "city", "old": "Vilnius", "new": "Kaunas"}]


def test_removing_untags_only_the_members_that_have_it(org, everyone):
    wine, beer = TagFactory(name="wine"), TagFactory(name="beer")
    org.client.tags.set([wine, beer])
    org.foreign_client.tags.set([wine])

    action = remove_tag_from_segment(actor=org.lead, segment=everyone, tag="wine")

    assert [tag_names(c) for c in (org.client, org.team_client, org.foreign_client)] == [["beer"], [], ["wine"]]
    assert (action.kind, action.matched, action.changed, action.skipped) == ("remove_tag", 2, 1, 1)
    assert get_client_history(org.client)[0]["fields"] == [{"field": "tags", "old": "beer, wine", "new": "beer"}]


def test_removing_a_tag_nobody_has_is_refused_and_records_nothing(org, everyone):
    with pytest.raises(ApplicationError) as refused:
        remove_tag_from_segment(actor=org.admin, segment=everyone, tag="no such tag")

    assert (refused.value.field, refused.value.message) == ("tag", "There is no tag with this name.")
    assert BulkAction.objects.count() == 0


@pytest.mark.parametrize("name", ["", "   "])
def test_a_tag_without_a_name_is_refused(org, everyone, name):
    with pytest.raises(ApplicationError) as refused:
        add_tag_to_segment(actor=org.admin, segment=everyone, tag=name)

    assert refused.value.field == "tag"
    assert BulkAction.objects.count() == 0


def test_a_manager_may_not_act_on_a_segment_and_nothing_changes(org, everyone):
    TagFactory(name="wine")
    for act in (
        lambda: add_tag_to_segment(actor=org.manager, segment=everyone, tag="vip"),
        lambda: remove_tag_from_segment(actor=org.manager, segment=everyone, tag="wine"),
        lambda: send_survey_to_segment(actor=org.manager, segment=everyone, template=survey_template("CSAT")),
    ):
        with pytest.raises(ApplicationError, match="Only team leads and administrators"):
            act()

    assert tag_names(org.client) == []
    assert (BulkAction.objects.count(), SurveyRequest.objects.count()) == (0, 0)


def test_a_lead_whose_team_has_no_member_is_refused(org):
    ClientFactory(name="Far VIP", tier=Tier.VIP, account_manager=org.outsider)
    vips = SegmentFactory(
        name="VIP", rules={"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}
    )

    with pytest.raises(ApplicationError, match="no clients you can act on"):
        add_tag_to_segment(actor=org.lead, segment=vips, tag="vip")

    assert BulkAction.objects.count() == 0


# --- surveys -------------------------------------------------------------------------------------


@pytest.fixture
def primaries(org):
    """Primary contacts of the lead's two clients and of the foreign one; a second, non-primary contact too."""
    own = ContactFactory(client=org.client, full_name="Ona Own", is_primary=True, language="lt")
    ContactFactory(client=org.client, full_name="Second Person")
    team = ContactFactory(client=org.team_client, full_name="Tadas Team", is_primary=True, survey_opt_out=True)
    ContactFactory(client=org.foreign_client, full_name="Fiona Foreign", is_primary=True)
    return own, team


def requests():
    return list(
        SurveyRequest.objects.order_by("contact__full_name").values_list(
            "contact__full_name", "trigger", "template__name", "language", "status", "requested_by__full_name"
        )
    )


def test_a_segment_survey_asks_each_member_clients_primary_contact_once(
    org, everyone, primaries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = send_survey_to_segment(actor=org.lead, segment=everyone, template=survey_template("NPS"))

    assert requests() == [
        ("Ona Own", TriggerKind.MANUAL, "NPS", "lt", SurveyStatus.SCHEDULED, "Lina Lead"),
        ("Tadas Team", TriggerKind.MANUAL, "NPS", "en", SurveyStatus.SCHEDULED, "Lina Lead"),
    ]
    own, team = primaries
    assert sorted(SurveyRequest.objects.values_list("source_key", flat=True)) == sorted(
        [f"segment-action:{action.pk}:{own.pk}", f"segment-action:{action.pk}:{team.pk}"]
    )
    action.refresh_from_db()
    assert (action.kind, action.status, action.matched, action.changed, action.skipped) == (
        "send_survey",
        "done",
        2,
        2,
        0,
    )
    assert action.params["template_name"] == "NPS"


def test_the_survey_task_run_again_writes_nothing_more(org, everyone, primaries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = send_survey_to_segment(actor=org.admin, segment=everyone, template=survey_template("CSAT"))
    before = requests()

    write_segment_survey_requests_task.delay(action.pk)
    write_segment_survey_requests_task.delay(action.pk)

    assert requests() == before
    assert len(before) == 3
    action.refresh_from_db()
    assert (action.matched, action.changed, action.skipped) == (3, 3, 0)


def test_survey_requests_are_written_in_batches_and_each_contact_once(org, everyone, primaries):
    ClientFactory(name="No Contact UAB", account_manager=org.manager)
    action = send_survey_to_segment(actor=org.lead, segment=everyone, template=survey_template("CSAT"))

    runs = [write_survey_requests(action.pk, batch=1) for _ in range(3)]

    assert runs == [True, True, False]
    assert SurveyRequest.objects.count() == 2
    assert write_survey_requests(action.pk, batch=1) is False  # done: nothing more
    action.refresh_from_db()
    assert (action.status, action.matched, action.changed, action.skipped) == ("done", 3, 2, 1)


def test_the_usual_rules_apply_when_the_segment_survey_is_sent(org, everyone, primaries):
    with frozen(TUE):
        action = send_survey_to_segment(actor=org.lead, segment=everyone, template=survey_template("CSAT"))
        write_survey_requests(action.pk)
        for request in SurveyRequest.objects.all():
            deliver_survey(request.pk, now=TUE)

    assert dict(SurveyRequest.objects.values_list("contact__full_name", "suppressed_reason")) == {
        "Ona Own": "",
        "Tadas Team": SuppressedReason.OPTED_OUT,
    }
    assert dict(SurveyRequest.objects.values_list("contact__full_name", "status")) == {
        "Ona Own": SurveyStatus.SENT,
        "Tadas Team": SurveyStatus.SUPPRESSED,
    }


def test_a_switched_off_survey_is_refused(org, everyone, primaries):
    template = survey_template("CSAT")
    template.is_active = False
    template.save()

    with pytest.raises(ApplicationError) as refused:
        send_survey_to_segment(actor=org.admin, segment=everyone, template=template)

    assert refused.value.field == "template"
    assert (BulkAction.objects.count(), SurveyRequest.objects.count()) == (0, 0)
