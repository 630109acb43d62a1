"""Which demo clients go through a bad patch, and when: the churn patterns every demo seeder draws the same way.

Most clients that later left showed it first: for one to four months before the churn date they went quiet, left
follow-ups unanswered, complained (and waited too long for an answer), answered surveys badly or not at all, and
ordered less. Some left without warning. And some active clients went through the same signs, then recovered and
stayed; a few are in the middle of such a patch today (the demo's "at risk" clients). So a churn-risk score
backtested on the demo finds leavers early, misses some and raises a few false alarms, like on real data.

`decline_of(client)` is a pure function of the client row and the seed (its own generator, by registration code),
so the interactions, orders, complaints and feedback seeders, each in its own run, agree on every client's patch.
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.
# ruff: noqa: S311

import random
from dataclasses import dataclass
from datetime import date, timedelta

from clients.models import Client, Status

SILENT_SHARE = 0.2  # of the churned clients: left without warning signs
FALSE_ALARM_SHARE = 0.12  # of the active clients: a bad patch, then they stayed
WARNING_DAYS = (45, 120)  # the signs start this long before the churn date
SCARE_DAYS = (40, 100)  # how long a false alarm lasts
SCARE_ENDED = (15, 330)  # how long ago it ended
ONGOING_SHARE = 0.07  # of the active clients: in a bad patch now, open complaint and overdue follow-ups included
ONGOING_SINCE = (25, 75)  # days


@dataclass(frozen=True)
class Decline:
    """A client's bad patch: from `start` until `end` (the churn date, or the day it recovered)."""

    start: date
    end: date
    churned: bool

    def covers(self, day: date) -> bool:
        return self.start <= day < self.end

    def ongoing(self, today: date) -> bool:
        return self.end > today


def decline_of(client: Client, *, rng_seed: int, today: date) -> Decline | None:
    """The client's bad patch, if it had one (see the module docstring); the same for the same client and seed."""
    rng = random.Random(f"{rng_seed}:decline:{client.registration_code}")
    created = client.created_at.date()
    if client.status == Status.CHURNED and client.churned_on:
        if rng.random() < SILENT_SHARE:
            return None
        start = client.churned_on - timedelta(days=rng.randint(*WARNING_DAYS))
        return Decline(max(start, created + timedelta(days=30)), client.churned_on, churned=True)
    if client.status != Status.ACTIVE:
        return None
    draw = rng.random()
    if draw < FALSE_ALARM_SHARE:
        end = today - timedelta(days=rng.randint(*SCARE_ENDED))
        start = end - timedelta(days=rng.randint(*SCARE_DAYS))
    elif draw < FALSE_ALARM_SHARE + ONGOING_SHARE:  # in the middle of it now: what the at-risk list shows today
        start = today - timedelta(days=rng.randint(*ONGOING_SINCE))
        end = today + timedelta(days=rng.randint(15, 60))
    else:
        return None
    if start < created + timedelta(days=60):
        return None
    return Decline(start, end, churned=False)


def extra_churn(registration_code: str, *, rng_seed: int, today: date, reasons: tuple[str, ...]):
    """Whether an active client of the plan left after all: (churned_on, reason), or None (about 1 in 10).

    Drawn from the client's own generator, after the plan was drawn, so the plan's stream (names, codes,
    contacts of every client) is the same as without it."""
    rng = random.Random(f"{rng_seed}:churn:{registration_code}")
    if rng.random() >= 0.1:
        return None
    return today - timedelta(days=rng.randint(20, 360)), rng.choice(reasons)
