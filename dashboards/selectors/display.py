"""How the dashboards show figures: periods, tiles (value, previous value, change) and number formats."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Team, User


@dataclass(frozen=True)
class Period:
    """Whole calendar days first_day..last_day in the viewer's time zone, as the instants [start, end)."""

    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    def previous(self) -> "Period":
        """The period of the same number of days just before this one."""
        return Period(self.first_day - timedelta(days=self.days), self.first_day - timedelta(days=1))


def list_analysis_teams(user: User) -> QuerySet[Team]:
    """Teams whose complaints the user may analyse: every team for admins, the led teams for team leads."""
    if user.is_admin:
        return Team.objects.all()
    if user.is_team_lead:
        return Team.objects.filter(lead=user)
    return Team.objects.none()


def round_to(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def signed(text: str, value: Decimal | int) -> str:
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"  # a real minus sign
    return text


def show_count(value: int) -> str:
    return number_format(abs(value), force_grouping=True)


def show_hours(seconds: Decimal) -> str:
    return _("%(hours)s h") % {"hours": number_format(round_to(abs(seconds) / 3600, 1), 1)}


def show_hours_minutes(minutes: Decimal) -> str:
    hours, rest = divmod(int(round_to(abs(minutes))), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": rest}


def show_percent(value: Decimal) -> str:
    return f"{number_format(abs(value), 1)} %"


def show_points(value: Decimal) -> str:
    return _("%(points)s pp") % {"points": number_format(abs(value), 1)}


@dataclass(frozen=True)
class Kpi:
    key: str  # which figure
    label: str
    help: str  # the definition, as a tooltip
    value: str  # "—" when there is no value
    previous: str
    change: str  # "" when either period has no value
    trend: str  # "better", "worse", "same", or "" when up is neither better nor worse
    thin: bool = False  # the value stands on fewer than metrics.THIN_BELOW answers
    previous_thin: bool = False
    number: Decimal | int | None = None  # the value itself, for exports (None: no value)
    previous_number: Decimal | int | None = None
    url: str = ""  # the list behind the figure (drill-down)
    note: str = ""  # what else the figure stands on, e.g. amounts in other currencies
    current_only: bool = False  # a figure of now (e.g. at-risk revenue), not of the period: nothing to compare

    @property
    def difference(self) -> Decimal | int | None:
        """The raw change from the previous period; None when either period has no value."""
        if self.number is None or self.previous_number is None:
            return None
        return self.number - self.previous_number


def make_kpi(key, label, help_text, show, show_change, higher_is_better, value, previous) -> Kpi:
    change, trend = "", ""
    if value is not None and previous is not None:
        difference = value - previous
        change = signed(show_change(difference), difference)
        if higher_is_better is not None:
            trend = "same" if not difference else "better" if (difference > 0) == higher_is_better else "worse"
    return Kpi(
        key=key,
        label=str(label),
        help=str(help_text),
        value="—" if value is None else show(value),
        previous="—" if previous is None else show(previous),
        change=change,
        trend=trend,
        number=value,
        previous_number=previous,
    )


def show_nps(value: Decimal) -> str:
    text = number_format(abs(value), 1)
    return f"−{text}" if value < 0 else text  # a real minus sign


def show_nps_points(value: Decimal) -> str:
    return _("%(points)s pts") % {"points": number_format(abs(value), 1)}


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def month_shift(day: date, months: int) -> date:
    """The first day of the month `months` after (negative: before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
