"""Demo data: each app registers a seeder; `manage.py seed_demo` runs them in order.

`core` cannot know what the apps above it store, and a lower app cannot import a higher
one, so clients and contacts, interactions and (later) orders, complaints and feedback
each register their seeder from their AppConfig.ready(). A seeder may read what the
seeders before it wrote (lower `order` runs first).

A seeder is `func(*, rng_seed: int, clients: int, stdout) -> str`:
- `rng_seed` seeds every random draw, so the same call builds the same data;
- `clients` is how many demo clients there should be (the first N of the plan);
- `stdout` is the command's output (`write()` adds the newline), for warnings only;
- it returns one summary line such as "300 clients (12 new)", and must be idempotent:
  a second run adds nothing and never overwrites what a person changed since.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

DEMO_SEED = 42
DEMO_PASSWORD = "demo12345"  # noqa: S105  (published in the README; demo data only)


@dataclass(frozen=True)
class Seeder:
    name: str
    func: Callable[..., str]
    order: int


@dataclass(frozen=True)
class SeederRun:
    name: str
    summary: str
    seconds: float


_seeders: dict[str, Seeder] = {}


def register_seeder(name: str, func: Callable[..., str], *, order: int = 100) -> None:
    """Add (or replace, by name) the seeder of an app; lower `order` runs first."""
    _seeders[name] = Seeder(name, func, order)


def get_seeders() -> list[Seeder]:
    return sorted(_seeders.values(), key=lambda seeder: (seeder.order, seeder.name))


def run_seeders(*, clients: int, stdout) -> list[SeederRun]:
    """Run every registered seeder in order (the caller owns the transaction); their summaries, timed."""
    runs = []
    for seeder in get_seeders():
        started = time.monotonic()
        summary = seeder.func(rng_seed=DEMO_SEED, clients=clients, stdout=stdout)
        runs.append(SeederRun(seeder.name, summary, time.monotonic() - started))
    return runs
