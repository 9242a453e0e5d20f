"""Soak test: minutes of mixed traffic against gunicorn and PostgreSQL, with a database restart.

    python bench/soak.py                 5 minutes (SOAK_SECONDS), writes the soak section of
                                         bench/RESULTS.md
    SOAK_SECONDS=30 python bench/soak.py --reuse-db --no-results    a short smoke run

Public reads of every page type at twice the estimated national peak, a staff member's edits
every few seconds (each bumps the data version the page cache follows), a CSV import a minute,
public form submissions and door-counter taps; PostgreSQL restarted once in the middle while
gunicorn keeps running. Loopback only; every wait is bounded. Exits non-zero on any error, an
error after the database came back, or worker memory growing by more than 10 %. See
bench/README.md for the load and its basis.
"""

import argparse
import csv
import gzip
import http.client
import io
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import run as bench

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kohtaamispaikat_soak_bench"
START_MARKER = "<!-- soak:results:start -->"
END_MARKER = "<!-- soak:results:end -->"
HOST = bench.HOST
# The estimated national peak, requests a second to Django (bench/README.md, "Soak").
PEAK_PER_SECOND = 5.0
LOAD_FACTOR = 2
EDIT_EVERY = 5.0  # seconds between staff edits
IMPORT_EVERY = 60.0
SUBMIT_EVERY = 10.0  # public form submissions
TAP_EVERY = 15.0  # door-counter taps
# Long enough for each worker's local-memory cache (300 pages) to fill, so that memory at the
# start is a worker's working size, not an empty one's.
WARMUP_SECONDS = 60
MEMORY_GROWTH_LIMIT = 0.10
MEMORY_EVERY = 5.0  # seconds between samples of the workers' memory
MEMORY_WINDOW = 30.0  # the start and the end: the samples of the first and last 30 s
REQUEST_TIMEOUT = 60
CLIENT_THREADS = 32
STAFF_USERNAME = "soak-staff"

# Public page types and their share of the reads (a visitor's pages, crawlers, data clients).
PAGE_WEIGHTS = {
    "home": 8,
    "place list": 10,
    "place list, filtered": 10,
    "place detail": 20,
    "municipality": 6,
    "municipality list": 1,
    "map": 3,
    "places.geojson": 1,
    "places.csv": 0.5,
    "meeting list": 4,
    "meeting detail": 4,
    "meetings.ics": 1,
    "atom feed": 1,
    "coordinators": 1,
    "coverage": 1,
    "coverage.csv": 0.3,
    "statistics": 1,
    "board": 3,
    "listing detail": 2,
    "board feed": 0.5,
    "suggestion form": 1,
    "open data": 1,
    "hsds services": 1,
    "hsds service": 1,
    "hsds organizations": 0.5,
    "hsds organization": 0.5,
    "hsds service_at_location": 0.3,
    "sitemap": 1,
    "robots.txt": 1,
    "healthz": 1,
    "static file": 2,
}


@dataclass
class Result:
    kind: str
    started: float
    ended: float
    status: int  # 0: no answer (connection refused, reset, timed out)
    detail: str = ""

    @property
    def seconds(self):
        return self.ended - self.started


@dataclass
class Log:
    results: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result):
        with self.lock:
            self.results.append(result)


# --- HTTP ------------------------------------------------------------------------------------


class Browser:
    """One visitor or staff member: cookies kept, a new connection per request (gunicorn's
    sync workers close each one)."""

    def __init__(self, port, log, address=None):
        self.port, self.log, self.address = port, log, address
        self.cookies = {}

    def request(self, kind, method, path, body=None, headers=None, expect=(200,)):
        headers = {"Accept-Encoding": "gzip", **(headers or {})}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            if response.getheader("Content-Encoding") == "gzip":
                content = gzip.decompress(content)
        except (OSError, http.client.HTTPException) as error:
            self.log.add(Result(kind, started, time.monotonic(), 0, f"{path}: {error!r}"))
            return None
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        detail = "" if response.status in expect else f"{method} {path}"
        if response.status == 503 and response.getheader("Retry-After"):
            detail += f" Retry-After={response.getheader('Retry-After')}"
        result = Result(kind, started, time.monotonic(), response.status, detail)
        self.log.add(result)
        response.content = content
        response.expected = response.status in expect
        return response

    def csrf_token(self, html):
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match[1].decode() if match else ""

    def post_form(self, kind, path, fields, expect=(302,)):
        body = urlencode(fields, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(kind, "POST", path, body, headers, expect)

    def post_multipart(self, kind, path, fields, files, expect=(200,)):
        boundary = secrets.token_hex(12)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n'
            )
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request(kind, "POST", path, body, headers, expect)


