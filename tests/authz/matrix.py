"""The authorization matrix: every URL name of the URL conf × every role, with the status each must get.

The rules (README, "Demo logins"; DESIGN principle 3): a manager sees and edits only the clients assigned to them
(and their team's, read-only); a team lead sees and edits the team's; an admin sees all. What a user may not see is
a 404 (its existence stays secret), an action they may not take on what they see is a 403, a signed-out visitor is
sent to sign in (pages) or gets 401 (API). Every record of the world hangs off the owner's client
(tests/authz/world.py); the test is tests/test_authorization_matrix.py.

Writes (POST, PATCH, DELETE) are sent with empty or invalid data, so that even an allowed one changes nothing: its
cell is the status of the refusal of that input (a form shown again, a 400). A write that would change something
whatever the input (a delete, "mark done") is ALLOWED: documented here, not sent.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROLES = (
    "anonymous",
    "other_team_manager",
    "same_team_manager",
    "owner",
    "other_team_lead",
    "team_lead",
    "admin",
)


class _Sentinel:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return self.name


LOGIN = _Sentinel("LOGIN")  # 302 to /accounts/login/?next=<the page asked for>
ALLOWED = _Sentinel("ALLOWED")  # an allowed write that would change something: not sent


@dataclass(frozen=True)
class Redirect:
    """302 to a location starting with `to` (exactly `to` when `exact`)."""

    to: str
    exact: bool = False

    def matches(self, location: str) -> bool:
        return location == self.to if self.exact else location.startswith(self.to)


# The rows of the table, one status per role, in ROLES order.
# fmt: off
#                   anonymous  other team's  same team's  owner  other team's  team   admin
#                              manager       manager             lead          lead
SIGNED_IN        = (LOGIN,     200,          200,         200,   200,          200,   200)
SEES_CLIENT      = (LOGIN,     404,          200,         200,   404,          200,   200)
EDITS_CLIENT     = (LOGIN,     404,          403,         200,   404,          200,   200)
LEADS_AND_ADMINS = (LOGIN,     403,          403,         403,   200,          200,   200)
# Reassigning a client: leads within their team and admins; the owner may not give a client away.
REASSIGNS_CLIENT = (LOGIN,     404,          403,         403,   404,          200,   200)
# Records a lead made (bulk actions, announcements, handovers): that lead and admins; another lead 404, managers 403.
LEADS_RECORD     = (LOGIN,     403,          403,         403,   404,          200,   200)
# A team named in the query: its lead and admins; another lead 404 (the team's existence stays secret).
LEADS_TEAM       = (LOGIN,     403,          403,         403,   404,          200,   200)
ADMINS           = (LOGIN,     403,          403,         403,   403,          403,   200)
# Personal data of a contact: admins only, and a contact the user cannot see stays a 404.
ADMINS_ON_CLIENT = (LOGIN,     404,          403,         403,   404,          403,   200)
# The owner's own inbox: nobody else's business, not even an admin's.
OWNERS_OWN       = (LOGIN,     404,          404,         200,   404,          404,   404)
PUBLIC           = (200,       200,          200,         200,   200,          200,   200)
# fmt: on


def api(row: tuple) -> tuple:
    """The same row for the REST API: a signed-out client gets 401 (token authentication comes first)."""
    return tuple(401 if cell is LOGIN else cell for cell in row)


def allowing(row: tuple, ok) -> tuple:
    """The row with each 200 (allowed) replaced by what the write with harmless data answers, or ALLOWED."""
    return tuple(ok if cell == 200 else cell for cell in row)


Value = Any | Callable[[Any], Any]  # a constant, or a function of the world


@dataclass(frozen=True)
class Check:
    """One request to a URL name, and the expected outcome per role (in ROLES order)."""

    expect: tuple
    method: str = "GET"
    target: str | None = None  # the world attribute whose pk (or token, if a str) fills the URL
    query: Value = None
    data: Value = None
    label: str = ""  # tells several checks of one URL name apart in the test id
    path: str | None = None  # for a route without a name
    # The owner's client name may appear to anyone (a secret-token link shows the owner's data to its holder).
    reveals_client: bool = False
    # The answer lists the owner's client to those who see it: proof that its absence for the others means something.
    shows_client: bool = False
    changes: tuple[str, ...] = ()  # tables a write may change even so (signing out is audited)

    def __post_init__(self):
        assert len(self.expect) == len(ROLES), self.expect


def get(expect, target=None, **kwargs) -> Check:
    return Check(expect=expect, target=target, **kwargs)


def post(expect, target=None, ok=ALLOWED, data=None, **kwargs) -> Check:
    return Check(expect=allowing(expect, ok), method="POST", target=target, data=data, **kwargs)


def patch(expect, target, data, ok=400, **kwargs) -> Check:
    return Check(expect=allowing(expect, ok), method="PATCH", target=target, data=data, **kwargs)


def delete(expect, target, **kwargs) -> Check:
    return Check(expect=allowing(expect, ALLOWED), method="DELETE", target=target, **kwargs)


def own_client(w) -> dict:
    return {"client": w.client.pk}


def north(w) -> dict:
    return {"team": w.north.pk}


MY_DAY = Redirect("/my-day/")
SIGN_IN_AGAIN = Redirect("/accounts/login/")
EVERYONE_REDIRECTED = (SIGN_IN_AGAIN,) * 7
# Django's own admin, seen from outside: its sign-in page sends everyone who is not staff away.
ADMIN_SITE = (Redirect("/admin/login/"),) * 6 + (200,)

MATRIX: dict[str, tuple[Check, ...]] = {
    # --- wiring --------------------------------------------------------------------------------------------------
    "home": (get((LOGIN, *(MY_DAY,) * 6)),),
    "healthz": (get(PUBLIC),),
    "search": (get(SIGNED_IN, query={"q": "UAB"}, shows_client=True),),
    # --- accounts ------------------------------------------------------------------------------------------------
    "accounts:login": (get((200, *(Redirect("/", exact=True),) * 6)),),
    "accounts:login_code": (get(EVERYONE_REDIRECTED),),  # no password step pending: back to the sign-in page
    "accounts:logout": (post(EVERYONE_REDIRECTED, changes=("accounts.AuditEvent",)),),
    "accounts:profile": (get(SIGNED_IN), post(SIGNED_IN, ok=200)),
    "accounts:two_factor_setup": (get(SIGNED_IN),),
    "accounts:two_factor_remove": (get(SIGNED_IN), post(SIGNED_IN, ok=400)),
    "accounts:set_language": (post((Redirect("/", exact=True),) * 7),),  # a cookie for visitors, the profile for users
    "accounts:audit": (get(ADMINS),),
    "accounts:audit_export": (get(ADMINS),),
    "accounts:password_change": (get(SIGNED_IN), post(SIGNED_IN, ok=200)),
    "accounts:password_change_done": (get(SIGNED_IN),),
    "accounts:password_reset": (get(PUBLIC), post(PUBLIC, ok=200)),
    "accounts:password_reset_done": (get(PUBLIC),),
    "accounts:password_reset_confirm": (get(PUBLIC, path="/accounts/password/reset/MQ/bogus-token/"),),
    "accounts:password_reset_complete": (get(PUBLIC),),
    # --- clients -------------------------------------------------------------------------------------------------
    "clients:list": (get(SIGNED_IN, shows_client=True),),
    "clients:create": (get(SIGNED_IN), post(SIGNED_IN, ok=200)),
    "clients:handover": (get(LEADS_AND_ADMINS), post(LEADS_AND_ADMINS, ok=200)),
    "clients:handover_detail": (get(LEADS_RECORD, "handover"),),
    "clients:detail": (get(SEES_CLIENT, "client", shows_client=True),),
    "clients:edit": (get(EDITS_CLIENT, "client"), post(EDITS_CLIENT, "client", ok=200)),
    "clients:reassign": (post(REASSIGNS_CLIENT, "client", ok=Redirect("/clients/")),),
    # --- contacts ------------------------------------------------------------------------------------------------
    "contacts:section": (get(SEES_CLIENT, "client"),),
    "contacts:create": (get(EDITS_CLIENT, "client"), post(EDITS_CLIENT, "client", ok=200)),
    "contacts:edit": (get(EDITS_CLIENT, "contact"), post(EDITS_CLIENT, "contact", ok=200)),
    "contacts:delete": (post(EDITS_CLIENT, "contact"),),
    "contacts:privacy": (get(ADMINS_ON_CLIENT, "contact"),),
    "contacts:privacy_export": (get(ADMINS_ON_CLIENT, "contact"),),
    "contacts:erase": (post(ADMINS_ON_CLIENT, "contact", ok=200),),  # without the typed name: shown again
    "contacts:client_export": (get(SIGNED_IN, shows_client=True),),  # visibility applies to the rows
    "contacts:client_import": (get(SIGNED_IN), post(SIGNED_IN, ok=200)),
    # --- orders --------------------------------------------------------------------------------------------------
    "orders:list": (get(SIGNED_IN, shows_client=True),),
    "orders:create": (
        get(SIGNED_IN, label="client picker"),
        get(EDITS_CLIENT, query=own_client, label="own client"),
        post(EDITS_CLIENT, data=own_client, ok=200, label="own client"),
    ),
    "orders:preview": (post(SIGNED_IN, ok=200),),
    "orders:line_form": (
        get(SIGNED_IN, query={"lines-TOTAL_FORMS": "1"}),
        get(SEES_CLIENT, query=lambda w: {"lines-TOTAL_FORMS": "1", "client": w.client.pk}, label="own client"),
    ),
    "orders:detail": (get(SEES_CLIENT, "order"),),
    "orders:edit": (get(EDITS_CLIENT, "order"), post(EDITS_CLIENT, "order", ok=200)),
    "orders:lines": (post(EDITS_CLIENT, "order", ok=200),),
    "orders:transition": (post(EDITS_CLIENT, "order", ok=Redirect("/orders/")),),
    "orders:attachment_upload": (post(EDITS_CLIENT, "order", ok=Redirect("/orders/")),),
    "orders:attachment_download": (get(SEES_CLIENT, "attachment"),),
    "orders:attachment_delete": (post(EDITS_CLIENT, "attachment"),),
    # --- complaints ----------------------------------------------------------------------------------------------
    "complaints:list": (get(SIGNED_IN, shows_client=True),),
    "complaints:mine": (get(SIGNED_IN),),
    "complaints:create": (get(EDITS_CLIENT, query=own_client), post(EDITS_CLIENT, data=own_client, ok=200)),
    "complaints:detail": (get(SEES_CLIENT, "complaint"),),
    "complaints:edit": (get(EDITS_CLIENT, "complaint"), post(EDITS_CLIENT, "complaint", ok=200)),
    "complaints:transition": (post(EDITS_CLIENT, "complaint", ok=200),),
    "complaints:note": (post(EDITS_CLIENT, "complaint", ok=200),),
    "complaints:reply": (post(EDITS_CLIENT, "complaint", ok=200),),
    "complaints:severity": (post(EDITS_CLIENT, "complaint", ok=Redirect("/complaints/")),),
    "complaints:reassign": (post(REASSIGNS_CLIENT, "complaint", ok=Redirect("/complaints/")),),
    # --- feedback: the public survey pages (the token is the key) and the staff pages ----------------------------
    "feedback:answer": (get(PUBLIC, "survey_token"),),
    "feedback:unsubscribe": (get(PUBLIC, "survey_unsubscribe_token"),),
    "surveys:answers": (get(SIGNED_IN, shows_client=True),),
    "surveys:send": (post(EDITS_CLIENT, "client", ok=Redirect("/clients/")),),
    "surveys:action": (post(EDITS_CLIENT, "answer", ok=Redirect("/clients/")),),
    "surveys:cancel_link": (post(EDITS_CLIENT, "survey"),),
    # --- dashboards: leads (their team) and admins; another lead's team is a 404 ---------------------------------
    **{
        f"dashboards:{name}": (
            get(LEADS_AND_ADMINS),
            get(LEADS_TEAM, query=north, label="team North"),
        )
        for name in ("overview", "print", "export_kpis", "export_managers", "complaints", "feedback")
    },
    # --- segments: everyone uses the active ones, admins define them, leads and admins act on the members --------
    "segments:list": (get(SIGNED_IN),),
    "segments:create": (get(ADMINS), post(ADMINS, ok=200)),
    "segments:preview": (post(ADMINS, ok=200),),
    "segments:detail": (
        get(SIGNED_IN, "segment", shows_client=True),  # members among the clients the user sees
        get((LOGIN, 404, 404, 404, 404, 404, 200), "inactive_segment", label="switched off"),
    ),
    "segments:edit": (get(ADMINS, "segment"), post(ADMINS, "segment", ok=200)),
    "segments:delete": (get(ADMINS, "segment"), post(ADMINS, "segment")),
    "segments:tag_action": (get(LEADS_AND_ADMINS, "segment"), post(LEADS_AND_ADMINS, "segment", ok=200)),
    "segments:survey_action": (get(LEADS_AND_ADMINS, "segment"), post(LEADS_AND_ADMINS, "segment", ok=200)),
    "segments:announcement_create": (
        get(LEADS_AND_ADMINS, "segment"),
        post(LEADS_AND_ADMINS, "segment", ok=200),
    ),
    "segments:action": (get(LEADS_RECORD, "bulk_action"),),
    "segments:announcement": (get(LEADS_RECORD, "announcement"),),
    "segments:unsubscribe": (get(PUBLIC, "announcement_unsubscribe_token"),),
    # --- health: a client's health follows the client (recalculating: who may edit it); the settings: admins -----
    "health:client": (
        get(SEES_CLIENT, "client", shows_client=True),
        post(EDITS_CLIENT, "client"),  # recalculates whatever the input
    ),
    "health:settings": (get(ADMINS), post(ADMINS, ok=200)),  # empty values: the form again, nothing saved
    # --- interactions, follow-ups, notifications, calendar -------------------------------------------------------
    "interactions:my_day": (get(SIGNED_IN),),
    "interactions:list": (get(SIGNED_IN, shows_client=True),),
    "interactions:timeline": (get(SEES_CLIENT, "client"),),
    "interactions:quick_log": (post(EDITS_CLIENT, "client", ok=Redirect("/clients/")),),
    "interactions:create": (get(EDITS_CLIENT, "client"), post(EDITS_CLIENT, "client", ok=200)),
    # Entries are edited by their author, the author's lead and admins (the owner logged this one).
    "interactions:edit": (get(EDITS_CLIENT, "interaction"), post(EDITS_CLIENT, "interaction", ok=200)),
    "interactions:complete": (get(EDITS_CLIENT, "interaction"), post(EDITS_CLIENT, "interaction", ok=200)),
    "interactions:delete": (post(EDITS_CLIENT, "interaction"),),
    "interactions:follow_up_list": (get(SIGNED_IN),),
    "interactions:follow_up_create": (get(EDITS_CLIENT, "client"), post(EDITS_CLIENT, "client", ok=200)),
    # Follow-ups are changed by the assignee (the owner), their lead and admins.
    "interactions:follow_up_done": (post(EDITS_CLIENT, "follow_up"),),
    "interactions:follow_up_cancel": (post(EDITS_CLIENT, "follow_up"),),
    "interactions:follow_up_reopen": (post(EDITS_CLIENT, "follow_up"),),
    "interactions:follow_up_reschedule": (get(EDITS_CLIENT, "follow_up"), post(EDITS_CLIENT, "follow_up", ok=200)),
    "interactions:notifications": (get(SIGNED_IN),),
    # Polled by htmx: a signed-out page gets "nothing to swap" instead of a sign-in page.
    "interactions:notification_badge": (get((204, *(200,) * 6)),),
    "interactions:notification_read": (post(OWNERS_OWN, "notification"),),
    "interactions:notification_read_all": (post(SIGNED_IN),),  # the user's own notifications only
    # No sign-in (calendar apps cannot): whoever holds the owner's secret link reads the owner's feed.
    "interactions:calendar_feed": (
        get(PUBLIC, "calendar_token", reveals_client=True),
        get((404,) * 7, path="/calendar/not-a-token.ics", label="unknown token"),
    ),
    "interactions:calendar_regenerate": (post(SIGNED_IN),),  # the user's own link
    "interactions:calendar_revoke": (post(SIGNED_IN),),
    # --- REST API (api/v1/) --------------------------------------------------------------------------------------
    "api-root": (get(api(SIGNED_IN)),),
    "api-token": (post(PUBLIC, ok=400),),  # no e-mail, no password: refused for everyone
    "api-client-list": (get(api(SIGNED_IN), shows_client=True), post(api(SIGNED_IN), ok=400)),
    "api-client-handover": (post(api(LEADS_AND_ADMINS), ok=400),),
    "api-client-detail": (
        get(api(SEES_CLIENT), "client", shows_client=True),
        patch(api(EDITS_CLIENT), "client", {"name": ""}),
    ),
    "api-contact-list": (get(api(SIGNED_IN)), post(api(SIGNED_IN), ok=400)),
    "api-contact-detail": (
        get(api(SEES_CLIENT), "contact"),
        patch(api(EDITS_CLIENT), "contact", {"full_name": ""}),
        delete(api(EDITS_CLIENT), "contact"),
    ),
    "api-contact-export": (get(api(ADMINS_ON_CLIENT), "contact"),),
    "api-contact-erase": (post(api(ADMINS_ON_CLIENT), "contact"),),
    "api-interaction-list": (get(api(SIGNED_IN)), post(api(SIGNED_IN), ok=400)),
    "api-interaction-detail": (
        get(api(SEES_CLIENT), "interaction"),
        patch(api(EDITS_CLIENT), "interaction", {"kind": "telepathy"}),
        delete(api(EDITS_CLIENT), "interaction"),
    ),
    "api-interaction-complete": (post(api(EDITS_CLIENT), "interaction", ok=400),),
    "api-follow-up-list": (get(api(SIGNED_IN)), post(api(SIGNED_IN), ok=400)),
    "api-follow-up-detail": (get(api(SEES_CLIENT), "follow_up"),),
    "api-follow-up-cancel": (post(api(EDITS_CLIENT), "follow_up"),),
    "api-follow-up-done": (post(api(EDITS_CLIENT), "follow_up"),),
    "api-follow-up-reopen": (post(api(EDITS_CLIENT), "follow_up"),),
    "api-notification-list": (get(api(SIGNED_IN)),),
    "api-notification-read-all": (post(api(SIGNED_IN)),),
    "api-notification-detail": (get(api(OWNERS_OWN), "notification"),),
    "api-notification-read": (post(api(OWNERS_OWN), "notification"),),
    "api-product-list": (get(api(SIGNED_IN)), post(api(ADMINS), ok=400)),
    "api-product-detail": (get(api(SIGNED_IN), "product"), patch(api(ADMINS), "product", {"name": ""})),
    "api-order-list": (get(api(SIGNED_IN), shows_client=True), post(api(SIGNED_IN), ok=400)),
    "api-order-detail": (get(api(SEES_CLIENT), "order"), patch(api(EDITS_CLIENT), "order", {"currency": "XXX"})),
    "api-order-transition": (post(api(EDITS_CLIENT), "order", ok=400),),
    "api-complaint-list": (get(api(SIGNED_IN)), post(api(SIGNED_IN), ok=400)),
    "api-complaint-detail": (
        get(api(SEES_CLIENT), "complaint"),
        patch(api(EDITS_CLIENT), "complaint", {"subject": ""}),
    ),
    "api-complaint-activities": (get(api(SEES_CLIENT), "complaint"), post(api(EDITS_CLIENT), "complaint", ok=400)),
    "api-complaint-transition": (post(api(EDITS_CLIENT), "complaint", ok=400),),
    "api-complaint-category-list": (get(api(SIGNED_IN)),),
    "api-root-cause-list": (get(api(SIGNED_IN)),),
    "api-survey-request-list": (get(api(SIGNED_IN)),),
    "api-survey-request-detail": (get(api(SEES_CLIENT), "survey"),),
    "api-survey-response-list": (get(api(SIGNED_IN)),),
    "api-survey-response-detail": (get(api(SEES_CLIENT), "answer"),),
    # Definitions are shared (every segment, active or not), members limited to the clients the user sees.
    "api-segment-list": (get(api(SIGNED_IN)), post(api(ADMINS), ok=400)),
    "api-segment-preview": (post(api(ADMINS), ok=400),),
    "api-segment-detail": (
        get(api(SIGNED_IN), "segment"),
        # Unlike the page, the API shares switched-off definitions too (tests/segments/test_api.py): no client in them.
        get(api(SIGNED_IN), "inactive_segment", label="switched off"),
        patch(api(ADMINS), "segment", {"name": ""}),
        delete(api(ADMINS), "segment"),
    ),
    "api-segment-clients": (get(api(SIGNED_IN), "segment", shows_client=True),),
    "api-segment-action-list": (get(api(LEADS_AND_ADMINS)), post(api(LEADS_AND_ADMINS), ok=400)),
    "api-segment-action-detail": (get(api(LEADS_RECORD), "bulk_action"),),
    "api-announcement-list": (get(api(LEADS_AND_ADMINS)), post(api(LEADS_AND_ADMINS), ok=400)),
    "api-announcement-detail": (get(api(LEADS_RECORD), "announcement"),),
    "api-dashboard-list": (
        get(api(LEADS_AND_ADMINS)),
        get(api(LEADS_TEAM), query=north, label="team North"),
    ),
    "api-client-health": (get(api(SEES_CLIENT), "client"),),
    "api-client-health-recompute": (post(api(EDITS_CLIENT), "client"),),  # recomputes whatever the input
    "api-health-settings": (
        get(api(ADMINS)),
        Check(expect=allowing(api(ADMINS), 400), method="PUT", data={}),  # no values: refused for everyone
    ),
    "api-audit-event-list": (get(api(ADMINS)),),
    "api-audit-event-detail": (get(api(ADMINS), "audit_event"),),
    # The API's description is public: it names the endpoints, never a record.
    "schema": (get(PUBLIC),),
    "api-docs": (get(PUBLIC),),
    "api-redoc": (get(PUBLIC),),
    # --- Django's admin (the rest of the namespace: SKIP_NAMESPACES) ---------------------------------------------
    "admin:index": (get(ADMIN_SITE),),
    # The admin's sign-in page is the site's (second factor, throttling): visitors go there, staff to the index.
    "admin/login/": (
        get((Redirect("/accounts/login/"), 403, 403, 403, 403, 403, Redirect("/admin/")), path="/admin/login/"),
    ),
}

# Namespaces left out of the matrix, with the reason. Anything else without an entry fails the test.
SKIP_NAMESPACES = {
    # Django's admin checks is_staff (admins only) on every one of its pages itself; its index and sign-in are in
    # the matrix above, and its model pages change with every ModelAdmin registered.
    "admin": "Django's own staff check",
}
SKIP: dict[str, str] = {}
