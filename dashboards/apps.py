from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Read-only KPIs: owns no business tables; every metric has one definition in metrics.py."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        # Lower apps' pages show dashboards' figures through their registries; they cannot import this app.
        from clients.sections import ClientSection, register_section
        from contacts.personal_data import register_personal_data_source
        from interactions.my_day_panels import MyDayPanel, register_my_day_panel

        from .sections import client_figures_context, my_figures_context
        from .selectors.served import forget_cached_personal_data

        register_section(
            ClientSection(
                key="client-figures",
                template="dashboards/client_figures_section.html",
                get_context=client_figures_context,
                slot="header",
                order=10,
            )
        )
        register_my_day_panel(
            MyDayPanel(
                key="my-figures",
                template="dashboards/my_figures_panel.html",
                get_context=my_figures_context,
                order=10,
            )
        )
        # The feedback analysis keeps comments in the cache for a few minutes: an erasure makes it read afresh.
        register_personal_data_source("dashboard_cache", erase=forget_cached_personal_data, order=90)
