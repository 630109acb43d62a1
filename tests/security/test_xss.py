"""Stored XSS: script and attribute-breaking payloads typed into every free-text field, through the forms and the
API, come out of every page, fragment and e-mail that shows them as text, never as markup.

The check parses each page (html.parser), so an escaped payload passes and a payload that broke out fails:
no executable <script> holding the payload, no event-handler attribute (on*, hx-on*) carrying it, no link or form
target with a javascript: URL, no <img src=x> it would have made. Each page must also show the payload as text,
so that a page which stopped rendering the data would not pass by showing nothing.
"""

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from complaints.models import Complaint, ComplaintCategory
from contacts.models import Contact
from dashboards.services.reports import create_due_weekly_reports, list_unsent_weekly_reports, send_weekly_report
from feedback.models import SurveyStatus
from feedback.services.delivery import deliver_survey
from interactions.models import FollowUp
from orders.models import Order
from segments.bulk.delivery import deliver_announcement_batch
from segments.models import Announcement, Segment
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, make_sent_survey, survey_template

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
QUOTE = "'-alert(1)-'"
PAYLOAD = f"{BREAKOUT}{SCRIPT}{QUOTE}"  # 69 characters: fits every free-text field
MARK = "alert(1)"  # what every payload carries
HOUR = timedelta(hours=1)
EXECUTABLE_SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "hx-get", "hx-post", "poster", "data")


