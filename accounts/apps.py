from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff and teams")

    def ready(self):
        # Sign-ins and changes to what staff may do are audited wherever they happen (accounts.audit).
        from . import audit

        audit.connect_receivers()
