"""`python -m bench.health` writes the nightly-recompute figures beside the timings, and `make bench` keeps them."""

from dataclasses import dataclass, field

from bench.health import BUDGET_SECONDS, RunTiming, StatementClock, _stats, section
from bench.loadtest import replace_section
from bench.report import HEALTH_BACKTEST_SECTION, HEALTH_RECOMPUTE_SECTION, kept_section

RESULTS = """# Bench results

## Timings

| Page | p95 ms |
|---|---:|
| Client list | 64.4 |

## Over budget: where the time goes

Nothing over budget.

## Indexes and rollups

- hand-written
"""


@dataclass
class Stats:
    clients: int = 3
    changed: int = 2
    transition_ids: list[int] = field(default_factory=lambda: [7, 8])


def runs():
    return [
        RunTiming("First run", 130.04, _stats(Stats()), 12, 100.5, [(90.25, "3× INSERT INTO health_healthscore …")]),
        RunTiming("Second run", 41.0, {"clients": 3, "changed": 0}, 5, 30.0, []),
    ]


def test_the_section_has_a_row_per_run_with_its_verdict_against_the_budget_and_where_sql_time_went():
    text = section(runs(), clients=100_000, scoreable=84_896, data_set="crm_bench_d", load="1.00")

    assert f"<= {BUDGET_SECONDS} s" in text
    assert "100,000 clients, 84,896 of them scoreable" in text
    assert "| First run | 130.0 | **FAIL** | 12 | 100.5 | clients 3, changed 2, transition_ids 2 |" in text
    assert "| Second run | 41.0 | pass | 5 | 30.0 | clients 3, changed 0 |" in text
    assert "- 90.2 s: `3× INSERT INTO health_healthscore …`" in text


def test_the_recompute_and_backtest_sections_replace_themselves_and_are_kept_by_the_bench_report(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(RESULTS)
    body = section(runs(), clients=3, scoreable=3, data_set="x", load="0")

    replace_section(path, HEALTH_RECOMPUTE_SECTION, "old\n")
    replace_section(path, HEALTH_RECOMPUTE_SECTION, body)
    replace_section(path, HEALTH_BACKTEST_SECTION, "| 30 days | 22 % |\n")

    text = path.read_text()
    assert text.count(HEALTH_RECOMPUTE_SECTION) == 1
    assert "old" not in text
    assert text.index("## Timings") < text.index(HEALTH_RECOMPUTE_SECTION) < text.index("## Over budget")
    assert kept_section(path, HEALTH_RECOMPUTE_SECTION, placeholder="") == body.rstrip("\n") + "\n"
    assert kept_section(path, HEALTH_BACKTEST_SECTION, placeholder="") == "| 30 days | 22 % |\n"
    assert kept_section(path) == "- hand-written\n"


def test_the_statement_clock_counts_and_groups_statements_by_their_start():
    clock = StatementClock()

    def execute(sql, params, many, context):
        return sql

    for sql in ("INSERT INTO t", "INSERT INTO t", "SELECT 1", "INSERT INTO t"):
        clock(execute, sql, None, False, {})

    assert clock.count == 4
    assert [(count, shape) for _seconds, count, shape in clock.top()] == [(3, "INSERT INTO t"), (1, "SELECT 1")]
