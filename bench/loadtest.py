"""`make load`: 50 concurrent users against gunicorn with 4 workers for 60 s (locust, headless); bench/results.md.

Starts what it needs on free ports and stops only that: a redis-server of its own as the cache (as in
production; none if redis-server is missing), gunicorn serving the bench database (DATABASE_URL, else crm_bench,
made by `make bench`) with production settings, then locust (bench/locustfile.py). The figures go into the
"Load: 50 concurrent users" section of bench/results.md, which `make bench` keeps. Exit status 1 when any request
failed. Options from the environment: LOAD_USERS (50), LOAD_SECONDS (60), LOAD_WORKERS (4), LOAD_OUTPUT.
"""

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import psycopg2

from .database import DEFAULT_URL, Target

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
WORK = ROOT / "var" / "load"
BIN = Path(sys.executable).parent
LOAD_SECTION = "## Load: 50 concurrent users"  # `make bench` (bench/report.py) carries it over
# Request names of bench/locustfile.py, in the order of the table.
ORDER = ["client list", "client page", "quick log", "dashboard", "sign-in page", "sign in"]


def say(line: str) -> None:
    print(line, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up in {seconds:.0f} s")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
            return response.status == 200
    except OSError:
        return False


def check_data(target: Target) -> None:
    try:
        connection = psycopg2.connect(
            dbname=target.name, user=target.user, password=target.password, host=target.host, port=target.port
        )
    except psycopg2.OperationalError as error:
        raise SystemExit(f"No bench database ({error}): run `make bench` first.") from error
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user WHERE email IN ('manager001@bench.crm', 'lead01@bench.crm')")
        found = cursor.fetchone()[0]
    connection.close()
    if found != 2:
        raise SystemExit(f"{target.name} holds no bench users: run `make bench` first.")


def server_environment(url: str, redis_url: str) -> dict[str, str]:
    """Production settings (DEBUG off, hashed passwords, axes, CSP), but plain http on 127.0.0.1."""
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "load-test-only-key-not-used-in-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PLAIN_STATIC": "1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "crm.settings",
    }
    environment.pop("REDIS_URL", None)
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


def replace_section(path: Path, title: str, body: str) -> None:
    """Write one section and keep the rest of the file: in its place, else before "Over budget" (after the
    timings), else at the end."""
    text = path.read_text() if path.exists() else "# Bench results\n"
    block = f"{title}\n\n{body.rstrip()}\n\n"
    start = text.find(title)
    if start >= 0:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + block + ("" if end < 0 else text[end + 1 :])
    else:
        anchor = text.find("## Over budget")
        text = text[:anchor] + block + text[anchor:] if anchor >= 0 else text.rstrip("\n") + "\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n")


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def failed(rows: list[dict]) -> int:
    """Failed requests of every kind: the total row counts only after the sign-ins (bench/locustfile.py)."""
    return sum(int(row["Failure Count"]) for row in rows if row["Name"] != "Aggregated")


