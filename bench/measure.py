"""Server-side timings of the main pages and API lists, in-process with Django's test client.

A request through the test client runs the whole server path (middleware, view, selectors,
SQL, templates or serializers) without a socket, so the time is what the server spends.
Each URL is requested a few times to warm caches, then timed N times; one more request runs
under CaptureQueriesContext to count its SQL, find its slowest statements and spot statements
repeated per row (queries that grow with the data).
"""

import math
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts.models import Role, User
from clients.models import Client as CrmClient

DASHBOARD_BUDGET_MS = 300
PAGE_BUDGET_MS = 150
SEGMENT_PREVIEW_BUDGET_MS = 500
EXPLAIN_LINES = 70
REPEATED = 3  # the same statement (values aside) more often than this in one request is a per-row query


# What an admin typically builds: tier and status, then behaviour over the last months (issue 8's benchmark).
FIVE_CONDITIONS = {
    "op": "and",
    "rules": [
        {"field": "tier", "operator": "in", "value": ["vip", "key"]},
        {"field": "status", "operator": "in", "value": ["active"]},
        {"field": "days_since_last_interaction", "operator": "gt", "value": 30},
        {"field": "orders_last_days", "operator": "gte", "value": 1, "days": 365},
        {"field": "revenue_last_days", "operator": "gte", "value": "1000", "days": 365},
    ],
}


@dataclass
class Probe:
    """One URL requested as one user, and the p95 it must stay under."""

    name: str
    role: str
    url_name: str
    budget_ms: int
    args: tuple = ()
    query: str = ""
    api: bool = False
    body: dict | None = None  # POSTed as JSON (a preview); None: a GET


def _request(client: Client, probe: Probe, path: str):
    if probe.body is None:
        return client.get(path)
    return client.post(path, probe.body, content_type="application/json")


@dataclass
class Timing:
    probe: Probe
    path: str = ""
    p50_ms: float | None = None
    p95_ms: float | None = None
    first_ms: float | None = None  # the first warm-up request: cold caches (the page's own and the database's)
    samples: int = 0
    queries: int | None = None
    sql_ms: float | None = None  # time in SQL of the captured request (the rest is Python: views, templates)
    note: str = ""
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, SQL) of the captured request
    repeated: list[tuple[int, str]] = field(default_factory=list)  # (times, SQL shape)

    @property
    def passed(self) -> bool | None:
        return None if self.p95_ms is None else self.p95_ms <= self.probe.budget_ms


@dataclass
class Cast:
    """Who the pages are requested as: the owner of the busiest client, that team's lead, an admin."""

    manager: User
    lead: User
    admin: User
    busiest_client: int

    def user(self, role: str) -> User:
        return {Role.MANAGER: self.manager, Role.TEAM_LEAD: self.lead, Role.ADMIN: self.admin}[role]


def pick_cast() -> Cast:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_id FROM interactions_interaction "
            "GROUP BY client_id ORDER BY COUNT(*) DESC, client_id LIMIT 1"
        )
        busiest = cursor.fetchone()[0]
    manager = CrmClient.objects.select_related("account_manager__team__lead").get(pk=busiest).account_manager
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    return Cast(manager=manager, lead=manager.team.lead, admin=admin, busiest_client=busiest)


