"""The analysis pages' choices: which period, which team (and for the dashboard, which manager, tier, segment)."""

from datetime import date, timedelta

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from clients.models import Tier
from segments.models import Segment

from .selectors import Period
from .selectors.overview import Scope

# A longer custom range says little more and reaches back before the data; it also keeps the
# previous period's dates well inside the calendar.
MAX_CUSTOM_DAYS = 3 * 366
# Custom days are chosen within these: the previous period of a range starting on 1 January of year 1 (or a
# range ending on 31 December 9999) would fall off Python's calendar.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class PeriodChoice(models.TextChoices):
    YESTERDAY = "yesterday", _("Yesterday")
    LAST_7 = "7", _("Last 7 days")
    LAST_30 = "30", _("Last 30 days")
    LAST_90 = "90", _("Last 90 days")
    QUARTER = "quarter", _("Quarter to date")
    CUSTOM = "custom", _("Custom dates")


DEFAULT_PERIOD = PeriodChoice.LAST_30
# The browser's date picker sends and expects ISO dates, whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class ComplaintAnalysisForm(forms.Form):
    """Period and team of the complaints analysis; the periods end today, in the viewer's time zone."""

    period = forms.ChoiceField(label=_("Period"), choices=PeriodChoice.choices, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args, teams: QuerySet[Team], allow_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = DEFAULT_PERIOD
        field = self.fields["team"]
        field.queryset = teams
        # Admins may look at every team at once; a lead always looks at one of their teams.
        field.empty_label = _("All teams") if allow_all else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == PeriodChoice.CUSTOM:
            for name in ("date_from", "date_to"):
                day = cleaned.get(name)
                if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
                    self.add_error(
                        name,
                        _("Choose a day from %(first)s to %(last)s.")
                        % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()},
                    )
            first, last = cleaned.get("date_from"), cleaned.get("date_to")
            if first is None and "date_from" not in self.errors:
                self.add_error("date_from", _("Choose the first day."))
            if last is None and "date_to" not in self.errors:
                self.add_error("date_to", _("Choose the last day."))
            if first and last:
                if last < first:
                    self.add_error("date_to", _("The last day cannot be before the first day."))
                elif (last - first).days >= MAX_CUSTOM_DAYS:
                    self.add_error("date_to", _("Choose at most three years."))
        return cleaned

    def get_period(self, today: date) -> Period:
        """The chosen period ending today (or the custom days); the default one while the form has errors."""
        cleaned = getattr(self, "cleaned_data", {}) if self.is_bound and not self.errors else {}
        choice = cleaned.get("period") or DEFAULT_PERIOD
        if choice == PeriodChoice.CUSTOM:
            return Period(cleaned["date_from"], cleaned["date_to"])
        if choice == PeriodChoice.YESTERDAY:
            return Period(today - timedelta(days=1), today - timedelta(days=1))
        if choice == PeriodChoice.QUARTER:
            return Period(quarter_start(today), today)
        return Period(today - timedelta(days=int(choice) - 1), today)

    def get_team(self, default: Team | None) -> Team | None:
        """The chosen team, else `default` (a lead's first team; None, every team, for admins)."""
        cleaned = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return cleaned.get("team") or default


class DashboardForm(ComplaintAnalysisForm):
    """The team dashboard's period and team, narrowed further to one manager, one tier or one segment's clients."""

    manager = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none(), required=False)
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All tiers")), *Tier.choices], required=False)
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.none(), required=False, empty_label=_("All segments")
    )

    def __init__(self, *args, managers: QuerySet[User], segments: QuerySet[Segment], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["manager"]
        field.queryset = managers
        field.empty_label = _("All managers")
        # Segments are no secret (every user filters the client list by them): one switched off or
        # removed is an ordinary invalid choice, shown on the page and a 400 in the API.
        self.fields["segment"].queryset = segments

    def clean(self):
        cleaned = super().clean()
        team, manager = cleaned.get("team"), cleaned.get("manager")
        if team is not None and manager is not None and manager.team_id != team.pk:
            self.add_error("manager", _("This manager is not in the chosen team."))
        return cleaned

    def get_scope(self, team: Team | None) -> Scope:
        cleaned = getattr(self, "cleaned_data", {}) if self.is_bound and not self.errors else {}
        return Scope(
            team=team, manager=cleaned.get("manager"), tier=cleaned.get("tier") or "", segment=cleaned.get("segment")
        )
