"""`make bench`: the bench database, the data set (generated once per size), timings, results.

Settings are production-like on purpose: DEBUG off (no query log in memory), plain static files
storage (no collectstatic needed) and the test client's host allowed. Options come from the
environment so `make bench` needs no arguments: BENCH_SCALE, BENCH_FRESH, BENCH_REQUESTS,
BENCH_MAX_SECONDS (per URL), BENCH_OUTPUT, DATABASE_URL.
"""

import argparse
import os
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

import django

from .database import Target, default_url

RESULTS = Path(__file__).resolve().parent / "results.md"
QUICK_RESULTS = Path(__file__).resolve().parent.parent / "var" / "bench"


def say(line: str) -> None:
    print(line, flush=True)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=float(env.get("BENCH_SCALE") or 1), help="1 = the full size")
    parser.add_argument(
        "--fresh", action="store_true", default=env.get("BENCH_FRESH", "") not in ("", "0"), help="regenerate"
    )
    parser.add_argument("--requests", type=int, default=int(env.get("BENCH_REQUESTS") or 30), help="timed per URL")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--max-seconds", type=float, default=float(env.get("BENCH_MAX_SECONDS") or 60), help="cap per URL"
    )
    parser.add_argument("--output", type=Path, default=env.get("BENCH_OUTPUT") or None, help="results file")
    args = parser.parse_args(argv)
    if args.output is None:
        # Quick small runs must not overwrite the committed results of the full size.
        args.output = RESULTS if args.scale == 1 else QUICK_RESULTS / f"results-scale-{args.scale:g}.md"
    return args


def configure(url: str) -> None:
    """Production-like settings for the measured process (see the module docstring)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-not-used-in-production")
    os.environ["PLAIN_STATIC"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SESSION_COOKIE_SECURE"] = os.environ["CSRF_COOKIE_SECURE"] = "0"
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # a 404 warning per request would drown the progress lines
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    # WhiteNoise looks for collected static files, which the measured pages do not need.
    warnings.filterwarnings("ignore", message="No directory at")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    url = os.environ.get("DATABASE_URL") or default_url(args.scale)
    target = Target.from_url(url)
    configure(url)
    django.setup()
    # Models can be imported only now, with the settings chosen above.
    from django.core.management import call_command
    from django.db import connection

    from . import measure, report
    from .generate import GENERATOR_VERSION, generate

    wanted = {"bench": GENERATOR_VERSION, "scale": args.scale}
    label = target.prepare(fresh=args.fresh, wanted=wanted, say=say)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    migrate_seconds = time.perf_counter() - started
    reused = label is not None
    if label is None:
        say(f"Generating the data set at scale {args.scale:g} into {target.name}:")
        result = generate(connection, scale=args.scale, progress=say)
        label = {
            **wanted,
            "seed": result.seed,
            "generated_at": f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            "seconds": round(result.seconds, 1),
            "tables": [[s.table, s.rows, round(s.seconds, 3)] for s in result.tables],
            "steps": [[what, round(seconds, 1)] for what, seconds in result.steps],
        }
        target.write_label(label)
        say(f"Generated in {result.seconds:.0f} s.")

    cast = measure.pick_cast()
    load_before = os.getloadavg()[0]
    if load_before > 0.5 * (os.cpu_count() or 1):
        say(f"Note: the machine is busy (load {load_before:.1f}); other processes inflate the timings.")
    say(f"Measuring as {cast.manager.email}, {cast.lead.email} and {cast.admin.email}:")
    timings = [
        measure.measure(
            probe, cast, requests=args.requests, warmup=args.warmup, max_seconds=args.max_seconds, progress=say
        )
        for probe in measure.probes(cast)
    ]
    load = f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end ({os.cpu_count()} cores)"
    explains = {
        index: measure.explain(timing.slowest[0][1])
        for index, timing in enumerate(timings)
        if timing.passed is False and timing.slowest
    }
    report.write(
        args.output,
        label=label,
        reused=reused,
        migrate_seconds=migrate_seconds,
        timings=timings,
        explains=explains,
        requests=args.requests,
        warmup=args.warmup,
        load=load,
    )
    over = sum(1 for t in timings if t.passed is False)
    say(f"{len(timings)} URLs, {over} over budget: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