# --- the load --------------------------------------------------------------------------------


def public_path(kind, data, rng):
    language = rng.choices(["", "/sv", "/en"], [8, 1, 1])[0]
    if kind == "place list, filtered":
        query = {"municipality": rng.choice(data["municipality_codes"])}
        if rng.random() < 0.5:
            query["audience"] = "lapsiperheet"
        if rng.random() < 0.5:
            query["open_now"] = "1"
        if rng.random() < 0.3:
            query["page"] = str(rng.randint(1, 3))
        return f"{language}/places/?{urlencode(query)}"
    paths = {
        "home": "/",
        "place list": "/places/",
        "place detail": rng.choice(data["places"]),
        "municipality": rng.choice(data["municipalities"]),
        "municipality list": "/municipalities/",
        "map": "/places/map/",
        "places.geojson": "/places.geojson",
        "places.csv": "/places.csv",
        "meeting list": "/network/meetings/",
        "meeting detail": rng.choice(data["meetings"] or ["/network/meetings/"]),
        "meetings.ics": "/network/meetings.ics",
        "atom feed": "/network/feed/",
        "coordinators": "/network/coordinators/",
        "coverage": "/network/coverage/",
        "coverage.csv": "/network/coverage.csv",
        "statistics": "/network/statistics/",
        "board": "/network/board/",
        "listing detail": rng.choice(data["listings"]),
        "board feed": "/network/board/feed/",
        "suggestion form": rng.choice(data["places"]) + "suggest/",
        "open data": "/open-data/",
        "hsds services": f"/open-data/hsds/services?page={rng.randint(1, 20)}",
        "hsds service": f"/open-data/hsds/services/{rng.choice(data['uuids'])}",
        "hsds organizations": "/open-data/hsds/organizations",
        "hsds organization": f"/open-data/hsds/organizations/{rng.choice(data['organizations'])}",
        "hsds service_at_location": "/open-data/hsds/service_at_locations/"
        + rng.choice(data["service_at_locations"]),
        "sitemap": rng.choice(["/sitemap.xml", "/sitemap-places.xml"]),
        "robots.txt": "/robots.txt",
        "healthz": "/healthz",
        "static file": rng.choice(data["static"]),
    }
    path = paths[kind]
    unprefixed = ("/places.", "/sitemap", "/robots", "/healthz", "/static/", "/open-data/hsds")
    return path if path.startswith(unprefixed) else language + path


def read_page(port, log, data, rng):
    weights = {kind: weight for kind, weight in PAGE_WEIGHTS.items() if kind not in data["skip"]}
    kind = rng.choices(list(weights), list(weights.values()))[0]
    Browser(port, log).request(kind, "GET", public_path(kind, data, rng))


def sign_in(port, log, password):
    staff = Browser(port, log)
    page = staff.request("staff sign-in", "GET", "/admin/login/")
    if page is None:
        return None
    answer = staff.post_form(
        "staff sign-in",
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": staff.csrf_token(page.content),
            "username": STAFF_USERNAME,
            "password": password,
            "next": "/admin/",
        },
    )
    return staff if answer is not None and answer.status == 302 else None


def admin_form_fields(html):
    """The change form's fields as a browser would submit them unchanged."""
    sys.path.insert(0, str(bench.PROJECT))
    from tests.security.forms import FormReader

    reader = FormReader("place_form")
    reader.feed(html.decode())
    fields = {}
    for name, value in reader.data:
        fields.setdefault(name, []).append(value)
    return fields


def staff_edit(staff, data, rng, number):
    """Every other edit confirms a place as still correct, the others change its street
    address through the change form; both record a version and bump the data version."""
    place = rng.choice(data["staff_places"])
    if number % 2:
        page = staff.request("staff edit", "GET", f"/admin/places/place/{place}/confirm/")
        if page is not None and page.expected:
            staff.post_form(
                "staff edit",
                f"/admin/places/place/{place}/confirm/",
                {"csrfmiddlewaretoken": staff.csrf_token(page.content)},
            )
        return
    page = staff.request("staff edit", "GET", f"/admin/places/place/{place}/change/")
    if page is None or not page.expected:
        return
    fields = admin_form_fields(page.content)
    fields["street_address"] = [f"Kuormituskatu {number}"]
    fields["_save"] = ["Tallenna"]
    staff.post_form("staff edit", f"/admin/places/place/{place}/change/", fields)


