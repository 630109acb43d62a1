from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        # Contacts add a section to the client page and results to the header search;
        # clients and core cannot import this app, so it registers itself with them.
        from clients.sections import ClientSection, register_history_source, register_section
        from core.demo import register_seeder
        from core.search import register_search_provider

        from . import search, selectors, views
        from .demo import seed as seed_demo_data

        register_section(
            ClientSection(
                key="contacts",
                template="contacts/contact_section.html",
                get_context=views.section_context,
                slot="side",
                order=10,
            )
        )
        register_section(
            ClientSection(
                key="key-contacts",
                template="contacts/key_contacts.html",
                get_context=views.key_contacts_context,
                slot="header",
                order=10,
            )
        )
        register_history_source("contacts", selectors.get_client_contacts_history)
        register_search_provider("contacts", search.search_contact_results, order=20)
        register_seeder("clients", seed_demo_data, order=10)
