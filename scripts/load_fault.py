"""Load and fault run: N concurrent API clients log calls against gunicorn on PostgreSQL
for a bounded time, PostgreSQL is restarted once in the middle, and the clients retry
with their Idempotency-Key, as a phone system does. Not a unit test.

    .venv/bin/python scripts/load_fault.py                    # 50 clients, 60 s
    .venv/bin/python scripts/load_fault.py --clients 10 --duration 20 --no-restart

What it does:

1. Creates the scratch database (``--database``, default ``emotioncare_load`` on
   ``--server``, default ``postgres://postgres@127.0.0.1:5432``) when it is missing,
   migrates it, loads the reference data, and creates one agent with an API token per
   client (``load_agent_NNN``) and a pool of customers.
2. Starts gunicorn as ``make serve`` does (``emotioncare.wsgi``, ``DJANGO_DEBUG=false``,
   ``--workers`` default 2 x CPUs + 1, ``--timeout 30``), with the documented
   relaxations for plain HTTP on this machine (``DJANGO_SECURE_SSL_REDIRECT=false``,
   ``DJANGO_SECURE_COOKIES=false``, ``DJANGO_HSTS_SECONDS=0``; docs/security.md), a
   throwaway secret key, and the API's per-user rate limit switched off
   (``EMOTIONCARE_API_RATE_USER=``), on a free local port.
3. Runs the clients (threads, ``http.client``): each logs one call after another with
   ``POST /api/v1/interactions/``, a new ``Idempotency-Key`` per call and a marker in
   the summary (``loadrun:<run>:<client>:<n>``). A connection error, a timeout, a 5xx,
   a 409 or a 429 is retried with the same key and body after a backoff (exponential
   from 0.2 s, capped at 2 s; ``Retry-After`` honoured up to 5 s) until a 2xx comes
   back; at the end of the run, a call in progress gets ``--grace`` seconds to finish.
4. Restarts PostgreSQL once, at ``--restart-at`` seconds (default: half-way), with
   ``pg_ctlcluster --skip-systemctl-redirect <version> main restart`` (the version is
   read from /etc/postgresql). That needs the right to restart the cluster: run the
   script as root or as the ``postgres`` user, or pass ``--no-restart``. PostgreSQL is
   started again at the end should it be down.
5. Counts in the database the rows carrying the run's marker and prints: calls
   acknowledged (a 2xx received), rows stored, duplicates (rows sharing a marker, that
   is one call stored twice), acknowledged calls missing from the database, 5xx
   answers before, during and after the restart, connection errors and timeouts, and
   p50/p95 latency (of each successful attempt, and of each call including its
   retries). "During" holds the attempts still running when the restart command began
   or started before the first 2xx answer to an attempt started after PostgreSQL was
   back; "after" is every attempt started later.

Target (issue 5): 50 clients for 60 s, acknowledged = stored, 0 duplicates, 0 5xx after
recovery. The exit status is 1 when one of those fails.

The database and its ``load_agent_*`` users are kept for the next run (``--drop`` drops
the database at the end). gunicorn's log goes to a temporary file, named at the end.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
API_PATH = "/api/v1/interactions/"
RETRY_STATUSES = {409, 429, 500, 502, 503, 504}
CHANNELS = ["phone", "email", "sms", "chat", "in_person", "letter"]
START_EMOTIONS = ["anger", "annoyance", "disappointment", "anxiety", "confusion", "neutral"]
END_EMOTIONS = ["neutral", "satisfaction", "gratitude", "annoyance", None]
CUSTOMERS = 200

SETUP = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from interactions.models import Customer
from interactions.roles import assign_role

clients, customers = int(sys.argv[1]), int(sys.argv[2])
User = get_user_model()
tokens = []
for number in range(clients):
    user, created = User.objects.get_or_create(username=f"load_agent_{number:03d}")
    if created:
        user.set_unusable_password()
        user.save()
        assign_role(user, "agent")
    tokens.append(Token.objects.get_or_create(user=user)[0].key)
pool = list(
    Customer.objects.filter(external_ref__startswith="LOAD-").values_list("pk", flat=True)
)
for number in range(len(pool), customers):
    pool.append(
        Customer.objects.create(
            name=f"Load customer {number}",
            phone=f"010-{number // 10000:04d}-{number % 10000:04d}",
            external_ref=f"LOAD-{number}",
        ).pk
    )
print(json.dumps({"tokens": tokens, "customers": pool[:customers]}))
"""


