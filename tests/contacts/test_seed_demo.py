"""`manage.py seed_demo`: the demo data the README promises, loaded once however often it runs."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from accounts.models import Role, Team, User
from clients.models import Client, Tag
from contacts.management.commands.seed_demo import DEMO_PASSWORD, build_plan
from contacts.models import Contact

DEMO_EMAILS = {
    "admin@demo.crm",
    "lead.north@demo.crm",
    "lead.south@demo.crm",
    *(f"manager{n}@demo.crm" for n in range(1, 7)),
}


def seed(clients=30):
    out = StringIO()
    call_command("seed_demo", clients=clients, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "clients": Client.objects.count(),
        "contacts": Contact.objects.count(),
        "tags": Tag.objects.count(),
        "client_history": Client.history.count(),
        "contact_history": Contact.history.count(),
    }


def test_seed_loads_staff_teams_clients_and_contacts(db):
    output = seed()

    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert User.objects.filter(role=Role.TEAM_LEAD).count() == 2
    assert User.objects.filter(role=Role.MANAGER).count() == 6
    assert User.objects.get(email="manager1@demo.crm").language == "en"
    assert {u.language for u in User.objects.all()} == {"en", "ru", "lt"}

    teams = {team.name: team for team in Team.objects.select_related("lead")}
    assert set(teams) == {"North", "South"}
    assert teams["North"].lead.email == "lead.north@demo.crm"
    assert teams["South"].lead.email == "lead.south@demo.crm"
    assert set(teams["North"].members.filter(role=Role.MANAGER).values_list("email", flat=True)) == {
        "manager1@demo.crm",
        "manager2@demo.crm",
        "manager3@demo.crm",
    }
    assert teams["South"].members.filter(role=Role.MANAGER).count() == 3

    assert Client.objects.count() == 30
    assert Client.objects.filter(account_manager__email__in=DEMO_EMAILS).count() == 30
    assert not Client.objects.filter(created_by__isnull=True).exists()
    assert not Client.history.filter(history_user__isnull=True).exists()
    codes = list(Client.objects.values_list("registration_code", flat=True))
    assert all(codes)
    assert len(set(codes)) == 30
    churned = Client.objects.filter(status="churned")
    assert not churned.filter(Q(churned_on__isnull=True) | Q(churn_reason="")).exists()

    per_client = Client.objects.annotate(
        n=Count("contacts"), primaries=Count("contacts", filter=Q(contacts__is_primary=True))
    )
    assert all(1 <= c.n <= 4 for c in per_client)
    assert all(c.primaries == 1 for c in per_client)

    contacts = list(Contact.objects.select_related("client"))
    assert all(contact.phone and contact.phone.is_valid() for contact in contacts)
    assert all(str(contact.phone).startswith("+") for contact in contacts)
    assert all(contact.email.split("@")[1] in contact.client.website for contact in contacts if contact.client.website)
    assert {c.language for c in contacts if c.client.country in ("KZ", "GE", "AM")} <= {"ru"}
    assert {c.language for c in contacts if c.client.country == "LT"} <= {"lt", "ru"}

    assert "30 clients (30 new)" in output


def test_second_run_creates_nothing_and_keeps_changes(db):
    seed()
    before = snapshot()
    edited = Client.objects.order_by("pk").first()
    Client.objects.filter(pk=edited.pk).update(tier="vip", name="Renamed by a user")

    output = seed()

    assert snapshot() == before
    assert before["users"] == 9
    assert before["teams"] == 2
    assert before["clients"] == 30
    edited.refresh_from_db()
    assert (edited.name, edited.tier) == ("Renamed by a user", "vip")
    assert "9 users (0 new)" in output
    assert "30 clients (0 new)" in output
    assert "(0 new) in" in output  # contacts


def test_a_bigger_run_adds_only_the_missing_clients(db):
    seed(clients=10)
    first_ten = set(Client.objects.values_list("registration_code", "name"))

    seed(clients=15)

    assert Client.objects.count() == 15
    assert first_ten <= set(Client.objects.values_list("registration_code", "name"))


def test_plan_is_deterministic_and_prefix_stable():
    today = date(2026, 1, 15)
    assert build_plan(40, today=today) == build_plan(40, today=today)
    assert build_plan(10, today=today) == build_plan(40, today=today)[:10]


def test_demo_users_can_sign_in(db, client):
    seed(clients=1)
    for email in ("manager1@demo.crm", "lead.north@demo.crm", "admin@demo.crm"):
        assert client.login(username=email, password=DEMO_PASSWORD)
        client.logout()
    assert not client.login(username="manager1@demo.crm", password="wrong-password")


def test_negative_count_is_refused(db):
    with pytest.raises(CommandError):
        seed(clients=-1)


def test_existing_team_gets_the_demo_lead(db):
    outsider = User.objects.create_user("lead@example.com", "x-password-1", full_name="Old Lead", role=Role.TEAM_LEAD)
    Team.objects.create(name="North", lead=outsider)

    output = seed(clients=1)

    assert Team.objects.get(name="North").lead.email == "lead.north@demo.crm"
    assert "lead lead@example.com replaced by lead.north@demo.crm" in output
