"""Complaint metrics against small hand-computed fixtures: counts, Pareto shares, medians, averages, SLA, reopens."""

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from complaints.models import Complaint, ComplaintCategory, ComplaintStatus, RootCause
from dashboards.metrics import (
    ComplaintFigures,
    ParetoRow,
    average_resolution_seconds,
    complaint_figures,
    complaints_by_category,
    complaints_by_root_cause,
    complaints_received,
    median,
    median_first_response_minutes,
    median_resolution_seconds,
    reopen_rate,
    sla_compliance,
)

START = datetime(2025, 3, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)
MID = datetime(2025, 3, 15, 12, tzinfo=UTC)
NOW = datetime(2025, 4, 10, 12, tzinfo=UTC)
TICK = timedelta(microseconds=1)
_numbers = itertools.count(1)


def complaint(client, *, received_at=MID, category="Late delivery", **fields) -> Complaint:
    """A bare complaint row with exactly these facts (no service: the metrics read stored values)."""
    if fields.get("resolved_at") is not None:
        fields.setdefault("status", ComplaintStatus.RESOLVED)
    fields.setdefault("status", ComplaintStatus.IN_PROGRESS)
    if isinstance(fields.get("root_cause"), str):
        fields["root_cause"] = RootCause.objects.get(name=fields["root_cause"])
    return Complaint.objects.create(
        number=f"TEST-{next(_numbers):06d}",
        client=client,
        owner=client.account_manager,
        category=ComplaintCategory.objects.get(name=category),
        subject="Test complaint",
        received_at=received_at,
        **fields,
    )


def resolved(client, seconds, *, at=MID, **fields) -> Complaint:
    return complaint(
        client, received_at=at - timedelta(seconds=seconds), resolved_at=at, resolution_seconds=seconds, **fields
    )


def answered(client, minutes, *, at=MID, **fields) -> Complaint:
    return complaint(
        client,
        received_at=at - timedelta(days=1),
        first_response_at=at,
        first_response_business_minutes=minutes,
        **fields,
    )


ALL = Complaint.objects.all


# --- Received, by category ----------------------------------------------------------------------


def test_received_counts_complaints_received_in_the_period(org):
    complaint(org.client, received_at=START)  # the first instant belongs to the period
    complaint(org.client, received_at=END - TICK)  # so does the last one
    complaint(org.client, received_at=END)  # the next period's first instant
    complaint(org.client, received_at=START - TICK)

    assert complaints_received(ALL(), START, END) == 2


def test_received_is_zero_not_none_when_nothing_came_in(org):
    assert complaints_received(ALL(), START, END) == 0


def test_received_counts_only_what_the_viewer_may_see(org):
    complaint(org.client)
    complaint(org.foreign_client)

    assert complaints_received(Complaint.objects.filter(client=org.client), START, END) == 1


def test_by_category_is_sorted_by_count_with_shares_and_cumulative_shares(org):
    for _ in range(3):
        complaint(org.client, category="Damaged goods")
    for _ in range(2):
        complaint(org.client, category="Late delivery")
    complaint(org.client, category="Other")
    complaint(org.client, category="Other", received_at=END)  # outside the period

    rows = complaints_by_category(ALL(), START, END)

    damaged, late, other = (
        ComplaintCategory.objects.get(name=n).pk for n in ("Damaged goods", "Late delivery", "Other")
    )
    assert rows == [
        ParetoRow(damaged, "Damaged goods", 3, Decimal("50.0"), Decimal("50.0")),
        ParetoRow(late, "Late delivery", 2, Decimal("33.3"), Decimal("83.3")),
        ParetoRow(other, "Other", 1, Decimal("16.7"), Decimal("100.0")),
    ]


def test_by_category_breaks_ties_by_the_admins_order_of_categories(org):
    complaint(org.client, category="Other")  # position 7
    complaint(org.client, category="Late delivery")  # position 1

    assert [row.label for row in complaints_by_category(ALL(), START, END)] == ["Late delivery", "Other"]


def test_by_category_names_categories_in_the_active_language(org):
    complaint(org.client, category="Late delivery")

    with translation.override("lt"):
        rows = complaints_by_category(ALL(), START, END)

    assert rows[0].label == "Vėluojantis pristatymas"


