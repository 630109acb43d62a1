from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from core.search import register_search_provider

        from .search import search_client_results

        register_search_provider("clients", search_client_results, order=10)
