from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "interactions"
    verbose_name = _("Interactions and follow-ups")

    def ready(self):
        # The client page shows the timeline and follow-ups; clients cannot import this app.
        from clients.sections import ClientSection, register_history_source, register_section
        from core.demo import register_seeder

        from . import registrations, selectors
        from .demo import seed as seed_demo_data
        from .views import timeline

        register_section(
            ClientSection(
                key="timeline",
                template="interactions/timeline_section.html",
                get_context=timeline.section_context,
                slot="main",
                order=10,
            )
        )
        register_history_source("interactions", selectors.get_client_interactions_history)
        register_section(
            ClientSection(
                key="follow-ups",
                template="interactions/follow_up_section.html",
                get_context=timeline.follow_up_section_context,
                slot="side",
                order=5,
            )
        )
        register_seeder("interactions", seed_demo_data, order=20)
        registrations.register_all()  # the client list's "going cold" filter
