"""Locust users of `make load` (bench/loadtest.py): account managers and team leads of the bench data set.

Each user signs in once (its own bench account, password bench12345), then until the run ends mixes what people
do all day: the client list, a client page, a quick log on one of their clients (the htmx form, CSRF token
included) and, for leads, the team dashboard. A few seconds of thought between two clicks.

Signing in costs each user a password hash (~0.5 s of CPU on purpose), all at the start: the measured window
starts when the last user is signed in and lasts LOAD_SECONDS. The sign-in rows keep their figures; every
other row and the total are counted from then on.
"""

import itertools
import os
import random
import re

import gevent
from locust import HttpUser, between, task

PASSWORD = "bench12345"  # noqa: S105 (the bench data set's published password)
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
MANAGERS = itertools.count(1)
LEADS = itertools.count(1)
SIGN_IN = ("sign-in page", "sign in")
SIGNED_IN = itertools.count(1)


def start_measuring(environment) -> None:
    """Every user is signed in: count the mix from now, and end the run LOAD_SECONDS later."""
    for entry in environment.stats.entries.values():
        if entry.name not in SIGN_IN:
            entry.reset()
    environment.stats.total.reset()
    gevent.spawn_later(int(os.environ.get("LOAD_SECONDS") or 60), environment.runner.quit)


class StaffUser(HttpUser):
    abstract = True
    # Seconds of thought between two clicks; LOAD_THINK="0-0" clicks at once (the smoke test of this file).
    wait_time = between(*(float(bound) for bound in (os.environ.get("LOAD_THINK") or "1-3").split("-")))
    email = ""

    def on_start(self):
        self.client.get("/accounts/login/", name="sign-in page")
        response = self.client.post(
            "/accounts/login/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": self.client.cookies["csrftoken"]},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        )
        with response:
            if response.status_code != 302:
                response.failure(f"{self.email} not signed in: {response.status_code}")
        self.clients = self._client_ids(self.client.get("/clients/", name="client list").text)
        self.own = []  # clients this user may log on (the page offers the quick log)
        # Before measuring starts, find one such client on the list's first page, so that every manager's mix
        # has quick logs from the first second (found by chance alone, a short run could have none).
        for pk in self.clients[:20]:
            self._open_client(pk)
            if self.own:
                break
        if next(SIGNED_IN) == self.environment.runner.target_user_count:
            start_measuring(self.environment)

    @staticmethod
    def _client_ids(html: str) -> list[int]:
        return list(dict.fromkeys(int(pk) for pk in CLIENT_LINK.findall(html)))

    @task(3)
    def client_list(self):
        page = random.randint(1, 20)  # noqa: S311
        self.client.get(f"/clients/?page={page}", name="client list")

    @task(3)
    def client_page(self):
        if not self.clients:
            return
        self._open_client(random.choice(self.clients))  # noqa: S311

    def _open_client(self, pk: int) -> None:
        html = self.client.get(f"/clients/{pk}/", name="client page").text
        if 'id="quick-log"' in html and pk not in self.own:
            self.own.append(pk)

    @task(2)
    def quick_log(self):
        if not self.own:
            return
        pk = random.choice(self.own)  # noqa: S311
        self.client.post(
            f"/interactions/client/{pk}/quick-log/",
            {"kind": "call", "notes": "Load test: called about the next order"},
            headers={"HX-Request": "true", "X-CSRFToken": self.client.cookies["csrftoken"]},
            name="quick log",
        )


class Manager(StaffUser):
    weight = 4  # 40 of 50 users

    def on_start(self):
        self.email = f"manager{next(MANAGERS):03d}@bench.crm"
        super().on_start()


class Lead(StaffUser):
    weight = 1

    def on_start(self):
        self.email = f"lead{next(LEADS):02d}@bench.crm"
        super().on_start()

    @task(3)
    def dashboard(self):
        self.client.get("/dashboards/", name="dashboard")
