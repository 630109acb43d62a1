"""'My day': the signed-in user's home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..my_day_panels import collect_my_day_panels, get_my_day_panel
from ..selectors import get_my_day


@login_required
def my_day(request):
    now = timezone.now()
    htmx = request.htmx and not request.htmx.history_restore_request
    panel = get_my_day_panel(request.htmx.target) if htmx else None
    if panel is not None:
        # A panel's own controls (e.g. its period) re-render that panel alone; empty when it has nothing to show.
        context = panel.get_context(request, now)
        if context is None:
            return HttpResponse("")
        return render(request, f"{panel.template}#{panel.key}", {"panel": context})
    day = get_my_day(request.user, now=now)
    for follow_up in day.overdue + day.today + day.upcoming:
        follow_up.can_change = True  # all are the user's own
    panels = collect_my_day_panels(request, now)
    return render(request, "interactions/my_day.html", {"day": day, "now": now, "panels": panels})