def section(
    rows: list[dict], *, users: int, seconds: int, workers: int, cache: str, load: str, busy: float = 0.0
) -> str:
    by_name = {row["Name"]: row for row in rows}
    total = by_name.pop("Aggregated")
    names = [name for name in ORDER if name in by_name] + sorted(set(by_name) - set(ORDER))
    failures, requests = failed(rows), sum(int(row["Request Count"]) for row in by_name.values())
    lines = [
        f"Written by `make load` on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; kept as it is by `make bench`.",
        "",
        f"{users} users at once ({users - users // 5} account managers, {users // 5} team leads, each with an "
        f"account of its own), started 25 per second, each signing in once and then for {seconds} s clicking every "
        "1–3 s: the client list (a random page), a client page, a quick log on one of their own clients (the htmx "
        "form with its CSRF token) and, for leads, the team dashboard. Server: gunicorn with "
        f"{workers} sync workers on this machine, production settings (DEBUG off), the bench database above, "
        f"{cache} as the cache. Locust runs on the same machine. Load average while running: {load}. The sign-in "
        "rows are the start, every user hashing its password at once; the other rows and the total count the "
        f"{seconds} s after the last user signed in.",
        "",
        "| Request | Count | Failures | Req/s | p50 ms | p95 ms | p99 ms | Max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in [*names, "Aggregated"]:
        row = total if name == "Aggregated" else by_name[name]
        label = "**All, after the sign-ins**" if name == "Aggregated" else name
        lines.append(
            f"| {label} | {int(row['Request Count']):,} | {int(row['Failure Count'])} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):.0f} |"
        )
    served, offered = float(total["Requests/s"]), users / 2  # 2 s: the mean time a user thinks between two clicks
    lines += [
        "",
        f"The users would click {offered:.0f} times a second if every answer were instant; {served:.1f} were served"
        + (
            ": the server kept up."
            if served >= 0.9 * offered
            else ", so the server was at capacity and the times above are mostly waiting for a free worker (CPU: "
            f"{os.cpu_count()} cores for gunicorn, PostgreSQL and locust together)."
        )
        + (
            f" Other processes were already running (load average {busy:.1f} before the server started): the figures "
            "are pessimistic, run `make load` again on a quiet machine."
            if busy > 0.5 * (os.cpu_count() or 1)
            else ""
        ),
        "",
        f"Error rate: **{failures} of {requests:,} requests failed**, sign-ins included"
        + (" (0 %)." if failures == 0 else f" ({failures / requests:.2%}): see var/load/.")
        + " Times are measured by the client, so they include waiting for a free worker; the single-user "
        'server times are in "Timings" above.',
        "",
        "```bash",
        "make load                        # 50 users, 60 s, against crm_bench (after `make bench`)",
        "LOAD_USERS=100 LOAD_SECONDS=120 make load",
        "```",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    users = int(os.environ.get("LOAD_USERS") or 50)
    seconds = int(os.environ.get("LOAD_SECONDS") or 60)
    workers = int(os.environ.get("LOAD_WORKERS") or 4)
    output = Path(os.environ.get("LOAD_OUTPUT") or RESULTS)
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    target = Target.from_url(url)
    check_data(target)
    busy = os.getloadavg()[0]  # before anything of ours runs
    WORK.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen] = []
    try:
        redis_url, cache = "", "the file cache"
        if shutil.which("redis-server"):
            redis_port = free_port()
            command = ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", ""]
            started.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))  # noqa: S603
            redis_url, cache = f"redis://127.0.0.1:{redis_port}/0", "a Redis of its own"
        environment = server_environment(url, redis_url)
        # The code may be ahead of the bench database (as `make bench` does, migrations first).
        manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        subprocess.run(manage, cwd=ROOT, env=environment, check=True)  # noqa: S603
        # In production the worker computes each team's dashboard into the cache every 5 minutes (warm-dashboards).
        warm = "from dashboards.services.warming import warm_dashboards; warm_dashboards()"
        manage = [sys.executable, "manage.py", "shell", "-v", "0", "-c", warm]
        subprocess.run(manage, cwd=ROOT, env=environment, check=True)  # noqa: S603
        port = free_port()
        say(f"gunicorn with {workers} workers on 127.0.0.1:{port}, database {target.name}")
        with (WORK / "gunicorn.log").open("w") as log:
            started.append(
                subprocess.Popen(  # noqa: S603
                    [
                        str(BIN / "gunicorn"),
                        "crm.wsgi:application",
                        "--workers",
                        str(workers),
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--timeout",
                        "60",
                    ],
                    cwd=ROOT,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        host = f"http://127.0.0.1:{port}"
        wait_until(lambda: answers(f"{host}/healthz"), 60, "gunicorn")
        for _ in range(4 * workers):  # each worker's first request loads URLs and templates: not part of the run
            answers(f"{host}/accounts/login/")
        say(f"locust: {users} users for {seconds} s")
        load_before = os.getloadavg()[0]
        prefix = WORK / "locust"
        command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host]
        command += ["--users", str(users), "--spawn-rate", "25", "--csv", str(prefix), "--only-summary"]
        # The locustfile ends the run LOAD_SECONDS after the last sign-in; --run-time is only a safety net.
        command += ["--run-time", f"{seconds + 180}s", "--stop-timeout", "10", "--loglevel", "WARNING"]
        subprocess.run(command, cwd=ROOT, env={**os.environ, "LOAD_SECONDS": str(seconds)}, check=False)  # noqa: S603
        load = f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end ({os.cpu_count()} cores)"
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    rows = read_stats(prefix)
    text = section(rows, users=users, seconds=seconds, workers=workers, cache=cache, load=load, busy=busy)
    replace_section(output, LOAD_SECTION, text)
    failures = failed(rows)
    say(f"{output}: {failures} failed requests")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