def test_by_category_of_an_empty_period_is_empty(org):
    assert complaints_by_category(ALL(), START, END) == []


# --- By root cause ------------------------------------------------------------------------------


def test_by_root_cause_counts_complaints_resolved_in_the_period(org):
    resolved(org.client, 60, root_cause="Packaging")
    resolved(org.client, 60, root_cause="Carrier delay")
    resolved(org.client, 60, root_cause="Carrier delay", at=START)
    resolved(org.client, 60, root_cause="Packaging", at=END)  # resolved in the next period
    complaint(org.client, root_cause="Packaging")  # reopened: no longer resolved
    resolved(org.client, 60, root_cause=None)  # imported without a cause

    rows = complaints_by_root_cause(ALL(), START, END)

    assert [(row.label, row.count, row.cumulative_percent) for row in rows] == [
        ("Carrier delay", 2, Decimal("50.0")),
        ("Packaging", 1, Decimal("75.0")),
        ("Not recorded", 1, Decimal("100.0")),
    ]
    assert rows[0].key == RootCause.objects.get(name="Carrier delay").pk
    assert rows[2].key is None


# --- Medians and the average --------------------------------------------------------------------


def test_median_of_an_odd_count_is_the_middle_value(org):
    for seconds in (300, 100, 200):
        resolved(org.client, seconds)

    assert median_resolution_seconds(ALL(), START, END) == Decimal(200)


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values(org):
    for seconds in (400, 100, 300, 200):
        resolved(org.client, seconds)

    assert median_resolution_seconds(ALL(), START, END) == Decimal(250)


def test_median_of_two_values_may_be_a_half(org):
    resolved(org.client, 1)
    resolved(org.client, 2)

    assert median_resolution_seconds(ALL(), START, END) == Decimal("1.5")


def test_median_resolution_takes_only_complaints_resolved_in_the_period(org):
    resolved(org.client, 10, at=START)
    resolved(org.client, 20, at=END - TICK)
    resolved(org.client, 1000, at=END)
    resolved(org.client, 1000, at=START - TICK)
    complaint(org.client, resolved_at=MID, resolution_seconds=None)  # no duration recorded: not counted
    complaint(org.client, received_at=START, resolution_seconds=None)  # still open

    assert median_resolution_seconds(ALL(), START, END) == Decimal(15)


def test_median_resolution_of_an_empty_period_is_none(org):
    resolved(org.client, 100, at=END)

    assert median_resolution_seconds(ALL(), START, END) is None


def test_median_reads_any_integer_column_and_may_be_given_the_count(org):
    for seconds in (5, 1, 3):
        resolved(org.client, seconds)

    assert median(ALL(), "resolution_seconds") == Decimal(3)
    assert median(ALL(), "resolution_seconds", count=3) == Decimal(3)
    assert median(ALL(), "resolution_seconds", count=0) is None


def test_average_resolution_is_rounded_half_up_to_whole_seconds(org):
    for seconds in (100, 200, 401):
        resolved(org.client, seconds)  # 701 / 3 = 233.67
    resolved(org.client, 99_999, at=END)

    assert average_resolution_seconds(ALL(), START, END) == Decimal(234)


def test_average_resolution_of_an_empty_period_is_none(org):
    complaint(org.client)

    assert average_resolution_seconds(ALL(), START, END) is None


def test_median_first_response_takes_complaints_first_answered_in_the_period(org):
    for minutes in (30, 90, 10, 60):
        answered(org.client, minutes)
    answered(org.client, 999, at=END)
    answered(org.client, 999, at=START - TICK)
    complaint(org.client)  # not answered yet

    assert median_first_response_minutes(ALL(), START, END) == Decimal(45)


def test_median_first_response_of_an_odd_count(org):
    for minutes in (30, 90, 10):
        answered(org.client, minutes)

    assert median_first_response_minutes(ALL(), START, END) == Decimal(30)


def test_median_first_response_of_an_empty_period_is_none(org):
    assert median_first_response_minutes(ALL(), START, END) is None


# --- SLA compliance -----------------------------------------------------------------------------


