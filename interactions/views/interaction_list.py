"""The interaction list: every visible call, meeting, e-mail, chat and visit, filtered; the dashboard drills into it."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from clients.selectors import get_client_for_user

from .. import selectors
from ..filters import InteractionFilter

PAGE_SIZE = 25


@login_required
def interaction_list(request):
    interaction_filter = InteractionFilter(
        request.GET or None, queryset=selectors.list_interactions(request.user), user=request.user
    )
    page = Paginator(interaction_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    client_id = interaction_filter.asked.get("client")
    context = {
        "filter": interaction_filter,
        "page": page,
        "query": query.urlencode(),
        "filtered_client": get_client_for_user(request.user, client_id) if client_id else None,
    }
    template = (
        "interactions/interaction_list.html#interaction-table" if request.htmx else "interactions/interaction_list.html"
    )
    return render(request, template, context)