# --- What the clients record -------------------------------------------------------------


@dataclass
class Attempt:
    client: int
    call: int
    started: float
    ended: float
    status: int | None  # None: connection error or timeout
    error: str = ""
    replayed: bool = False  # the stored first answer to this key (Idempotent-Replayed)


@dataclass
class Call:
    client: int
    number: int
    marker: str
    started: float
    ended: float | None = None
    acknowledged: bool = False
    attempts: int = 0


@dataclass
class Run:
    attempts: list[Attempt] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    restart_started: float | None = None
    restart_ended: float | None = None
    restart_error: str = ""
    t0: float = 0.0

    def add_attempt(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)

    def add_call(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)


# --- Setup ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(server: str, name: str) -> None:
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    connection.close()


def drop_database(server: str, name: str) -> None:
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def server_environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="emotioncare.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # The documented relaxations for plain HTTP on one machine (docs/security.md).
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        # Every client is its own user, but switch the per-user limit off all the same:
        # this measures the server, not the throttle.
        EMOTIONCARE_API_RATE_USER="",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict, clients: int) -> tuple[list[str], list[int]]:
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_reference_data", "--verbosity", "0")
    done = subprocess.run(
        [PYTHON, "-c", SETUP, str(clients), str(CUSTOMERS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data["tokens"], data["customers"]


def start_gunicorn(env: dict, port: int, workers: int, log) -> subprocess.Popen:
    command = [
        GUNICORN,
        "emotioncare.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--graceful-timeout",
        "20",
        "--access-logfile",
        "-",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_until_up(port: int, token: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _body, _headers = request(port, "GET", "/api/v1/emotions/", token, None, None)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time; see its log")


# --- The clients ------------------------------------------------------------------------------


def request(port, method, path, token, body, key, timeout=10.0):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = key
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def call_body(customers: list[int], marker: str, rng: random.Random) -> bytes:
    now = datetime.now(timezone(timedelta(hours=9))).replace(microsecond=0)
    end = rng.choice(END_EMOTIONS)
    return json.dumps(
        {
            "customer": rng.choice(customers),
            "occurred_at": (now - timedelta(minutes=rng.randint(0, 120))).isoformat(),
            "channel": rng.choice(CHANNELS),
            "emotion_start": rng.choice(START_EMOTIONS),
            "emotion_end": end,
            "intensity": rng.randint(1, 5),
            "cues": rng.sample(["words", "tone", "behaviour"], k=rng.randint(0, 2)),
            "summary": marker,
            "response_text": rng.choice(
                ["I am sorry; we will fix it today.", "불편을 드려 죄송합니다.", ""]
            ),
        }
    ).encode()


def client_loop(number, port, token, customers, run: Run, stop_at, give_up_at, run_id, timeout):
    rng = random.Random(f"{run_id}-{number}")
    sequence = 0
    while time.monotonic() < stop_at:
        sequence += 1
        marker = f"loadrun:{run_id}:{number}:{sequence}"
        key = f"{run_id}-{number}-{sequence}"
        body = call_body(customers, marker, rng)
        call = Call(client=number, number=sequence, marker=marker, started=time.monotonic())
        backoff = 0.2
        while True:
            call.attempts += 1
            started = time.monotonic()
            status, error, wait, replayed = None, "", None, False
            try:
                status, _data, headers = request(
                    port, "POST", API_PATH, token, body, key, timeout=timeout
                )
                wait = headers.get("Retry-After")
                replayed = headers.get("Idempotent-Replayed") == "true"
            except (OSError, http.client.HTTPException) as failure:
                error = type(failure).__name__
            ended = time.monotonic()
            run.add_attempt(Attempt(number, sequence, started, ended, status, error, replayed))
            if status is not None and 200 <= status < 300:
                call.acknowledged, call.ended = True, ended
                break
            if status is not None and status not in RETRY_STATUSES:
                call.ended = ended  # refused (4xx): a bug in the client or the server
                break
            if time.monotonic() > give_up_at:
                break
            pause = backoff
            if wait and wait.isdigit():
                pause = max(pause, min(float(wait), 5.0))
            time.sleep(pause * rng.uniform(0.8, 1.2))
            backoff = min(backoff * 2, 2.0)
        run.add_call(call)


# --- The fault ------------------------------------------------------------------------------


def postgres_version() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.name[0].isdigit())
    if not versions:
        raise SystemExit("no PostgreSQL cluster under /etc/postgresql")
    return versions[-1]


def cluster(action: str, version: str) -> subprocess.CompletedProcess:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
    return subprocess.run(command, capture_output=True, text=True)


def restart_postgres(run: Run, version: str) -> None:
    run.restart_started = time.monotonic()
    done = cluster("restart", version)
    run.restart_ended = time.monotonic()
    if done.returncode != 0:
        run.restart_error = (done.stderr or done.stdout).strip()


def ensure_postgres_running(version: str) -> None:
    status = cluster("status", version)
    if status.returncode != 0:  # 3: not running
        print("PostgreSQL was down: starting it")
        cluster("start", version)


# --- Figures ---------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def stored_rows(database_url: str, run_id: str) -> tuple[dict[str, int], int]:
    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT summary, count(*) FROM interactions_interaction "
            "WHERE summary LIKE %s GROUP BY summary",
            [f"loadrun:{run_id}:%"],
        )
        rows = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM interactions_idempotencykey WHERE key LIKE %s",
            [f"{run_id}-%"],
        )
        keys = cursor.fetchone()[0]
    connection.close()
    return rows, keys


def report(run: Run, rows: dict[str, int], keys: int, args) -> bool:
    attempts, calls = run.attempts, run.calls
    acknowledged = {call.marker for call in calls if call.acknowledged}
    stored = sum(rows.values())
    duplicates = sum(count - 1 for count in rows.values() if count > 1)
    missing = len(acknowledged - set(rows))
    unacknowledged_stored = len(set(rows) - acknowledged)
    refused = [a for a in attempts if a.status is not None and 400 <= a.status < 500]
    refused = [a for a in refused if a.status not in RETRY_STATUSES]

    recovered_at = None
    if run.restart_ended is not None:
        later = [
            a.ended
            for a in attempts
            if a.started >= run.restart_ended and a.status and 200 <= a.status < 300
        ]
        recovered_at = min(later) if later else float("inf")

    def phase(attempt: Attempt) -> str:
        # An attempt in flight when the restart began counts as "during".
        if run.restart_started is None or attempt.ended < run.restart_started:
            return "before"
        if attempt.started < recovered_at:
            return "during"
        return "after"

    counts = {
        name: {"5xx": 0, "errors": 0, "attempts": 0} for name in ("before", "during", "after")
    }
    for attempt in attempts:
        bucket = counts[phase(attempt)]
        bucket["attempts"] += 1
        if attempt.status is None:
            bucket["errors"] += 1
        elif attempt.status >= 500:
            bucket["5xx"] += 1
    ok = [a.ended - a.started for a in attempts if a.status and 200 <= a.status < 300]
    whole = [c.ended - c.started for c in calls if c.acknowledged]
    statuses: dict[str, int] = {}
    for attempt in attempts:
        label = str(attempt.status) if attempt.status is not None else attempt.error
        statuses[label] = statuses.get(label, 0) + 1
    throughput = len(acknowledged) / args.duration

    print()
    print(f"clients {args.clients}, {args.duration:.0f} s, gunicorn workers {args.workers}")
    if run.restart_started is not None:
        took = run.restart_ended - run.restart_started
        back = (recovered_at - run.restart_started) if recovered_at != float("inf") else None
        print(
            f"PostgreSQL restarted at {run.restart_started - run.t0:.1f} s (took {took:.1f} s"
            + (f"; first 2xx after it {back:.1f} s after the restart began)" if back else ")")
        )
        if run.restart_error:
            print(f"  restart failed: {run.restart_error}")
    print(f"attempts                {len(attempts)}  ({json.dumps(statuses, sort_keys=True)})")
    replays = sum(1 for attempt in attempts if attempt.replayed)
    print(f"calls acknowledged      {len(acknowledged)}  ({throughput:.1f}/s)")
    print(f"  of which by a replay  {replays}  (a retry answered with the stored response)")
    print(f"calls not acknowledged  {sum(1 for call in calls if not call.acknowledged)}")
    print(f"rows stored             {stored}")
    print(f"duplicates              {duplicates}")
    print(f"acknowledged, missing   {missing}")
    print(f"stored, not acknowledged {unacknowledged_stored}")
    print(f"idempotency keys stored {keys}")
    print(f"4xx refusals            {len(refused)}")
    for name in ("before", "during", "after"):
        bucket = counts[name]
        print(
            f"{name:<7} restart: {bucket['attempts']:>6} attempts, {bucket['5xx']:>4} 5xx, "
            f"{bucket['errors']:>4} connection errors/timeouts"
        )
    print(
        f"latency of a 2xx attempt: p50 {percentile(ok, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(ok, 0.95) * 1000:.0f} ms"
    )
    print(
        f"latency of a call, retries included: p50 {percentile(whole, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(whole, 0.95) * 1000:.0f} ms, max {max(whole or [0]) * 1000:.0f} ms"
    )
    passed = (
        len(acknowledged) == stored
        and duplicates == 0
        and missing == 0
        and counts["after"]["5xx"] == 0
        and not refused
    )
    print("target met" if passed else "TARGET MISSED")
    return passed


# --- Main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--restart-at", type=float, default=None, help="default: half-way")
    parser.add_argument("--no-restart", action="store_true")
    parser.add_argument("--grace", type=float, default=60.0, help="seconds to finish a call")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds a client waits for an answer"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="emotioncare_load")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()

    version = postgres_version() if not args.no_restart else None
    database_url = f"{args.server}/{args.database}"
    ensure_database(args.server, args.database)
    env = server_environment(database_url)
    print(f"preparing {args.database}: migrate, reference data, {args.clients} API users")
    tokens, customers = prepare(env, args.clients)

    run_id = uuid.uuid4().hex[:10]
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="load_fault_gunicorn_", suffix=".log", delete=False)
    server = start_gunicorn(env, port, args.workers, log)
    run = Run()
    try:
        wait_until_up(port, tokens[0])
        print(f"gunicorn up on port {port}; run {run_id}: {args.clients} clients")
        run.t0 = time.monotonic()
        stop_at = run.t0 + args.duration
        give_up_at = stop_at + args.grace
        threads = [
            threading.Thread(
                target=client_loop,
                args=(
                    n,
                    port,
                    tokens[n],
                    customers,
                    run,
                    stop_at,
                    give_up_at,
                    run_id,
                    args.timeout,
                ),
                daemon=True,
            )
            for n in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        if version is not None:
            restart_at = args.restart_at if args.restart_at is not None else args.duration / 2
            time.sleep(max(0.0, run.t0 + restart_at - time.monotonic()))
            print(f"restarting PostgreSQL {version} at {time.monotonic() - run.t0:.1f} s")
            restart_postgres(run, version)
            print(f"PostgreSQL back after {run.restart_ended - run.restart_started:.1f} s")
        for thread in threads:
            thread.join()
    finally:
        if version is not None:
            ensure_postgres_running(version)
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    rows, keys = stored_rows(database_url, run_id)
    passed = report(run, rows, keys, args)
    print(f"gunicorn log: {log.name}")
    if args.drop:
        drop_database(args.server, args.database)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