def test_sla_compliance_is_the_share_of_received_complaints_not_breached(org):
    client = org.client
    resolved(client, 60, at=MID)  # resolved in time: kept
    resolved(client, 60, at=MID, resolution_breached_at=MID - timedelta(minutes=1))  # resolved late
    complaint(client, first_response_at=MID, first_response_breached_at=MID - TICK)  # answered late
    complaint(client, first_response_due_at=NOW - TICK)  # open, unanswered past its due time
    complaint(  # open, answered, within its resolution time: kept
        client, first_response_at=MID, resolution_running_since=MID, resolution_due_at=NOW + timedelta(hours=1)
    )
    complaint(client, received_at=END, resolution_breached_at=END)  # received in the next period

    assert sla_compliance(ALL(), START, END, now=NOW) == Decimal("40.0")


def test_sla_compliance_of_an_open_complaint_depends_on_now(org):
    complaint(org.client, first_response_due_at=MID + timedelta(hours=4))

    assert sla_compliance(ALL(), START, END, now=MID) == Decimal("100.0")
    assert sla_compliance(ALL(), START, END, now=MID + timedelta(hours=4)) == Decimal("0.0")


def test_sla_compliance_with_nothing_received_is_none(org):
    complaint(org.client, received_at=START - TICK)

    assert sla_compliance(ALL(), START, END, now=NOW) is None


# --- Reopen rate --------------------------------------------------------------------------------


def test_reopen_rate_is_the_share_of_resolved_complaints_reopened_before(org):
    resolved(org.client, 60, reopen_count=1)
    resolved(org.client, 60, reopen_count=2)
    resolved(org.client, 60)
    resolved(org.client, 60, at=END, reopen_count=1)  # resolved in the next period
    complaint(org.client, reopen_count=1)  # reopened and open again: not resolved

    assert reopen_rate(ALL(), START, END) == Decimal("66.7")


def test_reopen_rate_without_resolved_complaints_is_none(org):
    complaint(org.client, reopen_count=1)

    assert reopen_rate(ALL(), START, END) is None


# --- Every figure at once -----------------------------------------------------------------------


def test_complaint_figures_agree_with_each_metric(org):
    resolved(org.client, 100, reopen_count=1, first_response_at=MID, first_response_business_minutes=20)
    resolved(org.client, 301, resolution_breached_at=MID)
    answered(org.client, 50)
    complaint(org.client, first_response_due_at=NOW - TICK)
    complaint(org.foreign_client)

    complaints = Complaint.objects.exclude(client=org.foreign_client)
    figures = complaint_figures(complaints, START, END, now=NOW)

    assert figures == ComplaintFigures(
        received=4,
        median_resolution_seconds=Decimal("200.5"),
        average_resolution_seconds=Decimal(201),
        median_first_response_minutes=Decimal(35),
        sla_compliance=Decimal("50.0"),
        reopen_rate=Decimal("50.0"),
    )
    assert figures.received == complaints_received(complaints, START, END)
    assert figures.median_resolution_seconds == median_resolution_seconds(complaints, START, END)
    assert figures.average_resolution_seconds == average_resolution_seconds(complaints, START, END)
    assert figures.median_first_response_minutes == median_first_response_minutes(complaints, START, END)
    assert figures.sla_compliance == sla_compliance(complaints, START, END, now=NOW)
    assert figures.reopen_rate == reopen_rate(complaints, START, END)


def test_complaint_figures_of_an_empty_period_have_no_values(org, django_assert_num_queries):
    with django_assert_num_queries(1):  # nothing to take a median of: no median query
        figures = complaint_figures(Complaint.objects.all(), START, END, now=NOW)

    assert figures == ComplaintFigures(0, None, None, None, None, None)


def test_complaint_figures_take_three_queries_whatever_the_data(org, django_assert_num_queries):
    for seconds in range(1, 8):
        resolved(org.client, seconds * 60, first_response_at=MID, first_response_business_minutes=seconds)

    with django_assert_num_queries(3):
        figures = complaint_figures(Complaint.objects.all(), START, END, now=NOW)

    assert figures.median_resolution_seconds == Decimal(240)
    assert figures.median_first_response_minutes == Decimal(4)


@pytest.mark.parametrize(("seconds", "expected"), [((7,), Decimal(7)), ((9, 7), Decimal(8)), ((5, 9, 7), Decimal(7))])
def test_median_is_the_middle_of_the_sorted_values(org, seconds, expected):
    for value in seconds:
        resolved(org.client, value)

    assert median_resolution_seconds(ALL(), START, END) == expected
