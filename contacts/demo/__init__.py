"""The demo seeder of staff, teams, clients and contacts (registered as "clients" in apps.py).

It lives in `contacts` because it writes contacts; the import layers let `contacts`
use `clients` and `accounts`, never the other way round. Apps above (interactions and
later orders, complaints, feedback) seed their own data after it, on these clients.

Everything is drawn from `random.Random(rng_seed)` one client after another, so the
first N clients are the same whatever `--clients` says: `seed_demo --clients 30`
followed by `seed_demo` adds the other 270. Rows are matched, never overwritten: users
by e-mail, teams by name, clients by registration code. A second run creates nothing,
and whatever someone changed in the demo data since (a password, a client's tier)
stays as it is.

Clients and contacts go through the services, so their history names a user: the
owner of each client is the one who "created" it. Their `created_at` is then moved
back to a plausible day (the field is `auto_now_add`, so only an update can set it).
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.
# ruff: noqa: S311

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.core.management.color import color_style
from django.utils import timezone

from accounts.models import Role, Team, User
from clients.models import Client, Status
from clients.services import create_client
from contacts.models import Contact
from contacts.services import create_contact
from core.demo import DEMO_PASSWORD, DEMO_SEED
from core.exceptions import ApplicationError

from .decline import extra_churn
from .plan import ClientSpec, Planner
from .vocabulary import CHURN_REASONS

__all__ = ["DEMO_PASSWORD", "build_plan", "demo_client_codes", "seed"]


# --- Staff ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    email: str
    full_name: str
    role: str
    team: str | None
    language: str
    time_zone: str
    owner_weight: int  # share of the demo clients this person owns


STAFF = (
    StaffSpec("admin@demo.crm", "Aistė Jankauskienė", Role.ADMIN, None, "en", "Europe/Vilnius", 0),
    StaffSpec("lead.north@demo.crm", "Tomas Kazlauskas", Role.TEAM_LEAD, "North", "lt", "Europe/Vilnius", 5),
    StaffSpec("manager1@demo.crm", "Laura Bērziņa", Role.MANAGER, "North", "en", "Europe/Riga", 15),
    StaffSpec("manager2@demo.crm", "Mindaugas Petrauskas", Role.MANAGER, "North", "lt", "Europe/Vilnius", 15),
    StaffSpec("manager3@demo.crm", "Kristjan Tamm", Role.MANAGER, "North", "en", "Europe/Tallinn", 15),
    StaffSpec("lead.south@demo.crm", "Katarzyna Nowak", Role.TEAM_LEAD, "South", "en", "Europe/Warsaw", 5),
    StaffSpec("manager4@demo.crm", "Jelena Sokolova", Role.MANAGER, "South", "ru", "Europe/Vilnius", 15),
    StaffSpec("manager5@demo.crm", "Dmitrij Ivanov", Role.MANAGER, "South", "ru", "Europe/Riga", 15),
    StaffSpec("manager6@demo.crm", "Rūta Žukauskaitė", Role.MANAGER, "South", "lt", "Europe/Vilnius", 15),
)
TEAM_LEADS = {"North": "lead.north@demo.crm", "South": "lead.south@demo.crm"}


def build_plan(count: int, *, seed: int = DEMO_SEED, today: date | None = None) -> list[ClientSpec]:
    """The first `count` demo clients with their contacts (the same for the same seed and day)."""
    today = today or timezone.localdate()
    planner = Planner(random.Random(seed), today)
    owners = tuple((s.email, s.owner_weight) for s in STAFF if s.owner_weight)
    plan = [planner.next_client(owners) for _ in range(count)]
    # About 1 in 10 active clients left in the last year too (see decline.extra_churn), so the churn backtest has
    # enough leavers; decided after the whole plan is drawn, so the plan's own stream stays what it was.
    for spec in plan:
        if spec.status == Status.ACTIVE:
            churn = extra_churn(spec.registration_code, rng_seed=seed, today=today, reasons=CHURN_REASONS)
            if churn is not None:
                spec.status, (spec.churned_on, spec.churn_reason) = Status.CHURNED, churn
    return plan


# --- Writing -------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    users: int = 0
    teams: int = 0
    clients: int = 0
    contacts: int = 0
    notices: list[str] = field(default_factory=list)


def _chunks(items: list[str], size: int = 500):
    """Keeps `__in` lists under SQLite's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clients_with_codes(codes: list[str]) -> list[Client]:
    return [client for chunk in _chunks(codes) for client in Client.objects.filter(registration_code__in=chunk)]


