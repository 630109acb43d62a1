"""Staff users, their roles and teams."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Account manager")
    TEAM_LEAD = "team_lead", _("Team lead")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    EN = "en", "English"
    RU = "ru", "Русский"
    LT = "lt", "Lietuvių"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A staff member. Access follows the role; there are no per-user permissions."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MANAGER)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.EN)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Vilnius", validators=[validate_time_zone]
    )
    reminder_lead_minutes = models.PositiveIntegerField(
        _("remind me before (minutes)"),
        default=0,
        help_text=_("How long before a follow-up or meeting the reminder arrives; 0 means at its time."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    # Django admin asks these; only administrators may use it, with full rights.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label) -> bool:
        return self.is_staff

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_team_lead(self) -> bool:
        return self.role == Role.TEAM_LEAD

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_full_name(self):
        return self.full_name


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    EXPORT = "export", _("Export")
    BULK_ACTION = "bulk_action", _("Bulk action")
    HANDOVER = "handover", _("Client handover")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    CONTACT_EXPORT = "contact_export", _("Contact data export")
    CONTACT_ERASURE = "contact_erasure", _("Contact erasure")
    SETTINGS_CHANGE = "settings_change", _("Settings change")


# The kinds of object an event may be about (AuditEvent.object_type), as pages name them.
OBJECT_TYPES = {
    "user": _("user"),
    "team": _("team"),
    "contact": _("contact"),
    "segment": _("segment"),
    "handover": _("handover"),
    "health_settings": _("health settings"),
}


class AuditEvent(models.Model):
    """Who did what sensitive thing, when and from where: one row per event, never changed or removed.

    Written by accounts.audit.record_audit only. `details` holds ids, counts and filters, never the personal
    data an event is about (an erasure names the contact by id).
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's e-mail at the time: the record still names them after their account is removed.
    actor_email = models.CharField(_("who (e-mail)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # What the event is about, for "every event about contact 12": a short type name and the row's id.
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["created_at"], name="audit_created_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_created_idx"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_created_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.subject}" if self.subject else str(self.get_action_display())

    @property
    def object_label(self) -> str:
        """What the event is about, named for people: "contact #12"."""
        name = OBJECT_TYPES.get(self.object_type, self.object_type)
        return f"{name} #{self.object_id}" if self.object_id else str(name)

    @property
    def summary(self) -> str:
        """The details in one line: "role: manager → admin", "rows: 120", "filters: status=active"."""
        # Sorted: PostgreSQL's jsonb keeps keys in an order of its own.
        return "; ".join(_summarise(key, value) for key, value in sorted((self.details or {}).items()))


def _summarise(key: str, value) -> str:
    if isinstance(value, dict) and set(value) == {"old", "new"}:
        return f"{key}: {_plain(value['old'])} → {_plain(value['new'])}"
    if isinstance(value, dict):
        return f"{key}: " + ", ".join(
            _summarise(k, v) if isinstance(v, dict) else f"{k}={_plain(v)}" for k, v in sorted(value.items())
        )
    return f"{key}: {_plain(value)}"


def _plain(value) -> str:
    """A stored value for people: a team or user as its name or e-mail, a list joined, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return str(value.get("name") or value.get("email") or value.get("id") or value)
    if isinstance(value, list):
        return "|".join(_plain(item) for item in value)
    return str(value)
