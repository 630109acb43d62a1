"""`manage.py health_backtest [--write]`: how well the health score foresaw the churn of the last months.

Prints recall and precision of the "at risk" band 30 and 60 days ahead (see health.backtest for the
definitions); --write puts them into the "Health backtest" section of bench/results.md, keeping the rest.
"""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from health.backtest import run_backtest, section, table


class Command(BaseCommand):
    help = "Backtest the health score against the recorded churn: recall and precision 30 and 60 days ahead."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12, help="Churn of the last N months (default 12).")
        parser.add_argument("--write", action="store_true", help='Replace the "Health backtest" section of --output.')
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "bench" / "results.md",
            help="The results file (default bench/results.md).",
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Evaluate as if today were YYYY-MM-DD."
        )
        parser.add_argument("--data-set", default="", help="How to name the data set in the results file.")

    def handle(self, *args, months: int, write: bool, output: Path, data_set: str, today, **options):
        if months < 1:
            raise CommandError("--months must be 1 or more.")
        result = run_backtest(months=months, today=today)
        for line in table(result):
            self.stdout.write(line)
        for horizon, recall in result.recall.items():
            if recall.too_young:
                self.stdout.write(f"{recall.too_young} churned clients too young to be scored {horizon} days before.")
        if write:
            # Imported here: the bench package is a development tool, the command works without it.
            from bench.loadtest import replace_section
            from bench.report import HEALTH_BACKTEST_SECTION

            name = data_set or f"{connection.vendor} database {connection.settings_dict['NAME']}"
            replace_section(output, HEALTH_BACKTEST_SECTION, section(result, data_set=name))
            self.stdout.write(self.style.SUCCESS(f"Written to {output}."))
