"""'My day': the signed-in user's home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..selectors import get_my_day


@login_required
def my_day(request):
    now = timezone.now()
    day = get_my_day(request.user, now=now)
    for follow_up in day.overdue + day.today + day.upcoming:
        follow_up.can_change = True  # all are the user's own
    return render(request, "interactions/my_day.html", {"day": day, "now": now})
