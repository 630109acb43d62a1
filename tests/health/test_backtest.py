"""The churn backtest on a hand-made history: exact recall, precision and base rate at 30 and 60 days.

Only the contact gap counts (weight 100, the others 0), so a VIP client (cadence 14 days) never contacted is at
risk (score 0) and one contacted every week is healthy (score 100) on every evaluation day.
"""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients.models import Client, Status, Tier
from health.backtest import as_of_day, run_backtest
from health.models import HealthConfig, Signal
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.interactions import InteractionFactory

TODAY = date(2026, 6, 15)
CHURNED_ON = TODAY - timedelta(days=100)  # 2026-03-07


def only_contact_gap():
    config = HealthConfig.get()
    for signal in Signal:
        setattr(config, f"weight_{signal.value}", 100 if signal == Signal.CONTACT_GAP else 0)
    config.save()


def client(name, *, status=Status.ACTIVE, churned_on=None, weekly_until=None):
    manager = ManagerFactory()
    made = ClientFactory(
        name=name, tier=Tier.VIP, status=status, churned_on=churned_on, account_manager=manager,
        churn_reason="Moved to a competitor" if churned_on else "",
    )  # fmt: skip
    Client.objects.filter(pk=made.pk).update(created_at=as_of_day(TODAY - timedelta(days=400)))
    if weekly_until:
        day = TODAY - timedelta(days=399)
        while day < weekly_until:
            InteractionFactory(
                client=made,
                occurred_at=timezone.make_aware(datetime.combine(day, time(11)), timezone.get_default_timezone()),
            )
            day += timedelta(days=7)
    return made


@pytest.fixture
def history(db):
    only_contact_gap()
    return {
        "warned": client("Warned", status=Status.CHURNED, churned_on=CHURNED_ON),  # silent: at risk all along
        "sudden": client("Sudden", status=Status.CHURNED, churned_on=CHURNED_ON, weekly_until=CHURNED_ON),
        "false alarm": client("Silent but stays"),  # at risk, never churns
        "fine": client("Fine", weekly_until=TODAY),
    }


def test_recall_is_the_share_of_churned_clients_at_risk_before_they_left(history):
    result = run_backtest(today=TODAY)

    assert result.churned_in_window == 2
    for horizon in (30, 60):
        recall = result.recall[horizon]
        assert (recall.churned, recall.at_risk, recall.watch_or_worse, recall.too_young) == (2, 1, 1, 0)
        assert recall.recall == 0.5
        assert recall.missed == [history["sudden"].pk]


def test_precision_counts_at_risk_clients_on_monthly_days_against_churn_within_the_horizon(history):
    result = run_backtest(today=TODAY)

    # Evaluation days: the 1st of July 2025 … May 2026 (30 days) or April 2026 (60 days).
    p30, p60 = result.precision[30], result.precision[60]
    assert p30.days[0] == date(2025, 7, 1)
    assert (len(p30.days), p30.days[-1]) == (11, date(2026, 5, 1))
    assert (len(p60.days), p60.days[-1]) == (10, date(2026, 4, 1))
    # At risk: "false alarm" every day, "warned" on the 9 days before its churn; only 1 March 2026 is within
    # 30 days of it, 1 February and 1 March within 60.
    assert (p30.at_risk, p30.true_positives) == (11 + 9, 1)
    assert (p60.at_risk, p60.true_positives) == (10 + 9, 2)
    assert p30.precision == pytest.approx(1 / 20)
    assert p60.precision == pytest.approx(2 / 19)
    # Scoreable: the two active clients every day, the churned ones on the 9 days before they left.
    assert (p30.scored, p30.churned) == (2 * 11 + 2 * 9, 2)
    assert (p60.scored, p60.churned) == (2 * 10 + 2 * 9, 4)
    assert p30.base_rate == pytest.approx(2 / 40)
    assert p30.lift == pytest.approx((1 / 20) / (2 / 40))


def test_a_client_created_after_the_evaluation_day_is_not_evaluated(history):
    Client.objects.filter(pk=history["warned"].pk).update(created_at=as_of_day(CHURNED_ON - timedelta(days=45)))

    result = run_backtest(today=TODAY)

    assert (result.recall[30].churned, result.recall[30].too_young) == (2, 0)
    assert (result.recall[60].churned, result.recall[60].too_young) == (1, 1)


def test_command_prints_the_table_and_writes_the_section_keeping_the_rest(history, tmp_path):
    results = tmp_path / "results.md"
    results.write_text(
        "# Bench results\n\n## Timings\n\nkept\n\n## Health backtest\n\nold figures\n\n"
        "## Indexes and rollups\n\n- kept too\n"
    )
    out = StringIO()

    call_command(
        "health_backtest", "--write", f"--output={results}", "--data-set=the fixture", f"--today={TODAY}", stdout=out
    )

    assert "| 30 days | 50 % (1/2) |" in out.getvalue()
    text = results.read_text()
    assert "old figures" not in text
    assert "## Timings\n\nkept\n" in text
    assert text.endswith("## Indexes and rollups\n\n- kept too\n")
    assert "Data set: the fixture: 4 clients, 2 churned between 2025-06-15 and 2026-06-15" in text
    assert "| 60 days | 50 % (1/2) | 50 % (1/2) | 2 | 11 % (2/19) | 19 | 11 % (4/38) | 1.0× |" in text
