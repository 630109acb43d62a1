"""A registry of what moves with clients when they are handed over to another manager.

A handover (clients.services.hand_over_clients) changes the clients' account manager; their open
follow-ups and complaints belong to higher apps, which `clients` must not import. So each higher
app registers a step here from its AppConfig.ready(), as with client-page sections
(clients.sections): `move` runs inside the handover's transaction, after the clients moved and
their HandoverClient rows were written, and `count` tells the handover page beforehand how many
records would move. Both work set-wise: a constant number of queries whatever the number of clients.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User

from .models import Client, Handover


@dataclass
class HandoverRun:
    """What a step needs to know about the handover being made."""

    handover: Handover  # saved; handover.entries are the moved clients with their previous managers
    actor: User
    manager: User  # the new account manager
    now: datetime
    previous_managers: dict[int, User]  # id -> user, every manager a moved client had
    clients_by_previous: dict[int | None, int]  # previous manager id (None: had none) -> clients moved
    counts: dict[str, int] = field(default_factory=dict)  # filled by the steps, in order


@dataclass(frozen=True)
class HandoverStep:
    key: str  # also the key of its figure in Handover.counts
    # (run) -> how many records moved, or None for a step that moves nothing (notifications)
    move: Callable[[HandoverRun], int | None]
    # (clients, new manager or None) -> how many records would move; clients keep their current managers
    count: Callable[[QuerySet[Client], User | None], int] | None = None
    label: str = ""  # a lazy translation, read when a page is drawn ("Open follow-ups")
    order: int = 50  # steps that report (notifications) come after those that move records


_steps: dict[str, HandoverStep] = {}


def register_handover_step(
    key: str,
    move: Callable[[HandoverRun], int | None],
    *,
    count: Callable[[QuerySet[Client], User | None], int] | None = None,
    label: str = "",
    order: int = 50,
) -> None:
    _steps[key] = HandoverStep(key=key, move=move, count=count, label=label, order=order)


def get_handover_steps() -> list[HandoverStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.key))


def run_handover_steps(run: HandoverRun) -> dict[str, int]:
    """Run every step in order; returns the figures of those that count what they moved."""
    for step in get_handover_steps():
        moved = step.move(run)
        if moved is not None:
            run.counts[step.key] = moved
    return run.counts


def count_handover_records(clients: QuerySet[Client], manager: User | None = None) -> list[dict]:
    """What would move with these clients, one entry per counting step: [{"key", "label", "count"}]."""
    return [
        {"key": step.key, "label": step.label, "count": step.count(clients, manager)}
        for step in get_handover_steps()
        if step.count is not None
    ]


def label_counts(counts: dict[str, int]) -> list[dict]:
    """A handover's stored figures with their labels, in the steps' order; a key no step has is shown as is."""
    labels = {step.key: step.label for step in get_handover_steps() if step.label}
    known = [{"key": key, "label": label, "count": counts[key]} for key, label in labels.items() if key in counts]
    unknown = [{"key": key, "label": key, "count": value} for key, value in counts.items() if key not in labels]
    return known + unknown


# The clients' history keeps the handover as the change reason of the records it wrote. It is stored, so it is
# not translated: the history page reads the handover's id back and names it in the reader's language.
_REASON = "Handover #{pk}"
_REASON_PATTERN = re.compile(r"^Handover #(\d+)$")


def handover_change_reason(handover: Handover) -> str:
    return _REASON.format(pk=handover.pk)


def handover_id_from_reason(reason: str | None) -> int | None:
    found = _REASON_PATTERN.match(reason or "")
    return int(found.group(1)) if found else None
