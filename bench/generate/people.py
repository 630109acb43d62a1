"""The organisation: teams, each with a lead and managers, and one administrator."""

from django.contrib.auth.hashers import make_password

from accounts.models import Language, Role, Team, User

from . import texts
from .clock import DAY
from .world import World

PASSWORD = "bench12345"  # noqa: S105 (the bench users' published password, like the demo's)
ADMIN_EMAIL = "admin@bench.crm"


def lead_email(team_number: int) -> str:
    return f"lead{team_number:02d}@bench.crm"


def manager_email(number: int) -> str:
    return f"manager{number:03d}@bench.crm"


def write_people(world: World) -> None:
    """Teams, leads, managers and the admin; passwords hashed once and shared (hashing is slow on purpose)."""
    if User.objects.filter(email=ADMIN_EMAIL).exists():
        raise RuntimeError("This database already holds a bench data set; generate into a fresh one.")
    rng, sizes = world.rng, world.sizes
    password = make_password(PASSWORD)
    taken = set(Team.objects.values_list("name", flat=True))
    team_id, user_id = world.first_id(Team), world.first_id(User)
    teams, users = [], []
    joined = world.start - 200 * DAY

    def user(email: str, name: str, role: str, team: int | None) -> int:
        nonlocal user_id
        language = rng.choice((Language.EN, Language.EN, Language.LT, Language.RU))
        users.append((user_id, password, None, email, name, role, team, language, "Europe/Vilnius", 0, True, joined))
        user_id += 1
        return user_id - 1

    number = 0
    for t in range(sizes.teams):
        name = texts.TEAMS[t % len(texts.TEAMS)] + ("" if t < len(texts.TEAMS) else f" {t // len(texts.TEAMS)}")
        while name in taken:
            name += " (bench)"
        taken.add(name)
        teams.append((team_id, name, None))
        world.teams.append(team_id)
        lead = user(lead_email(t + 1), f"{rng.choice(texts.MANAGER_FIRST)} Lead {t + 1:02d}", Role.TEAM_LEAD, team_id)
        world.leads[team_id] = lead
        world.team_of[lead] = team_id
        for _ in range(sizes.managers_per_team):
            number += 1
            full_name = f"{rng.choice(texts.MANAGER_FIRST)} {rng.choice(texts.MANAGER_LAST)} {number:03d}"
            manager = user(manager_email(number), full_name, Role.MANAGER, team_id)
            world.managers.append(manager)
            world.team_of[manager] = team_id
        team_id += 1
    world.admin = user(ADMIN_EMAIL, "Bench Admin", Role.ADMIN, None)

    world.loader.write(Team, ("id", "name", "lead_id"), teams)
    world.loader.write(
        User,
        (
            "id password last_login email full_name role team_id language time_zone reminder_lead_minutes "
            "is_active date_joined"
        ),
        users,
    )
    for team, lead in world.leads.items():
        Team.objects.filter(pk=team).update(lead_id=lead)
