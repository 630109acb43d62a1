"""The audit log page and its CSV download: administrators only."""

import json
from collections.abc import Iterator
from datetime import UTC

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.csv_safety import SafeWriter

from .audit import filters_of, record_audit
from .filters import AuditEventFilter
from .models import OBJECT_TYPES, AuditAction, AuditEvent
from .selectors import list_audit_events

PAGE = "accounts/audit_log.html"
PAGE_SIZE = 50
CHUNK_SIZE = 2000


def _ensure_admin(user) -> None:
    if not user.is_admin:
        raise PermissionDenied


@login_required
@require_GET
def audit_log(request):
    """Every audited event, newest first, filtered by action, person, days and text."""
    _ensure_admin(request.user)
    event_filter = AuditEventFilter(request.GET or None, queryset=list_audit_events())
    page = Paginator(event_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    about = request.GET.get("object_type", "")
    context = {
        "filter": event_filter,
        "page": page,
        "query": query.urlencode(),
        "about": f"{OBJECT_TYPES.get(about, about)} #{request.GET.get('object_id', '')}" if about else "",
    }
    return render(request, f"{PAGE}#audit-table" if request.htmx else PAGE, context)


@login_required
@require_GET
def audit_export(request):
    """The filtered log as a CSV file; downloading it is itself an audited export."""
    _ensure_admin(request.user)
    events = AuditEventFilter(request.GET or None, queryset=list_audit_events()).qs
    download = record_audit(
        actor=request.user,
        action=AuditAction.EXPORT,
        subject="audit log",
        details={"export": "audit_log", "filters": filters_of(request.GET), "rows": events.count()},
        request=request,
    )
    # The file is read after this download was recorded: it holds the log as it was when asked for.
    rows = _rows(events.exclude(pk=download.pk))
    response = StreamingHttpResponse(_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _rows(events) -> Iterator[list[str]]:
    yield [
        _("When (UTC)"),
        _("Action"),
        _("Action code"),
        _("Who"),
        _("Subject"),
        _("Object type"),
        _("Object id"),
        _("IP address"),
        _("Browser"),
        _("Details"),
    ]
    event: AuditEvent
    for event in events.iterator(chunk_size=CHUNK_SIZE):
        yield [
            event.created_at.astimezone(UTC).isoformat(timespec="seconds"),
            event.get_action_display(),
            event.action,
            event.actor_email,
            event.subject,
            event.object_type,
            event.object_id,
            event.ip or "",
            event.user_agent,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _stream(rows) -> Iterator[str]:
    """UTF-8 CSV text line by line, with a byte order mark so that spreadsheets read it as UTF-8. A failed sign-in's
    address or a browser name is whatever the visitor typed or sent: no cell may run as a formula."""
    writer = SafeWriter(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)
