"""What this app adds to lower apps' registries (the client page's sections, the demo seeders)."""

from clients.sections import ClientSection, register_section

from .demo import register_demo_seeder
from .sections import client_health_context


def register_all() -> None:
    register_section(
        ClientSection(
            key="client-health",
            template="health/client_health_section.html",
            get_context=client_health_context,
            slot="main",
            order=5,  # above the timeline: whether the client needs attention, and why, comes first
        )
    )
    register_demo_seeder()  # health/demo.py: 90 days of score history for the demo, then today's run
