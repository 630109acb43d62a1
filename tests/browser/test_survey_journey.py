"""A client answers an NPS survey from the e-mail link, and the team lead sees the NPS move."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import SurveyResponse, SurveyTemplate, TriggerKind
from feedback.services.delivery import deliver_survey
from feedback.services.scheduling import schedule_survey
from tests.factories.accounts import PASSWORD, ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import ensure_survey_defaults

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _inside_sending_window() -> datetime:
    """A recent weekday at 10:00 in Vilnius, when survey e-mails may go out."""
    day = timezone.localtime(timezone.now() - timedelta(days=1))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


def test_client_answers_nine_with_a_comment_and_the_lead_sees_nps_change(live_server, page, sign_in, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = live_server.url
    ensure_survey_defaults()
    team = TeamFactory(name="North")
    lead = TeamLeadFactory(full_name="Lina Lead", team=team, language="en")
    team.lead = lead
    team.save()
    manager = ManagerFactory(full_name="Mantas Owner", team=team)
    client = ClientFactory(name="Baltic Timber UAB", account_manager=manager, country="LT")
    contact = ContactFactory(client=client, full_name="Rūta Petraitė", language="en", is_primary=True)

    sign_in(lead, PASSWORD)
    page.goto(live_server.url + "/dashboards/feedback/")
    nps_tile = page.locator("#feedback-kpi-nps .analysis-value")
    expect(nps_tile).to_have_text(re.compile("—"))

    now = _inside_sending_window()
    survey = schedule_survey(
        trigger=TriggerKind.MANUAL,
        contact=contact,
        source_key="manual:browser-test",
        at=now,
        template=SurveyTemplate.objects.get(kind="nps"),
    )
    assert deliver_survey(survey.pk, now=now)
    link = re.search(r"(http://\S+/s/\S+/\?score=9)\b", mail.outbox[-1].body).group(1)

    page.context.clear_cookies()  # the client is not signed in
    page.goto(link)
    expect(page.locator("legend")).to_contain_text("recommend us")
    expect(page.locator("input[name=score][value='9']")).to_be_checked()
    assert not SurveyResponse.objects.exists()  # opening the link records nothing
    page.fill("#comment", "Quick answers, reliable deliveries.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("h1")).to_contain_text("Thank you")
    assert SurveyResponse.objects.get().score == 9

    sign_in(lead, PASSWORD)
    page.goto(live_server.url + "/dashboards/feedback/")
    # The figures of the first look are kept for a few minutes; Refresh reads the new answer at once.
    expect(nps_tile).to_have_text(re.compile("—"))
    page.get_by_role("link", name="Refresh").click()
    expect(nps_tile).to_have_text(re.compile("100"))
    expect(page.locator("body")).to_contain_text("Quick answers, reliable deliveries.")