def staff_import(staff, number):
    """Export the organisation's places, change a few streets, upload, preview, confirm."""
    export = staff.request("import", "GET", "/admin/places/place/export/")
    if export is None or not export.expected:
        return
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))[:20]
    if not rows:
        return
    for row in rows[:5]:
        row["street_address"] = f"Tuontikatu {number}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    form = staff.request("import", "GET", "/admin/places/place/import/")
    if form is None or not form.expected:
        return
    preview = staff.post_multipart(
        "import",
        "/admin/places/place/import/",
        {"csrfmiddlewaretoken": staff.csrf_token(form.content)},
        {"file": ("paikat.csv", out.getvalue())},
    )
    if preview is None or not preview.expected:
        return
    token = re.search(rb'name="token" value="([^"]*)"', preview.content)
    if not token or not token[1]:
        preview.expected = False
        staff.log.add(Result("import", time.monotonic(), time.monotonic(), 0, "no preview token"))
        return
    staff.post_form(
        "import",
        "/admin/places/place/import/",
        {
            "csrfmiddlewaretoken": staff.csrf_token(preview.content),
            "confirm": "1",
            "token": token[1].decode(),
        },
        expect=(200, 302),
    )


def submit_form(port, log, data, rng, number):
    """A resident from an address of their own: a suggestion, a board listing or an answer."""
    visitor = Browser(port, log, address=f"198.51.{number // 250 % 256}.{number % 250 + 1}")
    choice = number % 3
    if choice == 0:
        path = rng.choice(data["places"]) + "suggest/"
        fields = {"kind": "hours", "text": f"Auki myös torstaisin ({number}).", "website": ""}
    elif choice == 1:
        path = "/network/board/new/"
        fields = {
            "kind": "activity_offered",
            "title_fi": f"Vertaisryhmä etsii tilaa {number}",
            "text_fi": "Kokoonnumme kerran viikossa.",
            "municipalities": "179",
            "valid_until": data["valid_until"],
            "contact_name": "Kuormitus",
            "contact_email": "kuormitus@example.org",
            "website": "",
        }
    else:
        path = rng.choice(data["listings"])
        fields = {"name": "Aino", "email": "aino@example.org", "message": "Sopisiko?"}
    page = visitor.request("public form", "GET", path)
    if page is None or not page.expected:
        return
    fields["csrfmiddlewaretoken"] = visitor.csrf_token(page.content)
    visitor.post_form("public form", path, fields)


def tap_counter(staff, data, rng):
    page = staff.request("door counter", "GET", "/counter/")
    if page is not None and page.expected:
        staff.post_form(
            "door counter",
            "/counter/",
            {
                "csrfmiddlewaretoken": staff.csrf_token(page.content),
                "place": rng.choice(data["staff_places"]),
            },
        )


