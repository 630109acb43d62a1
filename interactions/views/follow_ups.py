"""Follow-up actions (done, reschedule, cancel, reopen) inline with htmx, and the follow-up list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import list_visible_staff
from core.exceptions import ApplicationError
from core.filters import parse_id

from .. import selectors
from ..filters import FOLLOW_UP_STATES, FollowUpListFilter
from ..forms import RescheduleForm
from ..models import FollowUp, FollowUpStatus
from ..permissions import can_change_follow_up
from ..services import follow_ups as services

ROW = "interactions/follow_up_row.html#follow-up-row"


def _changeable(request, pk):
    follow_up = selectors.get_follow_up_for_user(request.user, pk)
    if not can_change_follow_up(request.user, follow_up):
        raise PermissionDenied
    return follow_up


def _back(request, follow_up):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(follow_up.client)


def _row(request, follow_up, *, form=None, error=None):
    follow_up.can_change = True
    context = {"fu": follow_up, "form": form, "error": error, "now": timezone.now()}
    return render(request, ROW, context)


def _act(request, pk, action, done_message):
    follow_up = _changeable(request, pk)
    try:
        action(actor=request.user, follow_up=follow_up)
    except ApplicationError as error:
        if request.htmx:
            return _row(request, follow_up, error=error.message)
        messages.error(request, error.message)
    else:
        if request.htmx:
            return _row(request, follow_up)
        messages.success(request, done_message)
    return _back(request, follow_up)


@login_required
@require_POST
def follow_up_done(request, pk):
    return _act(request, pk, services.complete_follow_up, _("Follow-up done."))


@login_required
@require_POST
def follow_up_cancel(request, pk):
    return _act(request, pk, services.cancel_follow_up, _("Follow-up cancelled."))


@login_required
@require_POST
def follow_up_reopen(request, pk):
    return _act(request, pk, services.reopen_follow_up, _("Follow-up reopened."))


@login_required
def follow_up_reschedule(request, pk):
    follow_up = _changeable(request, pk)
    form = RescheduleForm(request.POST or None, initial={"due_at": timezone.localtime(follow_up.due_at)})
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_follow_up(actor=request.user, follow_up=follow_up, due_at=form.cleaned_data["due_at"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if request.htmx:
                return _row(request, follow_up)
            messages.success(request, _("Follow-up moved."))
            return _back(request, follow_up)
    if request.htmx:
        return _row(request, follow_up, form=form)
    return render(request, "interactions/follow_up_reschedule.html", {"fu": follow_up, "form": form})


def _scope_to_assignee(request, qs, staff, *, team_asked: bool):
    """One assignee (among the visible staff), everyone ("all", or when a team is asked), else the user's own."""
    assignee = request.GET.get("assignee", "")
    person = parse_id(assignee)
    if person is not None and staff.filter(pk=person).exists():
        return qs.filter(assignee_id=person), str(person)
    if assignee == "all" or team_asked:
        return qs, "all"
    return qs.filter(assignee=request.user), str(request.user.pk)


@login_required
def follow_up_list(request):
    """Follow-ups the user may see, by state, assignee or team, client tier and done days: the drill-down behind
    "My day" and the team figures."""
    now = timezone.now()
    follow_up_filter = FollowUpListFilter(request.GET, queryset=FollowUp.objects.none(), user=request.user)
    staff = list_visible_staff(request.user)
    qs = selectors.follow_ups_visible_to(request.user).select_related("client", "assignee__team")
    qs, assignee = _scope_to_assignee(request, qs, staff, team_asked="team" in follow_up_filter.asked)
    state = follow_up_filter.state
    qs = selectors.filter_follow_ups_by_state(follow_up_filter.filter_queryset(qs), state, now=now)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for follow_up in page.object_list:
        follow_up.can_change = can_change_follow_up(request.user, follow_up)
    query = request.GET.copy()
    query.pop("page", None)
    chips = query.copy()
    chips.pop("state", None)
    done_from, done_to = follow_up_filter.done_range if state == FollowUpStatus.DONE else (None, None)
    context = {
        "filter": follow_up_filter,
        "page": page,
        "state": state,
        "states": FOLLOW_UP_STATES,
        "assignee": assignee,
        "staff": staff,
        "query": query.urlencode(),
        "chip_query": chips.urlencode(),
        "done_from": done_from,
        "done_to": done_to,
        "now": now,
        "closed": FollowUpStatus.DONE,
    }
    return render(request, "interactions/follow_up_list.html", context)
