"""Header search results for clients."""

from django.db.models import Q
from django.utils.translation import gettext as _

from core.search import SearchResult

from .selectors import clients_visible_to


def search_client_results(user, term: str, limit: int) -> list[SearchResult]:
    clients = (
        clients_visible_to(user)
        .filter(Q(name__icontains=term) | Q(registration_code__icontains=term))
        .select_related("account_manager")
        .order_by("name")[:limit]
    )
    return [
        SearchResult(
            kind=_("Client"),
            title=client.name,
            subtitle=" · ".join(
                filter(None, [client.registration_code, client.city, str(client.account_manager or "")])
            ),
            url=client.get_absolute_url(),
        )
        for client in clients
    ]
