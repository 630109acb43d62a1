"""bench/results.md: the machine, the data set as read back, generation time and the timings table.

The file is rewritten on every run except its "Indexes and rollups" section, which people edit
by hand (what was added after a run, and why), the "Load: 50 concurrent users" section that
`make load` writes (bench/loadtest.py) and the two health sections (`python -m bench.health`,
`manage.py health_backtest --write`): they are carried over as they are.
"""

import os
import platform
import re
from datetime import datetime
from pathlib import Path

import django
from django.db import connection

from .loadtest import LOAD_SECTION  # written by `make load`, kept after the timings
from .measure import Timing

KEPT_SECTION = "## Indexes and rollups"
# Written by `python -m bench.health` and `manage.py health_backtest --write`; kept after the timings.
HEALTH_RECOMPUTE_SECTION = "## Health: nightly recompute"
HEALTH_BACKTEST_SECTION = "## Health backtest"
HEALTH_SECTIONS = (HEALTH_RECOMPUTE_SECTION, HEALTH_BACKTEST_SECTION)
PLACEHOLDER = """\
Filled in by the lead engineer after each run: what was added (model, fields, migration) and what it
changed in the table above. Findings of this run are in "Over budget" and the bench's report.

- _none yet_
"""
# (label, table) of the row counts read back after generation.
COUNTED = [
    ("Teams", "accounts_team"),
    ("Users", "accounts_user"),
    ("Clients", "clients_client"),
    ("Client tags", "clients_client_tags"),
    ("Contacts", "contacts_contact"),
    ("Interactions", "interactions_interaction"),
    ("Interaction contacts", "interactions_interaction_contacts"),
    ("Follow-ups", "interactions_followup"),
    ("Reminders", "interactions_reminder"),
    ("Notifications", "interactions_notification"),
    ("Products", "orders_product"),
    ("Orders", "orders_order"),
    ("Order lines", "orders_orderline"),
    ("Order transitions", "orders_ordertransition"),
    ("Complaints", "complaints_complaint"),
    ("Complaint activities", "complaints_complaintactivity"),
    ("Escalations", "complaints_escalation"),
    ("Survey requests", "feedback_surveyrequest"),
    ("Survey responses", "feedback_surveyresponse"),
    ("History records (clients, contacts, interactions, follow-ups, orders)", None),
]
HISTORY_TABLES = (
    "clients_historicalclient",
    "contacts_historicalcontact",
    "interactions_historicalinteraction",
    "interactions_historicalfollowup",
    "orders_historicalorder",
)


def machine() -> dict[str, str]:
    cpu = ""
    meminfo = Path("/proc/meminfo")
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = match.group(1).strip() if match else ""
    ram = ""
    if meminfo.exists():
        match = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        ram = f"{int(match.group(1)) / 1024**2:.1f} GiB" if match else ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings = []
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name} {cursor.fetchone()[0]}")
    return {
        "CPU": f"{os.cpu_count()} cores{', ' + cpu if cpu else ''}",
        "RAM": ram or "?",
        "PostgreSQL": f"{version} ({', '.join(settings)}; defaults of the Debian package)",
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
    }


def row_counts() -> list[tuple[str, int]]:
    counts = []
    with connection.cursor() as cursor:
        for label, table in COUNTED:
            total = 0
            for name in [table] if table else HISTORY_TABLES:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 (fixed names)
                total += cursor.fetchone()[0]
            counts.append((label, total))
    return counts


