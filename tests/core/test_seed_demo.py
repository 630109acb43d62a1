"""`manage.py seed_demo`: the demo data the README promises, loaded once however often it runs."""

import zoneinfo
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Role, Team, User
from clients.models import Client, Tag
from contacts.demo import DEMO_PASSWORD, build_plan
from contacts.models import Contact
from core import demo as core_demo
from core.demo import get_seeders, register_seeder
from interactions.models import FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind, Reminder, ReminderStatus
from interactions.selectors import get_my_day

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
        "interactions": Interaction.objects.count(),
        "interaction_contacts": Interaction.contacts.through.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "reminders": Reminder.objects.count(),
        "reminders_pending": Reminder.objects.filter(status=ReminderStatus.PENDING).count(),
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
    assert before["interactions"] > 0
    assert "already seeded" in output


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


def test_seeders_run_clients_first_then_interactions():
    names = [seeder.name for seeder in get_seeders()]

    assert names.index("clients") < names.index("interactions")


def test_a_failing_seeder_rolls_back_every_seeder(db, monkeypatch):
    def broken(*, rng_seed, clients, stdout):
        raise CommandError("broken seeder")

    monkeypatch.setattr(core_demo, "_seeders", dict(core_demo._seeders))  # the registration ends with the test
    register_seeder("broken", broken, order=99)

    with pytest.raises(CommandError, match="broken seeder"):
        seed(clients=3)

    assert (User.objects.count(), Client.objects.count(), Interaction.objects.count()) == (0, 0, 0)


def test_clients_are_backdated_plausibly(db):
    seed()
    now = timezone.now()

    for client in Client.objects.all():
        assert now - timedelta(days=4 * 365 + 1) <= client.created_at <= now - timedelta(days=60)
        if client.churned_on:
            assert client.created_at.date() < client.churned_on
    assert len({client.created_at.date() for client in Client.objects.all()}) > 20


def test_interactions_are_logged_by_the_account_manager_with_the_clients_own_contacts(db):
    seed()

    assert Interaction.objects.count() > 100
    assert not Client.objects.annotate(n=Count("interactions")).filter(n=0).exists()
    assert not Interaction.objects.exclude(logged_by=F("client__account_manager")).exists()
    links = Interaction.contacts.through.objects
    assert links.exists()
    assert not links.exclude(contact__client=F("interaction__client")).exists()
    assert not Interaction.objects.filter(status=InteractionStatus.COMPLETED, occurred_at__gt=timezone.now()).exists()
    assert not Interaction.objects.filter(status=InteractionStatus.SCHEDULED, occurred_at__lt=timezone.now()).exists()
    assert not FollowUp.objects.exclude(assignee=F("client__account_manager")).exists()
    assert {kind for kind in Kind.values if kind != Kind.OTHER} <= set(
        Interaction.objects.values_list("kind", flat=True)
    )
    assert FollowUp.objects.filter(status=FollowUpStatus.DONE, completed_at__lt=timezone.now()).exists()


def test_the_demo_managers_day_is_full(db):
    seed()
    manager = User.objects.get(email="manager1@demo.crm")
    now = timezone.now()

    with timezone.override(zoneinfo.ZoneInfo(manager.time_zone)):
        day = get_my_day(manager, now=now)

    assert 2 <= day.overdue_count <= 4
    assert 2 <= len(day.today) <= 4  # the feedback demo adds a detractor to call back
    assert 4 <= len(day.upcoming) <= 8
    assert 1 <= len(day.meetings_today) <= 2
    assert all(meeting.occurred_at > now for meeting in day.meetings_today)


def test_open_follow_ups_and_planned_meetings_have_one_reminder_and_past_ones_are_not_pending(db):
    seed()
    now = timezone.now()
    open_follow_ups = FollowUp.objects.filter(status=FollowUpStatus.OPEN)
    planned = Interaction.objects.filter(status=InteractionStatus.SCHEDULED, kind__in=[Kind.MEETING, Kind.VISIT])

    assert open_follow_ups.exists()
    assert planned.exists()
    assert not open_follow_ups.filter(reminder__isnull=True).exists()
    assert not planned.filter(reminder__isnull=True).exists()
    assert Reminder.objects.count() == open_follow_ups.count() + planned.count()
    assert not Reminder.objects.filter(remind_at__lte=now, status=ReminderStatus.PENDING).exists()
    assert Reminder.objects.filter(remind_at__lte=now, status=ReminderStatus.SENT, sent_at__isnull=False).exists()
    assert not Reminder.objects.filter(remind_at__gt=now).exclude(status=ReminderStatus.PENDING).exists()
    for reminder in Reminder.objects.select_related("follow_up", "interaction", "recipient"):
        subject_time = reminder.follow_up.due_at if reminder.follow_up else reminder.interaction.occurred_at
        assert reminder.remind_at == subject_time - timedelta(minutes=reminder.recipient.reminder_lead_minutes)


def test_churned_clients_go_silent_months_before_they_leave(db):
    seed()
    churned = list(Client.objects.filter(status="churned"))

    assert churned
    for client in churned:
        last = client.interactions.order_by("-occurred_at").first()
        assert last is not None
        assert last.occurred_at.date() <= client.churned_on - timedelta(days=28)
        assert not client.follow_ups.filter(status=FollowUpStatus.OPEN).exists()


def test_a_bigger_run_gives_only_the_new_clients_a_history(db):
    seed(clients=10)
    first_ten = set(Interaction.objects.values_list("pk", "client_id", "occurred_at"))

    output = seed(clients=15)

    assert first_ten < set(Interaction.objects.values_list("pk", "client_id", "occurred_at"))
    assert not Client.objects.annotate(n=Count("interactions")).filter(n=0).exists()
    assert "already seeded" not in output
