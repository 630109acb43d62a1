from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        # Surveys follow the events of lower apps (their signals are sent after commit) and add to
        # their pages through registries.
        from . import registrations

        registrations.register_all()
