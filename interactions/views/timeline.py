"""The client page's timeline, quick log and follow-ups, and the full interaction forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.selectors import get_client_for_user
from core.exceptions import ApplicationError
from core.forms import apply_application_error

from .. import selectors
from ..forms import CompleteMeetingForm, FollowUpForm, InteractionForm, QuickLogForm, follow_up_due_from_date
from ..models import Interaction, Kind
from ..permissions import can_change_follow_up, can_edit_interaction, can_log_on_client
from ..services import follow_ups as follow_up_services
from ..services import interactions as services

TIMELINE = "interactions/timeline_section.html"
FOLLOW_UPS = "interactions/follow_up_section.html"
PAGE_SIZE = 15


def _timeline_page(request, client, kind: str, page_number=1):
    page = Paginator(selectors.list_client_timeline(client, kind=kind), PAGE_SIZE).get_page(page_number)
    for entry in page.object_list:
        if isinstance(entry, Interaction):
            entry.can_edit = can_edit_interaction(request.user, entry)
    return page


def section_context(request, client, can_edit):
    """Context of the client page's timeline section (registered in apps.py)."""
    kind = request.GET.get("kind", "")
    return {
        "client": client,
        "can_log": can_log_on_client(request.user, client),
        "quick_form": QuickLogForm(),
        "page": _timeline_page(request, client, kind),
        "kind": kind,
        "kinds": selectors.list_timeline_filters(),
    }


def follow_up_section_context(request, client, can_edit):
    """Context of the client page's follow-ups section (registered in apps.py)."""
    return {
        "client": client,
        "can_log": can_log_on_client(request.user, client),
        "follow_ups": _with_rights(request.user, selectors.list_client_open_follow_ups(client)),
    }


def _with_rights(user, follow_ups):
    for follow_up in follow_ups:
        follow_up.can_change = can_change_follow_up(user, follow_up)
    return follow_ups


@login_required
def timeline(request, client_pk):
    """One page of the timeline: the next entries for htmx "load more", or a plain page without JS."""
    client = get_client_for_user(request.user, client_pk)
    kind = request.GET.get("kind", "")
    page = _timeline_page(request, client, kind, request.GET.get("page"))
    context = {
        "client": client,
        "section": {"client": client, "page": page, "kind": kind, "kinds": selectors.list_timeline_filters()},
    }
    if request.htmx:
        partial = "timeline-items" if request.GET.get("page") else "timeline-list"
        return render(request, f"{TIMELINE}#{partial}", context)
    return render(request, "interactions/timeline_page.html", context)


@login_required
@require_POST
def quick_log(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    if not can_log_on_client(request.user, client):
        raise PermissionDenied
    form = QuickLogForm(request.POST)
    entry = None
    if form.is_valid():
        day = form.cleaned_data["follow_up_on"]
        try:
            entry = services.log_interaction(
                actor=request.user,
                client=client,
                kind=form.cleaned_data["kind"],
                notes=form.cleaned_data["notes"],
                follow_up_due=follow_up_due_from_date(day) if day else None,
            )
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            entry.can_edit = True
            form = QuickLogForm(initial={"kind": form.cleaned_data["kind"]})
    if not request.htmx:
        if entry is not None:
            messages.success(request, _("Logged."))
        else:
            messages.error(request, _("Nothing was logged: write a note."))
        return redirect(client)
    section = {
        "client": client,
        "can_log": True,
        "quick_form": form,
        "follow_ups": _with_rights(request.user, selectors.list_client_open_follow_ups(client)),
    }
    context = {"client": client, "new_entry": entry, "section": section}
    return render(request, "interactions/quick_log_response.html", context)


@login_required
def interaction_create(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    if not can_log_on_client(request.user, client):
        raise PermissionDenied
    form = InteractionForm(
        request.POST or None,
        client=client,
        initial={"kind": request.GET.get("kind", Kind.CALL), "status": request.GET.get("status", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day, title = data.pop("follow_up_on"), data.pop("follow_up_title")
        try:
            services.log_interaction(
                actor=request.user,
                client=client,
                follow_up_due=follow_up_due_from_date(day) if day else None,
                follow_up_title=title,
                **data,
            )
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Logged."))
            return redirect(client)
    return render(request, "interactions/interaction_form.html", {"form": form, "client": client})


def _editable_interaction(request, pk):
    interaction = selectors.get_interaction_for_user(request.user, pk)
    if not can_edit_interaction(request.user, interaction):
        raise PermissionDenied
    return interaction


@login_required
def interaction_edit(request, pk):
    interaction = _editable_interaction(request, pk)
    client = interaction.client
    form = InteractionForm(request.POST or None, instance=interaction, client=client)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contacts = data.pop("contacts")
        interaction = selectors.get_interaction_for_user(request.user, pk)  # the form wrote into the old one
        try:
            services.update_interaction(actor=request.user, interaction=interaction, contacts=contacts, **data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(client)
    return render(
        request, "interactions/interaction_form.html", {"form": form, "client": client, "interaction": interaction}
    )


@login_required
def interaction_complete(request, pk):
    interaction = _editable_interaction(request, pk)
    form = CompleteMeetingForm(request.POST or None, initial={"notes": interaction.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_interaction(actor=request.user, interaction=interaction, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Marked as completed."))
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = interaction.client.get_absolute_url()  # never off-site (an open redirect)
            return redirect(target)
    return render(request, "interactions/interaction_complete.html", {"form": form, "interaction": interaction})


@login_required
@require_POST
def interaction_delete(request, pk):
    interaction = _editable_interaction(request, pk)
    client = interaction.client
    services.delete_interaction(actor=request.user, interaction=interaction)
    if request.htmx:
        return HttpResponse("")  # the entry's element is replaced by nothing
    messages.success(request, _("Entry deleted."))
    return redirect(client)


@login_required
def follow_up_create(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    if not can_log_on_client(request.user, client):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_services.create_follow_up(actor=request.user, client=client, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Follow-up added."))
            return redirect(client)
    return render(request, "interactions/follow_up_form.html", {"form": form, "client": client})
