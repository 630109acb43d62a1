"""People at client companies."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from accounts.models import Language
from clients.models import Client
from core.models import TimeStampedModel


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MESSENGER = "messenger", _("Messenger")
    IN_PERSON = "in_person", _("In person")


class Contact(TimeStampedModel):
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    # Stored in E.164 (+37061234567) whatever the user typed.
    phone = PhoneNumberField(_("phone"), blank=True, db_index=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.EN)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    survey_opt_out = models.BooleanField(_("no surveys"), default=False)
    # Set by the contact through the unsubscribe link of an announcement (segments), or by their manager.
    announcement_opt_out = models.BooleanField(_("no announcements"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-is_primary", "full_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(is_primary=True), name="contact_one_primary"),
        ]
        indexes = [models.Index(fields=["client", "full_name"])]

    def __str__(self):
        return self.full_name
