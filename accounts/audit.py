"""The audit log: sign-ins, exports, bulk actions, handovers, permission changes and contact data requests.

Every app records its sensitive actions here through `record_audit` (accounts is the lowest domain app, so all
can). Sign-ins and permission changes are caught by receivers instead (connected in AccountsConfig.ready):
Django's auth signals are the one place every sign-in passes, and staff are edited through Django's admin, whose
forms call no service of ours; a receiver sees every way a role, team or active flag changes.

The request, when one is being served, gives the IP address and browser even to a service that was not handed
it: simple-history's middleware keeps the current request (HistoricalRecords.context), as it does for the
"changed by" of history records.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from core.client_ip import get_client_ip

from .models import AuditAction, AuditEvent, Team, User

USER_AGENT_MAX = AuditEvent._meta.get_field("user_agent").max_length
SUBJECT_MAX = AuditEvent._meta.get_field("subject").max_length
# What a person may do follows these: the role and the team (which clients they see) and whether they may sign in.
PERMISSION_FIELDS = ("role", "team_id", "is_active")


def current_request():
    """The request being served on this thread, if any (set by simple-history's middleware)."""
    return getattr(HistoricalRecords.context, "request", None)


def _without_nul(value):
    """The value with NUL characters removed from every string in it: PostgreSQL stores none in text or JSON, and
    what an event records (filters, search words, a browser name) is whatever the visitor sent."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value


def record_audit(
    *,
    actor: User | None,
    action: str,
    subject: str = "",
    object_type: str = "",
    object_id: Any = "",
    details: dict | None = None,
    request=None,
) -> AuditEvent:
    """Write one audit event; the request (the one being served when not given) gives the IP and browser."""
    request = request if request is not None else current_request()
    ip, user_agent = None, ""
    if request is not None:
        ip = get_client_ip(request) or None
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    if actor is not None and not actor.is_authenticated:
        actor = None  # AnonymousUser
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=actor.email if actor is not None else "",
        action=action,
        subject=_without_nul(subject)[:SUBJECT_MAX],
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        details=_without_nul(details or {}),
        ip=ip,
        user_agent=_without_nul(user_agent),
    )


def request_actor() -> User | None:
    """The signed-in user of the request being served: who made a change caught by a receiver."""
    user = getattr(current_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


FILTERS_MAX, FILTER_VALUE_MAX = 30, 200


def filters_of(query) -> dict:
    """The filters of a list or export as asked (a QueryDict), for an export's event; the page number left out.
    Bounded: a query string is whatever the visitor sent, and the event must stay small."""
    filters = {}
    for key, values in list(query.lists())[:FILTERS_MAX]:
        if key != "page" and values:
            values = [value[:FILTER_VALUE_MAX] for value in values[:FILTERS_MAX]]
            filters[key[:FILTER_VALUE_MAX]] = values if len(values) > 1 else values[0]
    return filters


# --- sign-in ---------------------------------------------------------------------------------------------------


def _logged_in(sender, request, user, **kwargs):
    record_audit(
        actor=user, action=AuditAction.LOGIN, subject=user.email, object_type="user", object_id=user.pk, request=request
    )


def _logged_out(sender, request, user, **kwargs):
    if user is not None:  # signing out without a session
        record_audit(
            actor=user,
            action=AuditAction.LOGOUT,
            subject=user.email,
            object_type="user",
            object_id=user.pk,
            request=request,
        )


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; only the name tried is kept (lowercased, as accounts are).
    username = str((credentials or {}).get("username") or "").strip().lower()
    record_audit(actor=None, action=AuditAction.LOGIN_FAILED, subject=username, request=request)


# --- permission changes ------------------------------------------------------------------------------------------


def _display(field: str, value) -> Any:
    """A permission value as the event stores it: the team by name as well as id, so the record reads alone."""
    if field == "team_id":
        return (
            {"id": value, "name": Team.objects.filter(pk=value).values_list("name", flat=True).first()}
            if value
            else None
        )
    return value


def _remember_permissions(sender, instance: User, raw=False, update_fields=None, **kwargs):
    """Before a user is saved, read what they may do now, unless the save cannot touch it (a sign-in's last_login)."""
    instance._audit_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"role", "team", "team_id", "is_active"} & set(update_fields):
        return
    instance._audit_before = User.objects.filter(pk=instance.pk).values(*PERMISSION_FIELDS).first()


def _record_permission_change(sender, instance: User, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    after = {field: getattr(instance, field) for field in PERMISSION_FIELDS}
    if created:
        changes = {field.removesuffix("_id"): {"old": None, "new": _display(field, after[field])} for field in after}
        details = {"created": True, "changes": changes}
    elif before is not None:
        changed = [field for field in PERMISSION_FIELDS if before[field] != after[field]]
        if not changed:
            return
        details = {
            "changes": {
                field.removesuffix("_id"): {"old": _display(field, before[field]), "new": _display(field, after[field])}
                for field in changed
            }
        }
    else:
        return
    record_audit(
        actor=request_actor(),
        action=AuditAction.PERMISSION_CHANGE,
        subject=instance.email,
        object_type="user",
        object_id=instance.pk,
        details=details,
    )


def _record_user_removed(sender, instance: User, **kwargs):
    record_audit(
        actor=request_actor(),
        action=AuditAction.PERMISSION_CHANGE,
        subject=instance.email,
        object_type="user",
        object_id=instance.pk,
        details={"deleted": True},
    )


def _remember_team_lead(sender, instance: Team, raw=False, **kwargs):
    instance._audit_lead = None
    if not raw and instance.pk is not None and not instance._state.adding:
        instance._audit_lead = Team.objects.filter(pk=instance.pk).values_list("lead_id", flat=True).first()


def _record_team_lead_change(sender, instance: Team, created=False, raw=False, **kwargs):
    """A team's lead sees and manages every client of the team: naming another lead is a permission change."""
    if raw:
        return
    old = None if created else getattr(instance, "_audit_lead", None)
    if old == instance.lead_id:
        return
    emails = dict(User.objects.filter(pk__in=[pk for pk in (old, instance.lead_id) if pk]).values_list("pk", "email"))
    record_audit(
        actor=request_actor(),
        action=AuditAction.PERMISSION_CHANGE,
        subject=instance.name,
        object_type="team",
        object_id=instance.pk,
        details={
            "changes": {
                "lead": {
                    "old": {"id": old, "email": emails.get(old)} if old else None,
                    "new": {"id": instance.lead_id, "email": emails.get(instance.lead_id)}
                    if instance.lead_id
                    else None,
                }
            }
        },
    )


def connect_receivers() -> None:
    """Called once from AccountsConfig.ready."""
    user_logged_in.connect(_logged_in, dispatch_uid="accounts.audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="accounts.audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="accounts.audit.login_failed")
    pre_save.connect(_remember_permissions, sender=User, dispatch_uid="accounts.audit.user_before")
    post_save.connect(_record_permission_change, sender=User, dispatch_uid="accounts.audit.user_after")
    post_delete.connect(_record_user_removed, sender=User, dispatch_uid="accounts.audit.user_removed")
    pre_save.connect(_remember_team_lead, sender=Team, dispatch_uid="accounts.audit.team_before")
    post_save.connect(_record_team_lead_change, sender=Team, dispatch_uid="accounts.audit.team_after")
