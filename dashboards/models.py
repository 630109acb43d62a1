"""The dashboards app owns no business tables: figures are always computed from the other apps' rows.

The one table here is a delivery record of the app's own output, the weekly e-mail report, so that
it goes out exactly once (DESIGN principle 1). It holds no figures.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from core.outbox import OutboxRow


class WeeklyReport(OutboxRow):
    """One weekly report e-mail to a team lead about one team; the unique row makes it go out once.

    Not business data: only the delivery state of the report (see dashboards.services.reports).
    `week` is the Monday, in the lead's time zone, on which the report is due; it covers the seven
    days before it (Monday to Sunday) against the seven days before those.
    """

    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("team lead"), on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week of"))

    class Meta:
        ordering = ["-week", "pk"]
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        constraints = [
            models.UniqueConstraint(fields=["lead", "team", "week"], name="weekly_report_once_per_lead_team_week")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.team_id} {self.week} → {self.lead_id} ({self.status})"
