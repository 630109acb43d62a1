from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Read-only KPIs: owns no business tables; every metric has one definition in metrics.py."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from clients.sections import ClientSection, register_section

        from .sections import client_figures_context

        register_section(
            ClientSection(
                key="client-figures",
                template="dashboards/client_figures_section.html",
                get_context=client_figures_context,
                slot="header",
                order=10,
            )
        )