class Load:
    """Open-loop load: reads arrive at ``rate`` a second whatever the answers take, as
    visitors do; the staff's work and the submissions run on their own clocks."""

    def __init__(self, port, data, password, rate, seed):
        self.port, self.data, self.password, self.rate = port, data, password, rate
        self.rng = random.Random(seed)
        self.log = Log()
        self.stop = threading.Event()
        self.pool = ThreadPoolExecutor(CLIENT_THREADS)
        self.sessions = {}

    def readers(self, until):
        arrivals = random.Random(self.rng.random())
        next_at = time.monotonic()
        while not self.stop.is_set() and next_at < until:
            next_at += arrivals.expovariate(self.rate)
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            rng = random.Random(arrivals.random())
            self.pool.submit(read_page, self.port, self.log, self.data, rng)

    def every(self, interval, action, until):
        number = 0
        while not self.stop.is_set() and time.monotonic() < until:
            started = time.monotonic()
            try:
                action(number)
            except Exception as error:  # a bug in the load itself is an error of the run
                self.log.add(Result("load script", started, time.monotonic(), 0, repr(error)))
            number += 1
            now = time.monotonic()
            self.stop.wait(max(0.0, min(interval - (now - started), until - now)))

    def staff(self, task):
        """The staff member, in a session of the task's own (an import's preview waits in its
        session), signed in on first use."""
        if self.sessions.get(task) is None:
            self.sessions[task] = sign_in(self.port, self.log, self.password)
        return self.sessions[task]

    def run(self, seconds):
        until = time.monotonic() + seconds
        rng = random.Random(self.rng.random())
        threads = [
            threading.Thread(target=self.readers, args=(until,)),
            threading.Thread(
                target=self.every,
                args=(EDIT_EVERY, lambda n: self._as_staff(staff_edit, rng, n), until),
            ),
            threading.Thread(
                target=self.every,
                args=(IMPORT_EVERY, lambda n: self._as_staff(staff_import, None, n), until),
            ),
            threading.Thread(
                target=self.every,
                args=(
                    SUBMIT_EVERY,
                    lambda n: submit_form(self.port, self.log, self.data, rng, n),
                    until,
                ),
            ),
            threading.Thread(
                target=self.every,
                args=(TAP_EVERY, lambda n: self._as_staff(tap_counter, rng, None), until),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _as_staff(self, action, rng, number):
        staff = self.staff(action.__name__)
        if staff is None:
            return
        if action is staff_import:
            action(staff, number)
        elif action is tap_counter:
            action(staff, self.data, rng)
        else:
            action(staff, self.data, rng, number)

    def finish(self):
        self.stop.set()
        self.pool.shutdown(wait=True)


# --- the server and the database ---------------------------------------------------------------


def memory_figures(samples):
    """Each worker's median memory in the first and the last MEMORY_WINDOW seconds, the highest
    total of one sample, and whether the same workers ran throughout. ``samples`` are
    (seconds, {pid: kB}) pairs; a median, because one large page briefly swells a worker."""
    first, last = samples[0][0], samples[-1][0]
    early = [memory for moment, memory in samples if moment <= first + MEMORY_WINDOW]
    late = [memory for moment, memory in samples if moment >= last - MEMORY_WINDOW]

    def medians(window):
        pids = sorted(set().union(*window))
        return {pid: statistics.median(m[pid] for m in window if pid in m) for pid in pids}

    same = set(samples[0][1]) == set(samples[-1][1])
    return medians(early), medians(late), max(sum(m.values()) for _t, m in samples), same


class MemorySampler(threading.Thread):
    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master_pid, self.samples, self.done = master_pid, [], threading.Event()

    def run(self):
        while True:
            self.samples.append((time.monotonic(), worker_memory(self.master_pid)))
            if self.done.wait(MEMORY_EVERY):
                self.samples.append((time.monotonic(), worker_memory(self.master_pid)))
                return


def worker_memory(master_pid):
    """Resident memory (kB) of each gunicorn worker, by process id."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    memory = {}
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        memory[int(pid)] = int(re.search(r"VmRSS:\s+(\d+) kB", status)[1])
    return memory


def restart_postgres():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return started, time.monotonic()


def prepare(args, workdir):
    config = SimpleNamespace(
        smoke=False,
        gzip=False,
        database_url=args.database_url,
        reuse_db=args.reuse_db,
        places=args.places,
        meetings=args.meetings,
        seed=args.seed,
    )
    env = bench.environment(config, workdir)
    # As behind the production proxy: X-Forwarded-For tells the residents apart (the per-address
    # limits of the public forms), instead of every request coming from the loopback.
    env["DJANGO_BEHIND_PROXY"] = "1"
    if args.redis_url:
        # As the README deploys several workers: one cache for all, so that the page cache and
        # the public forms' limits are shared and no worker keeps pages of its own.
        env["REDIS_URL"] = args.redis_url
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    env["EMAIL_FILE_PATH"] = str(workdir / "mail")
    bench.step("Collecting static files")
    bench.manage(env, "collectstatic", "--noinput", "-v", "0")
    bench.prepare_database(config, env)
    if args.reuse_db:  # the code may have gained migrations since the data was loaded
        bench.manage(env, "migrate", "--noinput", "-v", "0")
    password = secrets.token_urlsafe(16)
    data = bench.probe(env, "soak", STAFF_USERNAME, password)
    data["skip"] = set(args.skip)
    static_root = workdir / "static"
    data["static"] = [
        "/static/" + str(path.relative_to(static_root))
        for path in sorted(static_root.rglob("*.css"))[:5] + sorted(static_root.rglob("*.js"))[:5]
        if ".gz" not in path.suffixes
    ] or ["/robots.txt"]
    return env, data, password


# --- the report -------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def classify(results, outage):
    """Errors, and the 503s the restart was allowed to cause. ``outage`` is (from, until):
    from the restart's start until the first answer after the database was back."""
    errors, degraded = [], []
    for result in results:
        if not result.detail:
            continue
        during = outage and outage[0] <= result.ended and result.started <= outage[1]
        # /healthz reports the database down with 503 (that is its job); pages say when to
        # come back.
        promised = "Retry-After=" in result.detail or result.kind == "healthz"
        if during and result.status == 503 and promised:
            degraded.append(result)
        else:
            errors.append(result)
    return errors, degraded


def recovered_at(results, restarted):
    """When the first request that started after PostgreSQL was up again was answered well."""
    after = sorted((r for r in results if r.started >= restarted), key=lambda r: r.started)
    return next((r.ended for r in after if not r.detail and r.kind != "static file"), None)


def report(args, data, results, memory, restart, load_average, elapsed):
    outage = None
    recovery = None
    if restart:
        recovery = recovered_at(results, restart[1])
        outage = (restart[0], recovery or float("inf"))
    errors, degraded = classify(results, outage)
    after = [error for error in errors if recovery and error.started > recovery]
    lines = [
        f"Generated by `bench/soak.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f" in {elapsed / 60:.1f} min.",
        "",
        f"- Machine: {bench.machine()}; load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{value:.1f}" for value in load_average)
        + ".",
        f"- Commit: `{bench.git_commit()}`. Data: {args.places} places, {args.meetings} meetings"
        f" (demo_data, seed {args.seed}), {len(data['listings'])} notice-board listings.",
        f"- Load: {args.seconds} s after {WARMUP_SECONDS} s of warm-up; public reads at "
        f"{args.rate:g}/s ({LOAD_FACTOR}× the estimated peak of {PEAK_PER_SECOND:g}/s), a staff"
        f" edit every {EDIT_EVERY:g} s, an import every {IMPORT_EVERY:g} s, a public form"
        f" every {SUBMIT_EVERY:g} s, a door-counter tap every {TAP_EVERY:g} s; gunicorn"
        f" {args.workers} sync workers, page cache on"
        + (f", without {', '.join(sorted(args.skip))}" if args.skip else "")
        + ", cache "
        + ("in Redis (`REDIS_URL`)." if args.redis_url else "in each worker's local memory."),
        f"- Requests: {len(results)}; errors: **{len(errors)}**.",
    ]
    if restart:
        recovered = f"{recovery - restart[1]:.2f} s" if recovery else "never"
        lines.append(
            f"- PostgreSQL restarted at {restart[0] - memory['started']:.0f} s (took"
            f" {restart[1] - restart[0]:.1f} s); {len(degraded)} requests answered 503 with"
            f" Retry-After meanwhile; first good answer {recovered} after it was up; errors"
            f" after recovery: **{len(after)}** (gunicorn not restarted)."
        )
    start, end, peak, same = memory_figures(memory["samples"])
    growth = (sum(end.values()) - sum(start.values())) / max(1, sum(start.values()))
    lines.append(
        f"- Worker memory (RSS, median of the samples every {MEMORY_EVERY:g} s in the first and"
        f" last {MEMORY_WINDOW:g} s): {', '.join(f'{kb / 1024:.0f}' for kb in start.values())} MiB"
        f" at the start, {', '.join(f'{kb / 1024:.0f}' for kb in end.values())} MiB at the end"
        f" ({growth:+.1%} in total; the highest total of one sample {peak / 1024:.0f} MiB"
        f"{'' if same else '; workers were replaced'})."
    )
    lines += [
        "",
        "| page type | requests | errors | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    kinds = {}
    for result in results:
        kinds.setdefault(result.kind, []).append(result)
    for kind in sorted(kinds, key=lambda k: (-len(kinds[k]), k)):
        answered = [r.seconds for r in kinds[kind] if r.status]
        wrong = sum(1 for r in errors if r.kind == kind)
        lines.append(
            f"| {kind} | {len(kinds[kind])} | {wrong} | {percentile(answered, 0.5) * 1000:.0f} |"
            f" {percentile(answered, 0.99) * 1000:.0f} |"
        )
    verdict = not errors and not after and same and growth <= MEMORY_GROWTH_LIMIT
    if restart and recovery is None:
        verdict = False
    lines += ["", f"Verdict: **{'passed' if verdict else 'failed'}**."]
    if errors:
        lines += ["", "First errors:", ""]
        lines += [f"- {e.kind}: {e.status} {e.detail}" for e in errors[:10]]
    return "\n".join(lines) + "\n", verdict


def write_results(path, section):
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = f"{START_MARKER}\n{section}{END_MARKER}"
    if START_MARKER in text:
        before, rest = text.split(START_MARKER, 1)
        text = before + block + rest.split(END_MARKER, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Soak (`make soak`)\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# --- main -------------------------------------------------------------------------------------


def default_redis_url():
    try:
        with socket.create_connection((HOST, 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            answered = connection.recv(16).startswith(b"+PONG")
    except OSError:
        return ""
    return f"redis://{HOST}:6379/14" if answered else ""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=int,
        default=int(os.environ.get("SOAK_SECONDS", "300")),
        help="seconds of load after the warm-up (SOAK_SECONDS, 300)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to DROP and rebuild; its name must contain 'bench'",
    )
    parser.add_argument("--reuse-db", action="store_true", help="keep the loaded database")
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--rate", type=float, default=PEAK_PER_SECOND * LOAD_FACTOR, help="public reads a second"
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers (3, as the README deploys)"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("SOAK_REDIS_URL", default_redis_url()),
        help="the shared cache (default: database 14 of a Redis on 127.0.0.1:6379 if one "
        "answers; '' for each worker's local memory)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=sorted(PAGE_WEIGHTS),
        metavar="PAGE_TYPE",
        help="leave a page type out of the reads (repeatable), to see what it costs",
    )
    parser.add_argument("--no-restart", action="store_true", help="leave PostgreSQL running")
    parser.add_argument("--no-results", action="store_true", help="print only")
    return parser.parse_args()


def soak(args, workdir):
    started = time.monotonic()
    if not args.database_url.startswith("postgres"):
        raise bench.BenchError("The soak test runs against PostgreSQL (--database-url).")
    env, data, password = prepare(args, workdir)
    server = bench.Server(env, args.workers, workdir / "gunicorn-soak.log", ["--timeout=120"])
    try:
        bench.step(f"Warming up for {WARMUP_SECONDS} s at {args.rate:g} reads/s")
        warmup = Load(server.port, data, password, args.rate, args.seed)
        warmup.run(WARMUP_SECONDS)
        warmup.finish()
        sampler = MemorySampler(server.process.pid)
        sampler.start()
        memory = {"samples": sampler.samples, "started": time.monotonic()}
        bench.step(f"Soaking for {args.seconds} s")
        load = Load(server.port, data, password, args.rate, args.seed + 1)
        restart = []
        if not args.no_restart:

            def restart_in_the_middle():
                if not load.stop.wait(args.seconds / 2):
                    bench.step("Restarting PostgreSQL")
                    restart.extend(restart_postgres())

            restarter = threading.Thread(target=restart_in_the_middle)
            restarter.start()
        load.run(args.seconds)
        load.finish()
        if not args.no_restart:
            restarter.join()
        sampler.done.set()
        sampler.join()
    finally:
        server.stop()
    section, passed = report(
        args, data, load.log.results, memory, restart, os.getloadavg(), time.monotonic() - started
    )
    print("\n" + section, flush=True)
    if not args.no_results:
        write_results(bench.RESULTS, section)
        bench.step(f"Wrote {bench.RESULTS.relative_to(bench.PROJECT)}")
    return passed


def main():
    args = parse_args()
    if shutil.which("pg_ctlcluster") is None and not args.no_restart:
        print("soak failed: pg_ctlcluster is missing (or use --no-restart)", file=sys.stderr)
        return 1
    workdir = bench.BENCH / "work"
    workdir.mkdir(exist_ok=True)
    try:
        return 0 if soak(args, workdir) else 1
    except (bench.BenchError, OSError, subprocess.SubprocessError) as error:
        print(f"soak failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
