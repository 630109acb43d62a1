"""The interaction list: every visible call, meeting, e-mail, chat and visit, filtered; the dashboard drills into it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from clients.drilldown import drilldown_list_context

from .. import selectors
from ..filters import InteractionFilter


@login_required
def interaction_list(request):
    interaction_filter = InteractionFilter(
        request.GET or None, queryset=selectors.list_interactions(request.user), user=request.user
    )
    context = drilldown_list_context(request, interaction_filter)
    template = (
        "interactions/interaction_list.html#interaction-table" if request.htmx else "interactions/interaction_list.html"
    )
    return render(request, template, context)
