"""Complaints registered through the service (clocks, number, thread), and the lists they choose from."""

import datetime
import importlib
from unittest import mock

import factory
from django.apps import apps

from complaints.models import BusinessCalendar, ComplaintCategory, RootCause, Severity, TeamCalendar


class ComplaintCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class RootCauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RootCause
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Root cause {n}")


class BusinessCalendarFactory(factory.django.DjangoModelFactory):
    """A Mon–Fri 9–17 calendar with no public holidays unless a country is given."""

    class Meta:
        model = BusinessCalendar

    name = factory.Sequence(lambda n: f"Calendar {n}")
    time_zone = "Europe/Vilnius"
    country = ""
    # The model's defaults are strings ("09:00") until the row is read back: give real times.
    day_start = datetime.time(9)
    day_end = datetime.time(17)


def ensure_defaults() -> None:
    """The rows migration 0002 creates; a transactional test's flush removes them for the next one."""
    # The module name starts with a digit: import it by string.
    importlib.import_module("complaints.migrations.0002_defaults").create_defaults(apps, None)


def default_calendar() -> BusinessCalendar:
    return BusinessCalendar.objects.get(is_default=True)


def link_calendar(team, calendar: BusinessCalendar) -> TeamCalendar:
    return TeamCalendar.objects.create(team=team, calendar=calendar)


def make_complaint(*, actor, client, category=None, subject="Pallets arrived broken", severity=Severity.NORMAL, **kw):
    """A complaint registered by `actor`, as a person would, with the default category unless told."""
    from complaints.services.complaints import register_complaint

    if category is None:
        category = ComplaintCategory.objects.filter(is_active=True).order_by("position", "pk").first()
        category = category or ComplaintCategoryFactory()
    if kw.get("received_at") is not None:
        kw.setdefault("now", kw["received_at"])  # registered when received, unless told
    return register_complaint(actor=actor, client=client, category=category, subject=subject, severity=severity, **kw)


def frozen(moment: datetime.datetime):
    """Freeze django.utils.timezone.now (services that check "not in the future" read it)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def active_root_cause() -> RootCause:
    return RootCause.objects.filter(is_active=True).order_by("position", "pk").first() or RootCauseFactory()


def reply(complaint, *, actor, at, body="We are looking into it."):
    """A client-facing reply written at `at`."""
    from complaints.services.complaints import reply_to_client

    with frozen(at):
        return reply_to_client(actor=actor, complaint=complaint, body=body, now=at)


def move(complaint, to_status, *, actor, at, **kw):
    """A workflow step at `at`; resolving gets a resolution text and a root cause unless told."""
    from complaints.models import ComplaintStatus
    from complaints.services.workflow import transition_complaint

    if to_status == ComplaintStatus.RESOLVED:
        kw.setdefault("resolution", "Replaced the goods.")
        kw.setdefault("root_cause", active_root_cause())
    with frozen(at):
        return transition_complaint(actor=actor, complaint=complaint, to_status=to_status, now=at, **kw)