def kept_section(path: Path, title: str = KEPT_SECTION, placeholder: str = PLACEHOLDER) -> str:
    """A section of the previous results carried over (the hand-written one by default), or the placeholder."""
    if path.exists():
        text = path.read_text()
        start = text.find(title)
        if start >= 0:
            body = text[start + len(title) :]
            end = body.find("\n## ")
            return (body if end < 0 else body[:end]).strip("\n") + "\n"
    return placeholder


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _sql(text: str, limit: int = 700) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def write(
    path: Path,
    *,
    label: dict,
    reused: bool,
    migrate_seconds: float,
    timings: list[Timing],
    explains: dict[int, str],
    requests: int,
    warmup: int,
    load: str,
) -> None:
    kept = kept_section(path)
    load_section = kept_section(path, LOAD_SECTION, placeholder="")
    health_sections = [(title, kept_section(path, title, placeholder="")) for title in HEALTH_SECTIONS]
    lines = [
        "# Bench results",
        "",
        f"Written by `make bench` on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}. Everything but the "
        f'"{KEPT_SECTION[3:]}", "{LOAD_SECTION[3:]}" and health sections is rewritten on each run.',
        "",
        "## How to run",
        "",
        "```bash",
        "make bench                   # generate the data set once (if missing), then measure",
        "BENCH_FRESH=1 make bench     # drop the bench database and generate again",
        "BENCH_SCALE=0.01 make bench  # a quick small run, in crm_bench_0_01 (results under var/bench/)",
        ".venv/bin/python -m bench.health            # time the nightly health recompute on the data set",
        ".venv/bin/python manage.py health_backtest --write  # the health backtest on DATABASE_URL's data",
        "```",
        "",
        "PostgreSQL only: `DATABASE_URL` if set, else `postgres://crm:crm@127.0.0.1:5432/crm_bench` "
        "(created when missing). Bench users sign in with the password `bench12345` "
        "(`admin@bench.crm`, `lead01@bench.crm`, `manager001@bench.crm`, …).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine().items()),
        "",
        "## Data set",
        "",
    ]
    generated = f"generated on {label.get('generated_at', '?')} in **{label.get('seconds', 0):.0f} s**"
    lines.append(
        f"Scale {label.get('scale')}, seed {label.get('seed')}: {generated}"
        + (" (reused by this run)" if reused else "")
        + f"; migrations took {migrate_seconds:.0f} s on this run. Row counts as read back:"
    )
    lines += ["", "| What | Rows |", "|---|---:|"]
    lines += [f"| {name} | {count:,} |" for name, count in row_counts()]
    lines += ["", "<details><summary>Generation, table by table</summary>", "", "| Table | Rows | s | rows/s |"]
    lines += ["|---|---:|---:|---:|"]
    for table, rows, seconds in label.get("tables", []):
        lines.append(f"| {table} | {rows:,} | {seconds:.1f} | {rows / seconds if seconds else 0:,.0f} |")
    lines += [f"| _{what}_ | | {seconds:.1f} | |" for what, seconds in label.get("steps", [])]
    lines += [
        "",
        "Rows are streamed with COPY (one per table, Python and PostgreSQL working at once) while secondary "
        "indexes and foreign keys are dropped; history records are INSERT … SELECT. Drawing the rows in "
        "memory before each COPY makes up the rest of the total.",
        "</details>",
        "",
        "## Timings",
        "",
        f"Server time per request (Django test client in-process, DEBUG off, full middleware, views, templates "
        f"and SQL): {warmup} warm-up requests (1st ms: the first of them, with cold caches), then {requests} "
        f"timed; the budget applies to their p95. Queries and SQL ms: the statements of one "
        f"more request and the time spent in them (the rest of p50 is Python: views, forms, templates, "
        f"serializers). Budgets: 300 ms for dashboards, 150 ms for every list, page and API list. "
        f"Load average of the machine while measuring: {load}.",
        "",
        "| Page | As | URL | 1st ms | p50 ms | p95 ms | Queries | SQL ms | Budget | Result |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for t in timings:
        result = {True: "pass", False: "**FAIL**", None: t.note or "—"}[t.passed]
        if t.passed is not None and t.note:
            result += f" ({t.note})"
        queries = "—" if t.queries is None else str(t.queries)
        path_text = f"`{t.path}`" if t.path else "—"
        lines.append(
            f"| {t.probe.name} | {t.probe.role} | {path_text} | {_ms(t.first_ms)} | {_ms(t.p50_ms)} "
            f"| {_ms(t.p95_ms)} | {queries} | {_ms(t.sql_ms)} | {t.probe.budget_ms} | {result} |"
        )
    failing = [t for t in timings if t.passed is False]
    if load_section:
        lines += ["", LOAD_SECTION, "", load_section.rstrip("\n")]
    for title, body in health_sections:
        if body:
            lines += ["", title, "", body.rstrip("\n")]
    lines += ["", "## Over budget: where the time goes", ""]
    if not failing:
        lines.append("Nothing over budget.")
    for index, t in enumerate(timings):
        if t.passed is not False:
            continue
        lines += [
            f"### {t.probe.name} as {t.probe.role} (p95 {_ms(t.p95_ms)} ms, {_ms(t.sql_ms)} ms of it in SQL)",
            "",
            "Slowest statements, and the plan of the slowest:",
            "",
        ]
        lines += [f"- {ms:.1f} ms: `{_sql(sql)}`" for ms, sql in t.slowest]
        if explains.get(index):
            lines += ["", "```", explains[index], "```"]
        lines.append("")
    repeats = [t for t in timings if t.repeated]
    lines += ["", "## Statements repeated within one request", ""]
    if not repeats:
        lines.append(
            "None: no statement runs more than 3 times in one request, so query counts do not grow with the data."
        )
    for t in repeats:
        lines.append(f"- {t.probe.name} as {t.probe.role}:")
        lines += [f"  - {count}×: `{_sql(shape, 300)}`" for count, shape in t.repeated]
    lines += ["", KEPT_SECTION, "", kept.rstrip("\n"), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))
