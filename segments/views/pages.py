"""Pages of segment definitions: the list, a segment's page, the rule builder with its live preview, delete.

Everyone signed in opens the active segments (members limited to the clients they see); administrators also
the inactive ones, and only they build, change and remove segments (403 for the others). The builder is one
form: its buttons post the whole form with an "action", which htmx swaps in as the builder alone and a plain
POST answers with the whole page; a POST without an action saves.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from core.forms import apply_application_error

from .. import services
from ..access import can_change_segments, get_segment_for_user, list_segments_for
from ..forms import SegmentForm
from ..models import match_all_rules
from ..preview import preview_rules
from ..rules.builder import builder_tree, field_groups
from ..rules.describe import describe_rules
from ..rules.form import apply_action, parse_rules
from ..selectors import list_segment_clients
from ..sizes import list_segment_sizes

LIST = "segments/segment_list.html"
DETAIL = "segments/segment_detail.html"
FORM = "segments/segment_form.html"
SEGMENTS_PER_PAGE = 25
MEMBERS_PER_PAGE = 25


def admins_only(view):
    """Signed in, and an administrator: anyone else may not change segments (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_change_segments(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def segment_list(request):
    page = Paginator(list_segments_for(request.user), SEGMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "can_change": can_change_segments(request.user)}
    return render(request, f"{LIST}#segment-table" if request.htmx else LIST, context)


@login_required
def segment_detail(request, pk):
    """The segment: its rules in words, its size day by day, and its members among the clients the user sees."""
    segment = get_segment_for_user(request.user, pk)
    members = list_segment_clients(request.user, segment)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    if request.htmx:  # another page of the members
        return render(request, f"{DETAIL}#segment-members", {"segment": segment, "page": page})
    sizes = list_segment_sizes(segment)
    context = {
        "segment": segment,
        "page": page,
        "summary": describe_rules(segment.rules),
        "sizes": sizes,
        "chart": _trend_chart(sizes),
        "can_change": can_change_segments(request.user),
    }
    return render(request, DETAIL, context)


def _trend_chart(sizes) -> dict:
    """The trend line's data for static/js/segments.js (json_script): a point per recorded day."""
    return {
        "label": _("Clients"),
        "labels": [date_format(row.day, "j M") for row in sizes],
        "sizes": [row.size for row in sizes],
    }


@admins_only
def segment_create(request):
    return _builder(request, segment=None)


@admins_only
def segment_edit(request, pk):
    return _builder(request, segment=get_segment_for_user(request.user, pk))


def _builder(request, *, segment):
    """The builder page: drawn, redrawn after an action (add, remove, a new field…), or saved."""
    if request.method != "POST":
        form = SegmentForm.for_segment(segment) if segment else SegmentForm()
        return _render_builder(request, form, segment, rules=segment.rules if segment else match_all_rules())
    rules = parse_rules(request.POST)
    if action := request.POST.get("action"):
        rules = apply_action(rules, action)
        if request.htmx:  # the builder alone, and the preview out of band
            return _render_builder(request, None, segment, rules=rules, fragment="rule-builder")
        # Without JavaScript: the page again, with what was typed and no error yet.
        return _render_builder(request, SegmentForm(initial=_typed(request.POST)), segment, rules=rules)
    form = SegmentForm(request.POST)
    rules_error = ""
    if form.is_valid():
        saved, rules_error = _save(request, form, segment, rules)
        if saved:
            messages.success(request, _("Segment “%(name)s” was saved.") % {"name": saved.name})
            return redirect("segments:detail", saved.pk)
    return _render_builder(request, form, segment, rules=rules, rules_error=rules_error)


def _save(request, form, segment, rules) -> tuple:
    """(the saved segment, "") through the services; or (None, the rules' message), with any other message on
    its form field. Nothing is saved when a rule is broken."""
    stored_name = segment.name if segment else ""
    try:
        if segment:
            return services.update_segment(actor=request.user, segment=segment, rules=rules, **form.cleaned_data), ""
        return services.create_segment(actor=request.user, rules=rules, **form.cleaned_data), ""
    except ApplicationError as error:
        if segment:
            segment.name = stored_name  # the heading keeps the stored name
        if error.field == "rules":
            return None, error.message
        apply_application_error(form, error)
        return None, ""


def _typed(post) -> dict:
    return {
        "name": post.get("name", ""),
        "description": post.get("description", ""),
        "colour": post.get("colour", ""),
        "is_active": bool(post.get("is_active")),
    }


def _render_builder(request, form, segment, *, rules, rules_error: str = "", fragment: str = ""):
    preview = preview_rules(request.user, rules)
    context = {
        "form": form,
        "segment": segment,
        "tree": builder_tree(rules, error=rules_error or preview.error),
        "field_groups": field_groups(),
        "rules_error": rules_error,
        "preview": preview,
        "oob": bool(fragment),
    }
    return render(request, f"{FORM}#{fragment}" if fragment else FORM, context)


@admins_only
@require_POST
def segment_preview(request):
    """The live preview of the rules as edited: the count and first clients, or the validator's message."""
    context = {"preview": preview_rules(request.user, parse_rules(request.POST))}
    return render(request, f"{FORM}#segment-preview", context)


@admins_only
def segment_delete(request, pk):
    """Asks first (GET), removes on POST: the segment and its recorded sizes go, the clients stay."""
    segment = get_segment_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.delete_segment(actor=request.user, segment=segment)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("segments:detail", segment.pk)
        messages.success(request, _("Segment “%(name)s” was deleted.") % {"name": segment.name})
        return redirect("segments:list")
    return render(request, "segments/segment_delete.html", {"segment": segment})