def probes(cast: Cast) -> list[Probe]:
    """The pages people open all day, and the API lists integrations page through."""
    manager, lead, admin = Role.MANAGER, Role.TEAM_LEAD, Role.ADMIN
    everyone = (manager, lead, admin)
    result = [
        Probe("Dashboard, 30 days (own team)", lead, "dashboards:overview", DASHBOARD_BUDGET_MS, query="period=30"),
        Probe("Dashboard, 90 days (own team)", lead, "dashboards:overview", DASHBOARD_BUDGET_MS, query="period=90"),
        Probe("Dashboard, 30 days (all teams)", admin, "dashboards:overview", DASHBOARD_BUDGET_MS, query="period=30"),
        Probe("Dashboard, 90 days (all teams)", admin, "dashboards:overview", DASHBOARD_BUDGET_MS, query="period=90"),
        # "Refresh" reads the database again, bypassing the dashboard's cache: what computing it costs.
        Probe(
            "Dashboard, 30 days, refreshed (own team)",
            lead,
            "dashboards:overview",
            DASHBOARD_BUDGET_MS,
            query="period=30&refresh=1",
        ),
        Probe(
            "Dashboard, 30 days, refreshed (all teams)",
            admin,
            "dashboards:overview",
            DASHBOARD_BUDGET_MS,
            query="period=30&refresh=1",
        ),
        Probe("Complaints analysis", lead, "dashboards:complaints", DASHBOARD_BUDGET_MS),
        Probe("Feedback analysis", lead, "dashboards:feedback", DASHBOARD_BUDGET_MS),
    ]
    result += [Probe("Client list", role, "clients:list", PAGE_BUDGET_MS) for role in everyone]
    result += [
        Probe("Client page (busiest client)", role, "clients:detail", PAGE_BUDGET_MS, args=(cast.busiest_client,))
        for role in (manager, admin)
    ]
    result += [Probe("Order list", role, "orders:list", PAGE_BUDGET_MS) for role in everyone]
    result += [Probe("Complaint list", role, "complaints:list", PAGE_BUDGET_MS) for role in everyone]
    result += [Probe("My complaints", role, "complaints:mine", PAGE_BUDGET_MS) for role in (manager, lead)]
    result += [Probe("My day", role, "interactions:my_day", PAGE_BUDGET_MS) for role in (manager, lead)]
    for name, url_name in (
        ("API clients", "api-client-list"),
        ("API interactions", "api-interaction-list"),
        ("API orders", "api-order-list"),
        ("API complaints", "api-complaint-list"),
        ("API survey responses", "api-survey-response-list"),
    ):
        result += [Probe(name, role, url_name, PAGE_BUDGET_MS, api=True) for role in everyone]
    result.append(
        Probe(
            "Segment preview, 5 conditions (count + first 20)",
            admin,
            "api-segment-preview",
            SEGMENT_PREVIEW_BUDGET_MS,
            api=True,
            body={"rules": FIVE_CONDITIONS},
        )
    )
    return result


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the value below which `share` of the samples lie."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def sql_shape(sql: str) -> str:
    """A statement with its literal values taken out, so per-row repeats look the same."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\(\s*\?(\s*,\s*\?)*\s*\)", "(?)", sql)


def measure(
    probe: Probe,
    cast: Cast,
    *,
    requests: int = 30,
    warmup: int = 3,
    max_seconds: float = 60,
    progress: Callable[[str], None] | None = None,
) -> Timing:
    """Time one probe. A page slow enough to need more than `max_seconds` for its requests gets fewer
    (at least 10): its p95 is far over budget either way, and the bench stays within minutes."""
    timing = Timing(probe)
    try:
        timing.path = reverse(probe.url_name, args=probe.args) + (f"?{probe.query}" if probe.query else "")
    except NoReverseMatch:
        timing.note = "not built yet"
        return timing
    client = Client(HTTP_ACCEPT="application/json") if probe.api else Client()
    client.force_login(cast.user(probe.role))
    try:
        for attempt in range(max(warmup, 1)):
            started = time.perf_counter()
            response = _request(client, probe, timing.path)
            if attempt == 0:
                timing.first_ms = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                timing.note = f"HTTP {response.status_code}"
                return timing
    except Exception as error:  # a page broken right now is a row in the report, not the end of the run
        timing.note = f"error: {type(error).__name__}: {error}"[:160]
        return timing
    samples: list[float] = []
    deadline = time.perf_counter() + max_seconds
    while len(samples) < requests and (len(samples) < 10 or time.perf_counter() < deadline):
        started = time.perf_counter()
        _request(client, probe, timing.path)
        samples.append((time.perf_counter() - started) * 1000)
    timing.samples = len(samples)
    if len(samples) < requests:
        timing.note = f"{len(samples)} requests (time cap)"
    with CaptureQueriesContext(connection) as captured:
        _request(client, probe, timing.path)
    timing.p50_ms, timing.p95_ms = statistics.median(samples), percentile(samples, 0.95)
    timing.queries = len(captured.captured_queries)
    statements = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    timing.sql_ms = sum(ms for ms, _sql in statements)
    timing.slowest = sorted(statements, reverse=True)[:3]
    shapes = Counter(sql_shape(sql) for _ms, sql in statements)
    timing.repeated = [(count, shape) for shape, count in shapes.most_common() if count > REPEATED]
    if progress:
        progress(
            f"  {probe.name + ' · ' + probe.role:<44} 1st {timing.first_ms:7.1f} ms"
            f"  p50 {timing.p50_ms:7.1f} ms  p95 {timing.p95_ms:7.1f} ms"
            f"  {timing.queries:3d} queries ({timing.sql_ms:.0f} ms)"
        )
    return timing


def explain(sql: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured statement: what the database did and where the time went."""
    if not sql.lstrip().upper().startswith("SELECT") or connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    if len(lines) > EXPLAIN_LINES:  # the top of the plan holds the costly nodes; the tail is timing totals
        lines = [*lines[: EXPLAIN_LINES - 3], "  …", *lines[-2:]]
    return "\n".join(lines)
