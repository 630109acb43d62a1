from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Account health")

    def ready(self):
        from . import registrations

        registrations.register_all()  # the client page's health section; clients cannot import this app
