"""The bench data set: a large, realistic CRM written in bulk through a Django connection.

`generate(connection, scale=1.0)` appends the organisation, clients, contacts, two years of
interactions, follow-ups, orders, complaints and surveys to whatever the database holds (ids
continue after existing rows; configuration rows from the data migrations are reused), then
sets the number sequences, id sequences and planner statistics. Same seed, same data.

Steps run in dependency order and share facts through `World`; each is a module of this package.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from accounts.models import Team, User
from clients.models import Client, Tag
from complaints.models import Complaint, ComplaintActivity, Escalation
from contacts.models import Contact
from feedback.models import SurveyRequest, SurveyResponse
from interactions.models import FollowUp, Interaction, Notification, Reminder
from orders.models import Order, OrderLine, OrderTransition, Product

from ..load import Loader, TableStat
from . import activity, clients, complaints, orders, people, surveys
from .world import Sizes, World

__all__ = ["GENERATOR_VERSION", "Report", "Sizes", "generate"]

# Bump when the generator writes different data: a stored data set of another version is regenerated.
GENERATOR_VERSION = 1

MODELS = [
    Team, User, Tag, Client, Client.tags.through, Contact, Interaction, Interaction.contacts.through,
    Product, Order, OrderLine, OrderTransition, Complaint, ComplaintActivity, Escalation,
    FollowUp, Reminder, SurveyRequest, SurveyResponse, Notification,
]  # fmt: skip
# Models with a django-simple-history table, and the column naming who created each row.
HISTORY = [(Client, "created_by_id"), (Contact, None), (Interaction, "logged_by_id"),
           (FollowUp, "created_by_id"), (Order, "created_by_id")]  # fmt: skip


@dataclass
class Report:
    sizes: Sizes
    seed: int
    seconds: float
    tables: list[TableStat]
    steps: list[tuple[str, float]]


def generate(
    connection,
    *,
    scale: float = 1.0,
    seed: int = 20261124,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    defer_indexes: bool | None = None,
) -> Report:
    """Write the data set at `scale` (1.0 = the issue's sizes) through `connection` and return what it took.

    Indexes are dropped for the load and rebuilt after it (PostgreSQL) when that pays off: from
    a few hundred thousand rows on, unless `defer_indexes` says otherwise.
    """
    started = time.perf_counter()
    sizes = Sizes.at_scale(scale)
    loader = Loader(connection, progress=progress)
    world = World.begin(loader, sizes, seed, now)
    tables = [m._meta.db_table for m in MODELS] + [m.history.model._meta.db_table for m, _ in HISTORY]
    if loader.postgres:
        loader.execute("SET synchronous_commit = off")  # this session only: a crash means generating again
    with loader.deferred_indexes(tables, enabled=scale >= 0.05 if defer_indexes is None else defer_indexes):
        people.write_people(world)
        clients.write_clients(world)
        meetings = activity.write_interactions(world)
        orders.write_products(world)
        orders.write_orders(world)
        complaints.write_complaints(world)
        plan = surveys.plan_surveys(world)
        loop_ids, open_follow_ups = activity.write_follow_ups(world, plan.loop)
        activity.write_reminders(world, open_follow_ups, meetings)
        surveys.write_surveys(world, plan, loop_ids)
        activity.write_notifications(world)
        for model, user_column in HISTORY:
            loader.copy_history(model, user_column=user_column)
    loader.reset_sequences(MODELS + [m.history.model for m, _ in HISTORY])
    analyze(loader, tables)
    if loader.postgres:
        loader.execute("RESET synchronous_commit")
    return Report(sizes, seed, time.perf_counter() - started, loader.stats, loader.steps)


def analyze(loader: Loader, tables: list[str]) -> None:
    """Fresh planner statistics, and on PostgreSQL a vacuum too (visibility map for index-only scans).

    Autovacuum would otherwise start on the new tables while the pages are being timed.
    """
    started = time.perf_counter()
    quote = loader.connection.ops.quote_name
    in_transaction = loader.connection.in_atomic_block
    for table in tables:
        if loader.postgres and not in_transaction:
            loader.execute(f"VACUUM (ANALYZE) {quote(table)}")
        else:
            loader.execute(f"ANALYZE {quote(table)}")
    what = f"{'VACUUM ANALYZE' if loader.postgres and not in_transaction else 'ANALYZE'} of {len(tables)} tables"
    loader.steps.append((what, time.perf_counter() - started))
    loader.progress(f"  {what} in {loader.steps[-1][1]:.1f} s")
