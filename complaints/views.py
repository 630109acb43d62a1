"""Complaint pages: list and "My complaints", registering, the complaint page with its thread and actions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clients.selectors import can_edit_client, get_client_for_user
from core.exceptions import ApplicationError
from core.forms import apply_application_error

from . import selectors
from .filters import ComplaintFilter
from .forms import ComplaintForm, NoteForm, ReassignForm, ReplyForm, SeverityForm, TransitionForm
from .models import ComplaintStatus
from .permissions import can_edit_complaint, can_reassign_complaint
from .services import complaints as services
from .services import sla, workflow

LIST = "complaints/complaint_list.html"

# The workflow's buttons, worded as actions.
ACTION_LABELS = {
    ComplaintStatus.IN_PROGRESS: gettext_lazy("Start work"),
    ComplaintStatus.WAITING: gettext_lazy("Wait for the client"),
    ComplaintStatus.RESOLVED: gettext_lazy("Resolve"),
    ComplaintStatus.CLOSED: gettext_lazy("Close"),
}


def _list(request, *, mine: bool):
    data = request.GET.copy()
    queryset = selectors.list_complaints(request.user)
    if mine:
        # "My complaints": what I own and is still open, the most urgent first
        queryset = queryset.filter(owner=request.user)
        data.setdefault("status", "open")
        data.setdefault("sort", "due")
    complaint_filter = ComplaintFilter(data, queryset=queryset, user=request.user)
    page = Paginator(complaint_filter.qs, settings.COMPLAINTS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # `.qs` validated the form and filtered by its valid fields, even when another value is stale
    # (an old bookmark): name the client the list is limited to in that case too.
    client_id = complaint_filter.form.cleaned_data.get("client")
    context = {
        "filter": complaint_filter,
        "page": page,
        "query": query.urlencode(),
        "mine": mine,
        "filtered_client": get_client_for_user(request.user, client_id) if client_id else None,
        "escalations": selectors.list_recent_escalations_for(request.user, limit=5)
        if (mine and not request.htmx and (request.user.is_team_lead or request.user.is_admin))
        else [],
    }
    return render(request, f"{LIST}#complaint-table" if request.htmx else LIST, context)


@login_required
def complaint_list(request):
    return _list(request, mine=False)


@login_required
def my_complaints(request):
    return _list(request, mine=True)


@login_required
def complaint_create(request):
    """Register a complaint on a client (from the client page)."""
    client = get_client_for_user(request.user, request.GET.get("client") or request.POST.get("client"))
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    form = ComplaintForm(request.POST or None, client=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.register_complaint(actor=request.user, client=client, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Complaint %(number)s registered.") % {"number": complaint.number})
            return redirect(complaint)
    return render(request, "complaints/complaint_form.html", {"form": form, "client": client})


def _detail_context(request, complaint, **forms) -> dict:
    can_edit = can_edit_complaint(request.user, complaint)
    transitions = [(s, ACTION_LABELS[s]) for s in complaint.allowed_transitions if s in ACTION_LABELS]
    reopen = (
        ComplaintStatus.IN_PROGRESS in complaint.allowed_transitions and complaint.status == ComplaintStatus.RESOLVED
    )
    if reopen:  # from resolved, "in progress" means reopening
        transitions = [
            (s, gettext_lazy("Reopen") if s == ComplaintStatus.IN_PROGRESS else label) for s, label in transitions
        ]
    return {
        "complaint": complaint,
        "can_edit": can_edit and complaint.status != ComplaintStatus.CLOSED,
        "can_reassign": can_reassign_complaint(request.user, complaint) and complaint.status != ComplaintStatus.CLOSED,
        "sla_state": sla.sla_state(complaint),
        "thread": selectors.list_thread(complaint),
        "escalations": selectors.list_escalations(complaint),
        "transitions": transitions,
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "severity_form": SeverityForm(initial={"severity": complaint.severity}),
        "reassign_form": ReassignForm(user=request.user, initial={"owner": complaint.owner_id}),
        "now": timezone.now(),
    }


@login_required
def complaint_detail(request, pk):
    complaint = selectors.get_complaint_for_user(request.user, pk)
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


def _editable(request, pk):
    complaint = selectors.get_complaint_for_user(request.user, pk)
    if not can_edit_complaint(request.user, complaint):
        raise PermissionDenied
    return complaint


@login_required
def complaint_edit(request, pk):
    complaint = _editable(request, pk)
    form = ComplaintForm(request.POST or None, instance=complaint, client=complaint.client, user=request.user)
    if request.method == "POST" and form.is_valid():
        complaint = selectors.get_complaint_for_user(request.user, pk)  # the form wrote into the old one
        try:
            services.update_complaint(actor=request.user, complaint=complaint, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(complaint)
    return render(
        request, "complaints/complaint_form.html", {"form": form, "client": complaint.client, "complaint": complaint}
    )


def _rerender(request, complaint, **forms):
    """A refused action: the page again with the form's errors (200, so htmx and browsers show it)."""
    complaint = selectors.get_complaint_for_user(request.user, complaint.pk)
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint, **forms))


@login_required
@require_POST
def complaint_transition(request, pk):
    complaint = _editable(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            workflow.transition_complaint(
                actor=request.user,
                complaint=complaint,
                to_status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
                root_cause=form.cleaned_data["root_cause"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            apply_application_error(form, error)
            messages.error(request, error.message)
            return _rerender(request, complaint, transition_form=form)
        messages.success(request, _("Status changed."))
        return redirect(complaint)
    return _rerender(request, complaint, transition_form=form)  # e.g. a root cause retired meanwhile


@login_required
@require_POST
def complaint_note(request, pk):
    complaint = _editable(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(actor=request.user, complaint=complaint, body=form.cleaned_data["body"])
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            return redirect(f"{complaint.get_absolute_url()}#thread")
    return _rerender(request, complaint, note_form=form)


@login_required
@require_POST
def complaint_reply(request, pk):
    complaint = _editable(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_client(actor=request.user, complaint=complaint, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Reply logged; it is also on the client's timeline."))
            return redirect(f"{complaint.get_absolute_url()}#thread")
    return _rerender(request, complaint, reply_form=form)


@login_required
@require_POST
def complaint_severity(request, pk):
    complaint = _editable(request, pk)
    form = SeverityForm(request.POST)
    if form.is_valid():
        try:
            services.change_severity(actor=request.user, complaint=complaint, severity=form.cleaned_data["severity"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Severity changed; the due times were recomputed."))
    return redirect(complaint)


@login_required
@require_POST
def complaint_reassign(request, pk):
    complaint = selectors.get_complaint_for_user(request.user, pk)
    if not can_reassign_complaint(request.user, complaint):
        raise PermissionDenied
    form = ReassignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.reassign_complaint(actor=request.user, complaint=complaint, owner=form.cleaned_data["owner"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Complaint reassigned."))
    else:
        messages.error(request, _("Choose the new owner."))
    return redirect(complaint)
