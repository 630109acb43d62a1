from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        # The client page, the timeline, the header search and the demo data are owned by
        # lower apps; orders adds to them through their registries.
        from . import registrations

        registrations.register_all()
