"""Dashboard pages: read-only analysis for team leads and admins."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Team

from .forms import ComplaintAnalysisForm
from .selectors import get_complaint_analysis, get_feedback_analysis, list_analysis_teams

ANALYSIS = "dashboards/complaint_analysis.html"
FEEDBACK = "dashboards/feedback_analysis.html"


def _analysis_scope(request) -> tuple[ComplaintAnalysisForm, Team | None]:
    """The period-and-team form and the team analysed; the same access rule for every analysis page."""
    user = request.user
    if not (user.is_admin or user.is_team_lead):
        raise PermissionDenied
    teams = list_analysis_teams(user)
    form = ComplaintAnalysisForm(request.GET or None, teams=teams, allow_all=user.is_admin)
    if form.is_bound and "team" in form.errors:
        raise Http404  # another lead's team, or none at all: existence stays secret
    team = form.get_team(default=None if user.is_admin else teams.first())
    if team is None and not user.is_admin:
        raise PermissionDenied  # a team lead who leads no team yet has nothing to analyse
    return form, team


@login_required
def complaint_analysis(request):
    """Complaints by category and root cause, resolution and response times, SLA and reopens."""
    form, team = _analysis_scope(request)
    now = timezone.now()
    analysis = get_complaint_analysis(request.user, team=team, period=form.get_period(timezone.localdate(now)), now=now)
    template = f"{ANALYSIS}#complaint-analysis" if request.htmx else ANALYSIS
    return render(request, template, {"form": form, "analysis": analysis})


@login_required
def feedback_analysis(request):
    """NPS, CSAT and response rate with their trend, per manager, tier and trigger, and the latest comments."""
    form, team = _analysis_scope(request)
    analysis = get_feedback_analysis(request.user, team=team, period=form.get_period(timezone.localdate()))
    template = f"{FEEDBACK}#feedback-analysis" if request.htmx else FEEDBACK
    return render(request, template, {"form": form, "analysis": analysis})