class _Scan(HTMLParser):
    """Reads a page as a browser would and notes where a payload would run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.shown = False  # the payload appears as text or as an attribute's value
        self._script: str | None = None  # the type of the <script> being read, None outside one
        self._script_text = ""

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.shown |= MARK in value
            if (name.startswith(("on", "hx-on", "data-hx-on")) or name == "hx-vals") and MARK in value:
                self.problems.append(f"<{tag} {name}={value!r}>: an event handler carries the payload")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>: a script URL")
            if name == "hx-vals" and value.strip().lower().startswith(("js:", "javascript:")):
                self.problems.append(f"<{tag} {name}={value!r}>: hx-vals evaluated as script")
        if tag == "img" and ("src", "x") in attrs:
            self.problems.append("<img src=x>: the payload's image tag was made")
        if tag == "script":
            self._script, self._script_text = (dict(attrs).get("type") or "").lower(), ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag != "script" or self._script is None:
            return
        text, kind = self._script_text, self._script
        if kind in EXECUTABLE_SCRIPT_TYPES and MARK in text:
            self.problems.append(f"<script>{text[:80]!r}: an executable script holds the payload")
        elif kind == "application/json" and text.strip():
            json.loads(text)  # json_script data: still one JSON value (a breakout would cut it short)
            self.shown |= MARK in text
        self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text += data
        else:
            self.shown |= MARK in data


def assert_escaped(html: str, where: str, *, shown: bool = True) -> None:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    assert scan.problems == [], where
    # the raw markup, as a second net
    assert SCRIPT not in html, where
    assert "<img src=x onerror" not in html, where
    if shown:
        assert scan.shown, f"{where}: the payload is not shown at all, so this page proves nothing"


def get_html(http, url: str, *, where: str = "", **headers) -> str:
    response = http.get(url, **headers)
    assert response.status_code == 200, (where or url, response.status_code)
    assert response["Content-Type"].startswith("text/html"), where or url
    return response.content.decode()


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


# --- storing the payloads -----------------------------------------------------------------------------------------


@pytest.fixture
def stored(org, as_user, as_api_user, client, settings):
    """PAYLOAD in every free-text field: the client through its form, the rest through the API and the forms
    a person uses (quick log, complaint reply, survey answer, handover, segment builder, announcement)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org.north.name = PAYLOAD[:100]
    org.north.save()

    manager = as_user(org.manager)
    response = manager.post(
        reverse("clients:create"),
        {
            "name": PAYLOAD,
            "registration_code": "XSS-1",
            "tier": "standard",
            "status": "active",
            "industry": "retail",
            "country": "LT",
            "city": PAYLOAD,
            "address": PAYLOAD,
            "website": 'https://example.com/?q="><svg/onload=alert(1)>',  # a web address has no spaces
            "tags": f"{SCRIPT}, {BREAKOUT}",
            "notes": PAYLOAD,
            "source": "referral",
            "discount_percent": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    org.xss = Client.objects.get(registration_code="XSS-1")

    api = as_api_user(org.manager)
    org.contact = created(
        api.post(
            "/api/v1/contacts/",
            {
                "client": org.xss.pk,
                "full_name": PAYLOAD,
                "position": PAYLOAD,
                "email": "anna@example.com",
                "is_primary": True,
                "language": "en",
            },
            format="json",
        )
    )
    created(
        api.post(
            "/api/v1/interactions/",
            {
                "client": org.xss.pk,
                "contacts": [org.contact["id"]],
                "kind": "call",
                "direction": "outbound",
                "subject": PAYLOAD,
                "notes": PAYLOAD,
                "occurred_at": (timezone.now() - HOUR).isoformat(),
            },
            format="json",
        )
    )
    quick = manager.post(reverse("interactions:quick_log", args=[org.xss.pk]), {"kind": "call", "notes": PAYLOAD})
    assert quick.status_code in (200, 302)
    created(
        api.post(
            "/api/v1/follow-ups/",
            {
                "client": org.xss.pk,
                "title": PAYLOAD,
                "due_at": (timezone.now() - 2 * HOUR).isoformat(),
            },
            format="json",
        )
    )
    org.order = created(
        api.post(
            "/api/v1/orders/",
            {
                "client": org.xss.pk,
                "currency": "EUR",
                "notes": PAYLOAD,
                "lines": [{"description": PAYLOAD, "quantity": "1", "unit_price": "10.00"}],
            },
            format="json",
        )
    )
    category = ComplaintCategory.objects.filter(is_active=True).first()
    org.complaint = created(
        api.post(
            "/api/v1/complaints/",
            {"client": org.xss.pk, "category": category.pk, "subject": PAYLOAD, "description": PAYLOAD},
            format="json",
        )
    )
    created(
        api.post(
            f"/api/v1/complaints/{org.complaint['id']}/activities/", {"kind": "note", "body": PAYLOAD}, format="json"
        )
    )
    reply = manager.post(reverse("complaints:reply", args=[org.complaint["id"]]), {"kind": "email", "body": PAYLOAD})
    assert reply.status_code == 302

    # The contact answers a survey on the public page, with the payload as their comment.
    request, token = make_sent_survey(
        sent_at=timezone.now() - HOUR,
        contact=Contact.objects.get(pk=org.contact["id"]),
        client=org.xss,
        template=survey_template("NPS"),
        kind="nps",
    )
    client.logout()
    answer = client.post(reverse("feedback:answer", args=[token]), {"score": "2", "comment": PAYLOAD})
    assert answer.status_code == 200
    request.refresh_from_db()
    assert request.status == SurveyStatus.ANSWERED

    # An admin defines a segment and announces to it; a lead hands the client over with a note.
    admin_api = as_api_user(org.admin)
    org.segment = created(
        admin_api.post(
            "/api/v1/segments/",
            {
                "name": PAYLOAD,
                "description": PAYLOAD,
                "rules": {"op": "and", "rules": [{"field": "city", "operator": "contains", "value": PAYLOAD}]},
            },
            format="json",
        )
    )
    org.announcement = created(
        admin_api.post(
            "/api/v1/announcements/",
            {"segment": org.segment["id"], "kind": "update", "subject_en": PAYLOAD, "body_en": PAYLOAD},
            format="json",
        )
    )
    handover = admin_api.post(
        "/api/v1/clients/handover/",
        {"manager": org.teammate.pk, "clients": [org.xss.pk], "note": PAYLOAD},
        format="json",
    )
    assert handover.status_code in (200, 201), handover.content
    org.handover = handover.json()
    return org


def test_every_field_kept_the_payload_as_typed(stored):
    """Nothing was cleaned or dropped on the way in: escaping is the output's job."""
    client = Client.objects.get(pk=stored.xss.pk)
    assert (client.name, client.city, client.address, client.notes) == (PAYLOAD,) * 4
    assert sorted(client.tags.values_list("name", flat=True)) == sorted([SCRIPT, BREAKOUT])
    assert FollowUp.objects.filter(client=client, title=PAYLOAD).count() == 1
    assert Order.objects.get(pk=stored.order["id"]).lines.get().description == PAYLOAD
    assert Complaint.objects.get(pk=stored.complaint["id"]).description == PAYLOAD
    assert Segment.objects.get(pk=stored.segment["id"]).description == PAYLOAD
    assert Announcement.objects.get(pk=stored.announcement["id"]).body_en == PAYLOAD


# --- rendering them -----------------------------------------------------------------------------------------------


def staff_pages(org) -> list[tuple[str, str]]:
    """(who, url) for every page and fragment that shows the stored fields."""
    xss, complaint, order = org.xss.pk, org.complaint["id"], org.order["id"]
    segment, announcement = org.segment["id"], org.announcement["id"]
    return [
        ("owner", reverse("clients:list")),
        ("owner", reverse("clients:detail", args=[xss])),
        ("owner", reverse("clients:edit", args=[xss])),
        ("owner", reverse("contacts:section", args=[xss])),
        ("owner", reverse("interactions:timeline", args=[xss])),
        ("owner", reverse("interactions:my_day")),
        ("owner", reverse("interactions:list")),
        ("owner", reverse("interactions:follow_up_list") + "?state=overdue"),
        ("owner", reverse("interactions:notifications")),
        ("owner", reverse("orders:list")),
        ("owner", reverse("orders:detail", args=[order])),
        ("owner", reverse("orders:edit", args=[order])),
        ("owner", reverse("complaints:list")),
        ("owner", reverse("complaints:mine")),
        ("owner", reverse("complaints:detail", args=[complaint])),
        ("owner", reverse("complaints:edit", args=[complaint])),
        ("owner", reverse("search") + "?q=onerror"),
        ("lead", reverse("surveys:answers")),
        ("lead", reverse("dashboards:overview")),
        ("lead", reverse("dashboards:print")),
        ("lead", reverse("dashboards:feedback")),
        ("lead", reverse("dashboards:complaints")),
        ("admin", reverse("clients:list") + f"?segment={segment}"),
        ("admin", reverse("segments:list")),
        ("admin", reverse("segments:detail", args=[segment])),
        ("admin", reverse("segments:edit", args=[segment])),
        ("admin", reverse("segments:announcement", args=[announcement])),
        ("admin", reverse("clients:handover_detail", args=[org.handover["id"]])),
        ("manager", reverse("interactions:notifications")),  # the handover's notice to the former manager
    ]


def test_every_page_shows_the_payloads_as_text(stored, as_user):
    # "owner": the teammate the client was handed over to; "manager": who logged everything before the handover
    users = {"owner": stored.teammate, "manager": stored.manager, "lead": stored.lead, "admin": stored.admin}
    for who, url in staff_pages(stored):
        http = as_user(users[who])
        assert_escaped(get_html(http, url, where=f"{who} {url}"), f"{who} {url}")


def test_htmx_fragments_show_the_payloads_as_text(stored, as_user):
    http = as_user(stored.teammate)
    fragments = [
        reverse("search") + "?q=onerror",  # the header's dropdown
        reverse("clients:list") + "?q=onerror",
        reverse("interactions:timeline", args=[stored.xss.pk]) + "?page=1",
        reverse("interactions:my_day"),
        reverse("orders:list"),
        reverse("complaints:list"),
    ]
    for url in fragments:
        assert_escaped(get_html(http, url, HTTP_HX_REQUEST="true"), f"htmx {url}")


def test_the_public_survey_page_shows_the_comment_as_text(stored, client):
    _request, token = make_sent_survey(
        sent_at=timezone.now() - HOUR,
        contact=Contact.objects.get(pk=stored.contact["id"]),
        client=stored.xss,
        template=survey_template("CSAT"),
        kind="csat",
    )
    client.post(reverse("feedback:answer", args=[token]), {"score": "1", "comment": PAYLOAD})

    html = get_html(client, reverse("feedback:answer", args=[token]))  # the answer, shown again to change it

    assert_escaped(html, "survey answer page")


def test_the_browsable_api_shows_the_payloads_as_text(stored, as_user):
    http = as_user(stored.teammate)
    for url in (f"/api/v1/clients/{stored.xss.pk}/", "/api/v1/interactions/", f"/api/v1/orders/{stored.order['id']}/"):
        assert_escaped(get_html(http, url, HTTP_ACCEPT="text/html"), f"browsable {url}")


def test_exports_are_attachments_never_pages(stored, as_user):
    """A CSV holds the payload as it was typed (spreadsheets do not run HTML); it is never served as a page."""
    http = as_user(stored.lead)
    for url in (
        reverse("contacts:client_export"),
        reverse("dashboards:export_kpis"),
        reverse("dashboards:export_managers"),
    ):
        response = http.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv"), url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["X-Content-Type-Options"] == "nosniff", url


def test_html_e_mails_show_the_payloads_as_text(stored):
    """The e-mails with an HTML part: the announcement, a survey to a contact and client named with the payload, and
    the team leads' weekly reports (the team's name). Their HTML escapes; subjects are plain text headers."""
    mail.outbox = []
    deliver_announcement_batch(stored.announcement["id"])
    # a client without an open complaint, which would hold the survey back
    surveyed = ClientFactory(name=PAYLOAD, account_manager=stored.teammate)
    survey = SurveyRequestFactory(contact=ContactFactory(client=surveyed, full_name=PAYLOAD, email="ben@example.com"))
    wednesday = datetime(2031, 1, 8, 10, tzinfo=ZoneInfo("Europe/Vilnius"))
    assert deliver_survey(survey.pk, now=wednesday)
    monday = datetime(2031, 1, 6, 9, tzinfo=ZoneInfo(stored.lead.time_zone))
    create_due_weekly_reports(now=monday)
    for report_id in list_unsent_weekly_reports(now=monday):
        send_weekly_report(report_id=report_id, now=monday)

    html_parts = {
        message.subject: content
        for message in mail.outbox
        for content, mimetype in message.alternatives
        if mimetype == "text/html"
    }
    for subject, html in html_parts.items():
        assert_escaped(html, f"e-mail {subject!r}", shown=False)
    showing = [subject for subject, html in html_parts.items() if MARK in html]
    # the announcement and North's report show it; the survey e-mail names no one, South's report not North
    assert (len(showing), len(html_parts)) == (2, 4), list(html_parts)


# --- links ---------------------------------------------------------------------------------------------------------


def link_targets(html: str) -> list[str]:
    class Links(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.found.append(dict(attrs).get("href") or "")

    parser = Links()
    parser.found = []
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>", "vbscript:x"]
)
def test_a_script_url_is_refused_as_a_website(org, as_user, as_api_user, website):
    form = as_user(org.manager).post(reverse("clients:edit", args=[org.client.pk]), {"name": "X", "website": website})
    api = as_api_user(org.manager).patch(f"/api/v1/clients/{org.client.pk}/", {"website": website}, format="json")

    assert "website" in form.context["form"].errors
    assert (api.status_code, list(api.json())) == (400, ["website"])
    assert Client.objects.get(pk=org.client.pk).website == ""


def test_a_website_that_is_no_web_address_is_shown_but_never_linked(org, as_user):
    """A row written around the forms (an old import, the shell) still cannot put a script link on the page."""
    Client.objects.filter(pk=org.client.pk).update(website="javascript:alert(1)")

    html = get_html(as_user(org.manager), reverse("clients:detail", args=[org.client.pk]))

    assert not [href for href in link_targets(html) if href.lower().startswith("javascript:")]
    assert "javascript:alert(1)" in html  # shown as text


def test_a_web_address_is_linked(org, as_user):
    Client.objects.filter(pk=org.client.pk).update(website="https://example.com/shop")

    html = get_html(as_user(org.manager), reverse("clients:detail", args=[org.client.pk]))

    assert "https://example.com/shop" in link_targets(html)
