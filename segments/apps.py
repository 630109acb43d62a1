from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = _("Segments")

    def ready(self):
        from . import registrations

        registrations.register_all()  # the client list's segment filter; clients cannot import this app
