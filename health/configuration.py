"""The admin-tunable health settings: a weight per signal and the two band thresholds (HealthConfig)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record_audit
from accounts.models import AuditAction, User
from core.exceptions import ApplicationError

from .models import HealthConfig, Signal

WEIGHT_FIELDS = tuple(f"weight_{signal.value}" for signal in Signal)
THRESHOLD_FIELDS = ("watch_below", "at_risk_below")
SETTINGS_FIELDS = WEIGHT_FIELDS + THRESHOLD_FIELDS


def thresholds_error(*, watch_below: int, at_risk_below: int) -> str | None:
    """Why two thresholds cannot be the bands' limits (at risk must start at or below watch), or None."""
    if at_risk_below > watch_below:
        return _("“At risk below” must not be above “watch below” (%(watch)s).") % {"watch": watch_below}
    return None


@transaction.atomic
def update_health_config(*, actor: User, values: dict[str, int]) -> HealthConfig:
    """An admin sets the weights and thresholds: each 0-100 and at risk at or below watch; who changed what is
    kept on the row (updated_by) and in the audit log. Scores change at the next recompute, not here."""
    if not actor.is_admin:
        raise ApplicationError(_("Only administrators change the health settings."))
    unknown = sorted(set(values) - set(SETTINGS_FIELDS))
    if unknown:
        raise ApplicationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(unknown)})
    HealthConfig.objects.get_or_create(pk=1)  # the row exists before it is locked
    config = HealthConfig.objects.select_for_update().get(pk=1)
    new = {name: values.get(name, getattr(config, name)) for name in SETTINGS_FIELDS}
    for name, value in new.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ApplicationError(_("Give a whole number from 0 to 100."), field=name)
    error = thresholds_error(watch_below=new["watch_below"], at_risk_below=new["at_risk_below"])
    if error:
        raise ApplicationError(error, field="at_risk_below")
    changes = {name: {"old": getattr(config, name), "new": value} for name, value in new.items()}
    changes = {name: change for name, change in changes.items() if change["old"] != change["new"]}
    if not changes:
        return config
    for name, value in new.items():
        setattr(config, name, value)
    config.updated_by = actor
    config.save()
    record_audit(
        actor=actor,
        action=AuditAction.SETTINGS_CHANGE,
        subject="health settings",
        object_type="health_settings",
        object_id=config.pk,
        details={"changes": changes},
    )
    return config
