from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        # The client page, the timeline, the header search and the demo data belong to lower
        # apps; complaints adds to them through their registries.
        from . import registrations

        registrations.register_all()
