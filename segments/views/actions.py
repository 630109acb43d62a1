"""Pages of the bulk actions on a segment's members (team leads within their team, admins on all; managers 403):
the forms with what an action would touch, an action's result, an announcement's progress and e-mails, and the
public page where a contact stops announcements."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from clients.models import Tag
from contacts.models import Contact
from core.exceptions import ApplicationError
from core.forms import apply_application_error
from core.ratelimit import is_over_public_limit
from feedback.views import rate_limited

from ..bulk import access, selectors
from ..bulk.announcements import LANGUAGE_NAMES, create_announcement
from ..bulk.forms import AnnouncementForm, SurveyActionForm, TagActionForm
from ..bulk.surveys import send_survey_to_segment
from ..bulk.tags import add_tag_to_segment, remove_tag_from_segment
from ..bulk.unsubscribe import opt_out_of_announcements, read_unsubscribe_token
from ..models import BulkActionKind, BulkActionStatus, Segment, SkippedReason

DELIVERIES_PER_PAGE = 50
DELIVERY_FILTER_LABELS = {
    "sent": gettext_lazy("Sent"),
    "pending": gettext_lazy("Waiting"),
    "failed": gettext_lazy("Failed"),
    SkippedReason.OPTED_OUT.value: gettext_lazy("Opted out"),
    SkippedReason.NO_EMAIL.value: gettext_lazy("No e-mail"),
    SkippedReason.DUPLICATE.value: gettext_lazy("Shared address"),
}
TAG_SUGGESTIONS = 300


def actors_only(view):
    """Signed in, and a team lead or an admin: a manager may not take these actions (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.can_act_on_segments(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@actors_only
def tag_action(request, pk):
    """Add or remove a tag on the members; htmx asks for the preview (how many have the tag) while typing."""
    segment = get_object_or_404(Segment, pk=pk)
    initial = {"operation": request.GET.get("operation") or "add", "tag": request.GET.get("tag", "")}
    form = TagActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        remove = form.cleaned_data["operation"] == "remove"
        service = remove_tag_from_segment if remove else add_tag_to_segment
        try:
            action = service(actor=request.user, segment=segment, tag=form.cleaned_data["tag"])
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Done: %(count)d clients changed.") % {"count": action.changed})
            return redirect(action)
    values = form.data if form.is_bound else initial
    operation = "remove" if values.get("operation") == "remove" else "add"
    context = {
        "segment": segment,
        "form": form,
        "operation": operation,
        "preview": selectors.count_tag_audience(
            request.user, segment, values.get("tag") or "", remove=operation == "remove"
        ),
        "tag_names": Tag.objects.order_by("name").values_list("name", flat=True)[:TAG_SUGGESTIONS],
    }
    template = "segments/bulk_tag.html#tag-preview" if request.htmx else "segments/bulk_tag.html"
    return render(request, template, context)


@actors_only
def survey_action(request, pk):
    """Ask each member's primary contact to answer a survey (written in the background, sent under the usual rules)."""
    segment = get_object_or_404(Segment, pk=pk)
    form = SurveyActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = send_survey_to_segment(actor=request.user, segment=segment, template=form.cleaned_data["template"])
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("The survey requests are being written."))
            return redirect(action)
    audience = selectors.count_survey_audience(request.user, segment)
    return render(request, "segments/bulk_survey.html", {"segment": segment, "form": form, "audience": audience})


@actors_only
def announcement_create(request, pk):
    """Write an announcement to every contact of the members, in en (required), ru and lt."""
    segment = get_object_or_404(Segment, pk=pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = create_announcement(actor=request.user, segment=segment, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("The announcement is on its way."))
            return redirect(announcement)
    audience = selectors.count_announcement_audience(request.user, segment)
    return render(request, "segments/announcement_form.html", {"segment": segment, "form": form, "audience": audience})


@actors_only
def action_detail(request, pk):
    """The record of a tag or survey action: who, when, on how many; a running survey action refreshes itself."""
    action = access.get_action_for_user(request.user, pk)
    if action.kind == BulkActionKind.ANNOUNCEMENT:
        return redirect(action)
    context = {
        "action": action,
        "running": action.status == BulkActionStatus.RUNNING,
        "outcomes": selectors.count_survey_outcomes(action) if action.kind == BulkActionKind.SEND_SURVEY else [],
    }
    template = "segments/bulk_action.html#action-result" if request.htmx else "segments/bulk_action.html"
    return render(request, template, context)


@actors_only
def announcement_detail(request, pk):
    """An announcement's progress (polled while e-mails wait) and its e-mails, filtered by outcome, paginated."""
    announcement = access.get_announcement_for_user(request.user, pk)
    context = {
        "announcement": announcement,
        "action": announcement.action,
        "progress": selectors.get_announcement_progress(announcement),
    }
    target = request.htmx.target if request.htmx else None
    if target == "announcement-progress":  # the poll: the counts only
        return render(request, "segments/announcement_detail.html#announcement-progress", context)
    show = request.GET.get("show", "")
    show = show if show in selectors.DELIVERY_FILTERS else ""
    rows = selectors.list_announcement_deliveries(announcement, show=show)
    context |= {
        "show": show,
        "filters": list(DELIVERY_FILTER_LABELS.items()),
        "page": Paginator(rows, DELIVERIES_PER_PAGE).get_page(request.GET.get("page")),
        "query": f"show={show}" if show else "",
        "texts": [
            (name, getattr(announcement, f"subject_{code}"), getattr(announcement, f"body_{code}"))
            for code, name in LANGUAGE_NAMES.items()
        ],
    }
    if target == "delivery-table":
        return render(request, "segments/announcement_detail.html#delivery-table", context)
    return render(request, "segments/announcement_detail.html", context)


# --- the public unsubscribe page (no login), like the survey's: GET asks, POST records -----------------------


def _public_page(request, template, context, *, language, status=200):
    with translation.override(language or settings.LANGUAGE_CODE):
        response = render(request, template, {"company": settings.COMPANY_NAME, **context}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # the token must not leak to other sites
    return response


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a form of ours
def unsubscribe(request, token):
    """GET shows a confirm button (mail scanners follow links); POST (the button or a mail client's one-click)
    stops the contact's announcements. Rate-limited per IP address like the survey pages (PUBLIC_RATE_LIMIT)."""
    if is_over_public_limit(request, group="segments.unsubscribe"):
        return rate_limited(request, None)
    contact_id = read_unsubscribe_token(token)
    contact = Contact.objects.filter(pk=contact_id).first() if contact_id else None
    if contact is None:
        language = translation.get_language_from_request(request)
        return _public_page(request, "segments/unsubscribe_unavailable.html", {}, language=language, status=404)
    done = False
    if request.method == "POST":
        opt_out_of_announcements(contact=contact)
        done = True
    return _public_page(request, "segments/unsubscribe.html", {"done": done, "token": token}, language=contact.language)