def seed_staff(created: Counts) -> dict[str, User]:
    teams = {}
    for name in TEAM_LEADS:
        teams[name], is_new = Team.objects.get_or_create(name=name)
        created.teams += is_new
    users, password = {}, None
    for spec in STAFF:
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)  # one hash for all: demo users only
            user = User.objects.create(
                email=spec.email,
                password=password,
                full_name=spec.full_name,
                role=spec.role,
                team=teams[spec.team] if spec.team else None,
                language=spec.language,
                time_zone=spec.time_zone,
            )
            created.users += 1
        users[spec.email] = user
    demo_ids = {user.pk for user in users.values()}
    for name, lead_email in TEAM_LEADS.items():
        team = teams[name]
        # A team of the same name may predate the demo; the README promises the demo lead leads it.
        # A lead changed to another demo user since the last run is kept.
        if team.lead_id not in demo_ids:
            if team.lead_id is not None:
                created.notices.append(f"Team {name}: lead {team.lead.email} replaced by {lead_email}.")
            team.lead = users[lead_email]
            team.save(update_fields=["lead"])
    return users


def seed_clients(plan: list[ClientSpec], users: dict[str, User], created: Counts) -> dict[str, Client]:
    """The plan's clients by registration code, creating the missing ones with their contacts."""
    by_code = {c.registration_code: c for c in _clients_with_codes([s.registration_code for s in plan])}
    for spec in plan:
        if spec.registration_code in by_code:
            continue
        owner = users[spec.owner]
        try:
            client = create_client(
                actor=owner,
                tags=spec.tags,
                name=spec.name,
                registration_code=spec.registration_code,
                tier=spec.tier,
                status=spec.status,
                churned_on=spec.churned_on,
                churn_reason=spec.churn_reason,
                industry=spec.industry,
                country=spec.country,
                city=spec.city,
                address=spec.address,
                website=spec.website,
                account_manager=owner,
                source=spec.source,
                referred_by=by_code.get(spec.referred_by) if spec.referred_by else None,
                notes=spec.notes,
            )
            for index, contact in enumerate(spec.contacts):
                create_contact(actor=owner, client=client, is_primary=index == 0, **vars(contact))
        except ApplicationError as error:
            raise CommandError(f"{spec.name} ({spec.registration_code}) for {owner.email}: {error}") from error
        by_code[spec.registration_code] = client
        created.clients += 1
        created.contacts += len(spec.contacts)
    return by_code


def planned_created_at(client: Client, *, rng_seed: int, now: datetime) -> datetime:
    """When a demo client "was added": 2 months to 4 years ago, a prospect within the last 10 months,
    a churned client at least 8 months before it left (so it has a history that thins out first)."""
    rng = random.Random(f"{rng_seed}:created:{client.registration_code}")
    latest = now - timedelta(days=61)
    earliest = now - timedelta(days=4 * 365)
    if client.status == Status.PROSPECT:
        earliest = now - timedelta(days=300)
    if client.churned_on is not None:
        churned_at = datetime.combine(client.churned_on, datetime.min.time(), tzinfo=UTC)
        latest = min(latest, churned_at - timedelta(days=240))
        earliest = min(earliest, latest - timedelta(days=30))  # a churn date someone moved far back
    return earliest + timedelta(seconds=int(rng.random() * (latest - earliest).total_seconds()))


def backdate_clients(clients: list[Client], *, rng_seed: int, now: datetime) -> None:
    """Move each client (and its contacts) back to its planned `created_at`, unless it is older already.

    Clients created by an earlier version of the seeder, which did not backdate, get their date too.
    The day moves with `now`, so an already backdated client is never moved again.
    """
    for client in clients:
        created_at = planned_created_at(client, rng_seed=rng_seed, now=now)
        if client.created_at > created_at:
            Client.objects.filter(pk=client.pk).update(created_at=created_at)
            Contact.objects.filter(client=client, created_at__gt=created_at).update(created_at=created_at)
            client.created_at = created_at


def demo_client_codes(*, rng_seed: int, clients: int) -> list[str]:
    """Registration codes of the first `clients` demo clients: how the seeders above this one find them."""
    return [spec.registration_code for spec in build_plan(clients, seed=rng_seed)]


def seed(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: demo staff, teams, the first `clients` demo clients and their contacts (idempotent)."""
    plan = build_plan(clients, seed=rng_seed)
    created = Counts()
    users = seed_staff(created)
    by_code = seed_clients(plan, users, created)
    backdate_clients(list(by_code.values()), rng_seed=rng_seed, now=timezone.now())
    codes = [spec.registration_code for spec in plan]
    total_contacts = sum(
        Contact.objects.filter(client__registration_code__in=chunk).count() for chunk in _chunks(codes)
    )
    style = color_style()
    for notice in created.notices:
        stdout.write(style.WARNING(notice))
    return (
        f"{len(users)} users ({created.users} new), {len(TEAM_LEADS)} teams ({created.teams} new), "
        f"{len(plan)} clients ({created.clients} new), {total_contacts} contacts ({created.contacts} new)"
    )
