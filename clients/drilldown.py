"""The context every drill-down list of clients' records shares (interactions, survey answers)."""

from django.core.paginator import Paginator

from .selectors import get_client_for_user

PAGE_SIZE = 25


def drilldown_list_context(request, list_filter, *, page_size: int = PAGE_SIZE) -> dict:
    """The filter, the requested page of its rows, the query string without the page (for sort and page
    links) and the client the list is narrowed to, if any (404 when the user may not see it)."""
    query = request.GET.copy()
    query.pop("page", None)
    client_id = list_filter.asked.get("client")
    return {
        "filter": list_filter,
        "page": Paginator(list_filter.qs, page_size).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "filtered_client": get_client_for_user(request.user, client_id) if client_id else None,
    }
