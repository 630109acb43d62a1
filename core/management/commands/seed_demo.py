"""`manage.py seed_demo`: the demo data of every app, idempotent.

Each app registers its seeder (see `core.demo`); this command only runs them, in one
transaction, so a failure leaves the database as it was.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_PASSWORD, run_seeders

DEFAULT_CLIENTS = 300


class Command(BaseCommand):
    help = (
        "Load demo staff, teams, clients, contacts and their history "
        f"(idempotent; password for every demo user: {DEMO_PASSWORD})."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients",
            type=int,
            default=DEFAULT_CLIENTS,
            help=f"How many demo clients there should be (default {DEFAULT_CLIENTS}); existing ones are kept.",
        )

    def handle(self, *args, clients: int, **options):
        if clients < 0:
            raise CommandError("--clients must be zero or more.")
        with transaction.atomic():
            runs = run_seeders(clients=clients, stdout=self.stdout)
        for run in runs:
            self.stdout.write(f"Demo data: {run.summary} in {run.seconds:.1f} s.")
        # The demo users are the clients seeder's, and the README names them the same way.
        self.stdout.write(
            self.style.SUCCESS(
                f"Sign in as admin@demo.crm, lead.north@demo.crm or manager1@demo.crm … manager6@demo.crm "
                f"with the password {DEMO_PASSWORD}."
            )
        )
