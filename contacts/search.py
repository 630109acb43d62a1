"""Header search results for contacts."""

from django.utils.translation import gettext as _

from core.search import SearchResult

from .selectors import search_contacts


def search_contact_results(user, term: str, limit: int) -> list[SearchResult]:
    return [
        SearchResult(
            kind=_("Contact"),
            title=contact.full_name,
            subtitle=" · ".join(filter(None, [contact.client.name, contact.email, str(contact.phone or "")])),
            url=contact.client.get_absolute_url() + f"#contact-{contact.pk}",
        )
        for contact in search_contacts(user, term, limit=limit)
    ]
