"""`make load`'s users (bench/locustfile.py) still work: a few seconds of real locust against the live server."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from interactions.models import Interaction
from tests.factories.accounts import ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory

LOCUST = Path(sys.executable).parent / "locust"
LOCUSTFILE = Path(__file__).resolve().parents[2] / "bench" / "locustfile.py"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)  # the live server reads the users through its own connection
@pytest.mark.skipif(not LOCUST.exists(), reason="locust is in requirements-dev.txt")
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writes: SQLite's shared in-memory test database locks"
)
def test_the_load_tests_users_sign_in_and_click_through_without_a_failure(live_server, tmp_path):
    team = TeamFactory(name="Bench North")
    team.lead = TeamLeadFactory(email="lead01@bench.crm", team=team, password="bench12345")
    team.save()
    for n in (1, 2, 3, 4):
        manager = ManagerFactory(email=f"manager{n:03d}@bench.crm", team=team, password="bench12345")
        ClientFactory.create_batch(2, account_manager=manager)

    command = [str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--host", live_server.url, "--users", "5"]
    command += ["--spawn-rate", "5", "--run-time", "60s", "--csv", str(tmp_path / "locust"), "--only-summary"]
    # No thinking between clicks, and the run ends 3 s after the last user signed in.
    env = {"PATH": str(LOCUST.parent), "LOAD_THINK": "0-0.05", "LOAD_SECONDS": "3"}
    subprocess.run(command, env=env, check=False, capture_output=True, timeout=90)  # noqa: S603

    with open(tmp_path / "locust_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    assert {name: rows[name]["Failure Count"] for name in rows} == dict.fromkeys(rows, "0")
    assert rows["sign in"]["Request Count"] == "5"
    for name in ("client list", "client page", "quick log", "dashboard"):
        assert int(rows[name]["Request Count"]) > 0, name
    assert Interaction.objects.filter(notes__startswith="Load test").exists()
