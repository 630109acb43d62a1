"""`python -m bench.health`: the nightly account-health recompute timed over the whole bench data set.

The issue's budget: the nightly recompute of the 100k clients in <= 2 minutes on this machine. Two runs are timed
on the data set `make bench` generated (DATABASE_URL, else crm_bench; BENCH_SCALE picks another size):
1. the first run: every client's health is cleared first, so every scoreable client changes (its fields, a
   HealthScore row and a transition from "never scored" each);
2. a second run ten minutes later the same day, where little changes: what a nightly run costs on a quiet day.
Both go through `health.services.recompute_health`, in the production-like settings of `make bench`. The figures,
with the slowest statements of each run, go into the "Health: nightly recompute" section of bench/results.md
(or BENCH_OUTPUT), which `make bench` keeps.
"""

import argparse
import os
import sys
import time
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime, timedelta
from pathlib import Path

import django

from .database import Target, default_url
from .loadtest import replace_section
from .run import QUICK_RESULTS, RESULTS, configure, say

BUDGET_SECONDS = 120
SLOWEST = 5


@dataclass
class RunTiming:
    name: str
    seconds: float
    stats: dict
    queries: int
    sql_seconds: float
    slowest: list[tuple[float, str]] = field(default_factory=list)


def reset_health() -> None:
    """Forget every score, so the next run finds every client changed (as after the first deployment)."""
    from django.db import connection

    from clients.models import Client
    from health.models import HealthScore, HealthTransition
    from interactions.models import FollowUp

    FollowUp.objects.filter(health_transition__isnull=False).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (HealthScore, HealthTransition))
            cursor.execute(f"TRUNCATE {names}")
    else:
        HealthTransition.objects.all().delete()
        HealthScore.objects.all().delete()
    try:
        from health.models import HealthRun
    except ImportError:  # the run log came later than this probe
        HealthRun = None
    if HealthRun is not None:
        HealthRun.objects.all().delete()
    Client.objects.exclude(health_band="", health_score=None).update(
        health_score=None, health_band="", health_scored_at=None
    )


def _stats(stats) -> dict:
    """The service's counters (lists, such as the ids of the transitions, as their length)."""
    values = asdict(stats) if is_dataclass(stats) else dict(getattr(stats, "__dict__", {}))
    return {key: len(value) if isinstance(value, list | tuple) else value for key, value in values.items()}


class StatementClock:
    """Times every statement of the connection (execute_wrapper): count, total, and the time per statement shape
    (its first words, numbers and placeholders dropped), so a run of 100,000 inserts shows as one line."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0
        self.shapes: dict[str, list] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            shape = " ".join(sql.split())[:160]
            entry = self.shapes.setdefault(shape, [0, 0.0])
            entry[0] += 1
            entry[1] += elapsed

    def top(self, n: int = SLOWEST) -> list[tuple[float, int, str]]:
        ranked = sorted(((seconds, count, shape) for shape, (count, seconds) in self.shapes.items()), reverse=True)
        return ranked[:n]


def timed_run(name: str, now: datetime) -> RunTiming:
    """One recompute at `now`, timed, with where its SQL time went."""
    from django.db import connection

    from health.services import recompute_health

    clock = StatementClock()
    with connection.execute_wrapper(clock):
        started = time.perf_counter()
        stats = recompute_health(now=now)
        seconds = time.perf_counter() - started
    return RunTiming(
        name=name,
        seconds=seconds,
        stats=_stats(stats),
        queries=clock.count,
        sql_seconds=clock.seconds,
        slowest=[(total, f"{count}× {shape} …") for total, count, shape in clock.top()],
    )


def section(runs: list[RunTiming], *, clients: int, scoreable: int, data_set: str, load: str) -> str:
    lines = [
        f"Written by `python -m bench.health` on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {data_set}: "
        f"{clients:,} clients, {scoreable:,} of them scoreable (active or prospect). Budget: the nightly recompute "
        f"of the 100k clients in <= {BUDGET_SECONDS} s. Load average while measuring: {load}.",
        "",
        "| Run | Seconds | Result | Statements | SQL s | What the service reported |",
        "|---|---:|---|---:|---:|---|",
    ]
    for run in runs:
        verdict = "pass" if run.seconds <= BUDGET_SECONDS else "**FAIL**"
        reported = ", ".join(f"{key} {value}" for key, value in run.stats.items())
        lines.append(
            f"| {run.name} | {run.seconds:.1f} | {verdict} | {run.queries} | {run.sql_seconds:.1f} | {reported} |"
        )
    lines += [
        "",
        "First run: every client's health cleared beforehand, so every scoreable client gets new fields, a "
        "HealthScore row and a transition. Second run: ten minutes later the same day, so few clients change. "
        "The rest of each run's seconds beyond SQL s is Python (building the parts, comparing, bulk writes).",
    ]
    for run in (run for run in runs if run.slowest):
        lines += ["", f"Where the SQL time of the {run.name.lower()} went (statements grouped by their start):", ""]
        lines += [f"- {total:.1f} s: `{shape}`" for total, shape in run.slowest]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m bench.health", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=float(env.get("BENCH_SCALE") or 1), help="1 = the full size")
    parser.add_argument("--output", type=Path, default=env.get("BENCH_OUTPUT") or None, help="results file")
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = RESULTS if args.scale == 1 else QUICK_RESULTS / f"results-scale-{args.scale:g}.md"
    url = env.get("DATABASE_URL") or default_url(args.scale)
    target = Target.from_url(url)
    if not target.exists() or target.read_label() is None:
        say(f"No complete bench data set in {target.name}: run `make bench` first.")
        return 2
    configure(url)
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.report import HEALTH_RECOMPUTE_SECTION
    from clients.models import Client, Status

    call_command("migrate", verbosity=0, skip_checks=True)
    label = target.read_label() or {}
    clients = Client.objects.count()
    scoreable = Client.objects.filter(status__in=(Status.ACTIVE, Status.PROSPECT)).count()
    say(f"Clearing the health of {clients:,} clients in {target.name} …")
    reset_health()
    load_before = os.getloadavg()[0]
    now = timezone.now()
    runs = []
    for name, at in (("First run", now), ("Second run", now + timedelta(minutes=10))):
        say(f"{name} …")
        runs.append(timed_run(name, at))
        say(f"{name}: {runs[-1].seconds:.1f} s, {runs[-1].queries} statements, {runs[-1].stats}")
    load = f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end ({os.cpu_count()} cores)"
    data_set = f"{target.name} (bench scale {label.get('scale')}, seed {label.get('seed')})"
    replace_section(
        args.output,
        HEALTH_RECOMPUTE_SECTION,
        section(runs, clients=clients, scoreable=scoreable, data_set=data_set, load=load),
    )
    say(f"Written to {args.output}.")
    return 0 if all(run.seconds <= BUDGET_SECONDS for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
