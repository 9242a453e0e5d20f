"""Benchmark of the public pages: gunicorn with production settings, loaded by wrk on loopback.

    python bench/run.py            full run: PostgreSQL, 10,000 places, writes bench/RESULTS.md
    python bench/run.py --smoke    CI check: SQLite, 50 places, 1 s per endpoint, prints only

Builds the database from scratch (migrate, demo_data, collectstatic), then measures every endpoint
twice, with the anonymous page cache on and off: requests per second and latency under load (wrk),
latency of one client alone, SQL queries per request and response size. Exits non-zero when an
endpoint answers anything but 2xx or a step fails; the throughput targets are reported, never
enforced, because a shared machine makes them noisy. See bench/README.md.
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
BENCH = PROJECT / "bench"
VENV_BIN = PROJECT / ".venv" / "bin"
RESULTS = BENCH / "RESULTS.md"
START_MARKER = "<!-- bench:results:start -->"
END_MARKER = "<!-- bench:results:end -->"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kohtaamispaikat_bench"
HOST = "127.0.0.1"
MAX_QUERIES = 10
CACHED_FLOOR_RATIO = 0.5
UNCACHED_FLOOR_RATIO = 0.2
GEOJSON_P50_SECONDS = 0.25


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    # floor: the reference; list/detail: the uncached target applies; page/data: reported only
    kind: str


def endpoints(place_slug, municipality_slug):
    return [
        Endpoint("robots.txt (floor)", "/robots.txt", "floor"),
        Endpoint("home", "/", "page"),
        Endpoint("place list", "/places/", "list"),
        Endpoint(
            "place list, filtered",
            "/places/?municipality=179&audience=lapsiperheet&open_now=1",
            "list",
        ),
        Endpoint("place detail", f"/places/{place_slug}/", "detail"),
        Endpoint("municipality", f"/municipalities/{municipality_slug}/", "detail"),
        Endpoint("map", "/places/map/", "page"),
        Endpoint("places.geojson (all)", "/places.geojson", "data"),
        Endpoint("meeting list", "/network/meetings/", "list"),
        Endpoint("meetings.ics", "/network/meetings.ics", "data"),
        Endpoint("coverage", "/network/coverage/", "page"),
        Endpoint("reports", "/network/reports/", "page"),
        Endpoint("reports, one region", "/network/reports/?region=13", "page"),
    ]


EXPLAINED_PATHS = [
    "/places/?municipality=179&audience=lapsiperheet&open_now=1",
    "/places.geojson",
    "/network/coverage/",
    "/network/reports/",
]


@dataclass
class Config:
    smoke: bool
    database_url: str
    places: int
    meetings: int
    seed: int
    duration: int
    warmup: int
    alone_seconds: float
    alone_minimum: int
    threads: int
    connections: int
    workers: int
    results: Path | None
    reuse_db: bool
    explain: bool
    profile: bool
    keep_workdir: bool
    gzip: bool
    only: list


@dataclass
class Measurement:
    status: int = 0
    wire_bytes: int = 0
    body_bytes: int = 0
    gzip_bytes: int = 0
    served_gzipped: bool = False
    requests_per_second: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    requests: int = 0
    non_2xx_3xx: int = 0
    socket_errors: dict = field(default_factory=dict)
    alone_p50: float = 0.0
    alone_requests: int = 0


class BenchError(Exception):
    pass


STARTED = time.monotonic()


def step(message):
    print(f"==> [{time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="database to DROP and rebuild; its name must contain 'bench' (default: "
        f"{DEFAULT_DATABASE_URL}, or SQLite in a temporary directory with --smoke)",
    )
    parser.add_argument("--places", type=int)
    parser.add_argument("--meetings", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, help="seconds of load per endpoint")
    parser.add_argument("--warmup", type=int, help="seconds of warm-up load per endpoint")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, help="wrk connections (16, smoke 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--results", type=Path, help="Markdown file to update")
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep the loaded database (skip drop and load)"
    )
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--keep-workdir", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        metavar="PATH",
        help="measure only endpoints whose path starts with PATH (repeatable; the floor always)",
    )
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="experiment: add GZipMiddleware after WhiteNoise (prints, writes no results)",
    )
    args = parser.parse_args()
    smoke = args.smoke
    return Config(
        smoke=smoke,
        database_url=args.database_url or ("" if smoke else DEFAULT_DATABASE_URL),
        places=args.places if args.places is not None else (50 if smoke else 10_000),
        meetings=args.meetings if args.meetings is not None else (20 if smoke else 2_000),
        seed=args.seed,
        duration=args.duration or (1 if smoke else 5),
        warmup=args.warmup if args.warmup is not None else (0 if smoke else 2),
        alone_seconds=0.0 if smoke else 3.0,
        alone_minimum=0 if smoke else 5,
        threads=args.threads,
        connections=args.connections or (2 if smoke else 16),
        workers=args.workers,
        results=args.results or (None if smoke or args.gzip or args.only else RESULTS),
        reuse_db=args.reuse_db,
        explain=not args.no_explain and not smoke,
        profile=not args.no_profile and not smoke,
        keep_workdir=args.keep_workdir,
        gzip=args.gzip,
        only=args.only or [],
    )


def executable(name):
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else shutil.which(name) or name


def run(command, env, capture=False, timeout=1800):
    result = subprocess.run(
        command,
        cwd=PROJECT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        detail = f"\n{result.stderr[-3000:]}" if capture and result.stderr else ""
        raise BenchError(f"{' '.join(command)} exited with {result.returncode}{detail}")
    return result.stdout


def manage(env, *arguments):
    run([executable("python"), "manage.py", *arguments], env)


def probe(env, *arguments):
    output = run([executable("python"), str(BENCH / "probe.py"), *arguments], env, capture=True)
    return json.loads(output)


# --- database ------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        step("Installing wrk")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    if not shutil.which("wrk"):
        raise BenchError("wrk is missing: install it with `apt-get install -y wrk`.")


def ensure_postgres(url):
    parts = urlsplit(url)
    host, port = parts.hostname or HOST, str(parts.port or 5432)
    if subprocess.run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode == 0:
        return
    if host not in ("127.0.0.1", "localhost") or not Path("/etc/postgresql").is_dir():
        raise BenchError(f"PostgreSQL at {host}:{port} is not accepting connections.")
    step("Starting PostgreSQL")
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
    )
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode:
            time.sleep(1)
        else:
            return
    raise BenchError("PostgreSQL did not start within 30 s.")


def recreate_postgres_database(url):
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchError(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        quoted = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(quoted))


def analyze_postgres_database(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def prepare_database(config, env):
    if config.database_url.startswith("postgres"):
        ensure_postgres(config.database_url)
        if config.reuse_db:
            return
        step(f"Recreating {urlsplit(config.database_url).path.lstrip('/')}")
        recreate_postgres_database(config.database_url)
    elif config.reuse_db and config.database_url:
        return
    step("Migrating")
    manage(env, "migrate", "--noinput", "-v", "0")
    step(f"Loading demo data: {config.places} places, {config.meetings} meetings")
    manage(
        env,
        "demo_data",
        f"--places={config.places}",
        f"--meetings={config.meetings}",
        f"--seed={config.seed}",
    )
    if config.database_url.startswith("postgres"):
        # A freshly loaded table has no planner statistics until autovacuum gets to it; a
        # production database has them, so the plans measured here should too.
        analyze_postgres_database(config.database_url)


# --- server and load -------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe_socket:
        probe_socket.bind((HOST, 0))
        return probe_socket.getsockname()[1]


def gunicorn_has_option(option):
    help_text = subprocess.run(
        [executable("gunicorn"), "--help"], capture_output=True, text=True, check=False
    ).stdout
    return option in help_text


class Server:
    """gunicorn in its own process group, so stopping it stops its workers too."""

    def __init__(self, env, workers, log, options=()):
        self.port = free_port()
        self.log = log
        command = [
            executable("gunicorn"),
            "kohtaamispaikat.wsgi",
            f"--workers={workers}",
            f"--bind={HOST}:{self.port}",
            "--graceful-timeout=5",
            *options,
        ]
        if Path("/dev/shm").is_dir():
            command.append("--worker-tmp-dir=/dev/shm")
        if gunicorn_has_option("--no-control-socket"):
            # gunicorn 24+ opens a control socket at one fixed path per user, which two servers
            # started at once (CI and a developer, say) would fight over.
            command.append("--no-control-socket")
        with open(log, "w", encoding="utf-8") as log_file:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                if fetch(self.port, "/healthz", timeout=10).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def log_tail(self):
        return Path(self.log).read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self):
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Fetched:
    status: int
    headers: dict
    body: bytes
    seconds: float


def fetch(port, path, timeout=120):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    headers = {name.lower(): value for name, value in response.getheaders()}
    return Fetched(response.status, headers, body, time.perf_counter() - started)


TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * TIME_UNITS[unit]


def parse_wrk(output):
    def find(pattern):
        match = re.search(pattern, output)
        if not match:
            raise BenchError(f"Unexpected wrk output (no {pattern!r}):\n{output}")
        return match

    result = {
        "requests_per_second": float(find(r"Requests/sec:\s+([\d.]+)")[1]),
        "p50": seconds(find(r"\n\s+50%\s+(\S+)")[1]),
        "p99": seconds(find(r"\n\s+99%\s+(\S+)")[1]),
        "requests": int(find(r"(\d+) requests in")[1]),
        "non_2xx_3xx": 0,
        "socket_errors": {},
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        result["non_2xx_3xx"] = int(non_2xx[1])
    errors = re.search(r"Socket errors: (.+)", output)
    if errors:
        for pair in errors[1].split(","):
            name, count = pair.split()
            if int(count):
                result["socket_errors"][name] = int(count)
    return result


def wrk(config, port, path, duration):
    command = [
        "wrk",
        f"--threads={config.threads}",
        f"--connections={config.connections}",
        f"--duration={duration}s",
        "--timeout=30s",
        "--latency",
        "--header=Accept-Encoding: gzip",
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    # wrk stops with requests still queued in gunicorn's backlog; wait until they are served so
    # that they do not slow down the next measurement.
    fetch(port, "/healthz", timeout=600)
    return output


def measure(config, port, endpoint, raw_log):
    result = Measurement()
    first = fetch(port, endpoint.path)
    result.status = first.status
    if not 200 <= first.status < 300:
        return result
    result.wire_bytes = len(first.body)
    result.served_gzipped = first.headers.get("content-encoding") == "gzip"
    body = gzip.decompress(first.body) if result.served_gzipped else first.body
    result.body_bytes = len(body)
    result.gzip_bytes = len(gzip.compress(body, compresslevel=6))

    if config.warmup:
        wrk(config, port, endpoint.path, config.warmup)
    alone = [first.seconds] if not config.alone_minimum else []
    deadline = time.monotonic() + config.alone_seconds
    while len(alone) < 200 and (len(alone) < config.alone_minimum or time.monotonic() < deadline):
        alone.append(fetch(port, endpoint.path).seconds)
    result.alone_p50 = statistics.median(alone)
    result.alone_requests = len(alone)

    output = wrk(config, port, endpoint.path, config.duration)
    raw_log.write(f"=== {endpoint.path}\n{output}\n")
    for name, value in parse_wrk(output).items():
        setattr(result, name, value)
    return result


def run_pass(config, env, workdir, cached, endpoint_list):
    label = "cached" if cached else "uncached"
    step(f"Pass {label}: gunicorn with PAGE_CACHE_ENABLED={int(cached)}")
    pass_env = {**env, "PAGE_CACHE_ENABLED": "1" if cached else "0"}
    server = Server(pass_env, config.workers, workdir / f"gunicorn-{label}.log")
    measurements = {}
    try:
        with open(workdir / f"wrk-{label}.txt", "w", encoding="utf-8") as raw_log:
            for endpoint in endpoint_list:
                measurements[endpoint.path] = measure(config, server.port, endpoint, raw_log)
                show(endpoint, measurements[endpoint.path])
            floor = endpoint_list[0]
            again = measure(config, server.port, floor, raw_log)
            show(floor, again, note="again")
    finally:
        server.stop()
    first = measurements[floor.path]
    floor_rate = statistics.mean([first.requests_per_second, again.requests_per_second])
    return {
        "measurements": measurements,
        "floor": floor_rate,
        "floor_runs": [first, again],
        "load": os.getloadavg()[1],
    }


def show(endpoint, result, note=""):
    if not 200 <= result.status < 300:
        print(f"    {endpoint.path}: HTTP {result.status}", flush=True)
        return
    print(
        f"    {endpoint.path}{' ' + note if note else ''}: {result.requests_per_second:.1f} req/s, "
        f"p50 {result.p50 * 1000:.1f} ms, p99 {result.p99 * 1000:.1f} ms, "
        f"alone {result.alone_p50 * 1000:.1f} ms, {result.body_bytes} B",
        flush=True,
    )


# --- report ---------------------------------------------------------------------------------


def machine():
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", cpuinfo)[1].strip()
        kilobytes = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f", {kilobytes / 1024 / 1024:.1f} GiB memory"
    except (OSError, TypeError):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}){memory}"


def git_commit():
    def git(*arguments):
        return subprocess.run(
            ["git", *arguments], cwd=PROJECT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("-dirty" if git("status", "--porcelain") else "")


def milliseconds(value):
    return f"{value * 1000:.1f}" if value else "–"


def rate(value):
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def kilobytes(value):
    return f"{value / 1024:.1f} kB"


def mark(met):
    return "✓" if met else "✗"


def evaluate(endpoint, queries, cached, uncached):
    """Targets of one endpoint: {code: met}."""
    marks = {"Q": queries <= MAX_QUERIES}
    if endpoint.kind != "floor":
        marks["C"] = cached["ratio"] >= CACHED_FLOOR_RATIO
    if endpoint.kind in ("list", "detail"):
        marks["U"] = uncached["ratio"] >= UNCACHED_FLOOR_RATIO
    if endpoint.path == "/places.geojson":
        marks["G"] = uncached["result"].alone_p50 < GEOJSON_P50_SECONDS
    return marks


def report(config, info, endpoint_list, queries, passes, explained, elapsed):
    rows = []
    targets = {"C": [], "U": [], "Q": [], "G": []}
    for endpoint in endpoint_list:
        per_pass = {}
        for label, data in passes.items():
            result = data["measurements"][endpoint.path]
            per_pass[label] = {
                "result": result,
                "ratio": result.requests_per_second / data["floor"] if data["floor"] else 0.0,
            }
        count = queries[endpoint.path]["queries"]
        marks = evaluate(endpoint, count, per_pass["cached"], per_pass["uncached"])
        for code, met in marks.items():
            targets[code].append((endpoint, met, per_pass))
        cached, uncached = per_pass["cached"], per_pass["uncached"]
        sent = cached["result"]
        encoding = f"gzip {kilobytes(sent.wire_bytes)}" if sent.served_gzipped else "identity"
        rows.append(
            [
                endpoint.name,
                str(count),
                f"{kilobytes(cached['result'].body_bytes)} ({encoding})",
                kilobytes(cached["result"].gzip_bytes),
                rate(cached["result"].requests_per_second),
                f"{cached['ratio']:.2f}",
                milliseconds(cached["result"].p50),
                milliseconds(cached["result"].p99),
                rate(uncached["result"].requests_per_second),
                f"{uncached['ratio']:.2f}",
                milliseconds(uncached["result"].p50),
                milliseconds(uncached["result"].p99),
                milliseconds(uncached["result"].alone_p50),
                " ".join(f"{code}{mark(met)}" for code, met in marks.items()),
            ]
        )
    header = [
        "Endpoint",
        "SQL",
        "Body (sent as)",
        "gzip -6",
        "Cached req/s",
        "× floor",
        "p50 ms",
        "p99 ms",
        "Uncached req/s",
        "× floor",
        "p50 ms",
        "p99 ms",
        "Alone p50 ms",
        "Targets",
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(header) - 2) + ["---"]) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    database = info["database"]
    counts = ", ".join(f"{value:,} {name}" for name, value in info["counts"].items())
    size = f", {database['size']} on disk" if database.get("size") else ""
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory, one per worker"
    floor_runs = {
        label: " and ".join(rate(run.requests_per_second) for run in data["floor_runs"])
        for label, data in passes.items()
    }
    load = ", ".join(f"{data['load']:.1f} {label}" for label, data in passes.items())
    header_lines = [
        f"Generated by `bench/run.py{' --smoke' if config.smoke else ''}` on "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} in {elapsed / 60:.1f} min.",
        "",
        f"- Machine: {machine()}, Python {platform.python_version()}; 5-minute load average "
        f"at the end of each pass: {load} (other work shares the machine).",
        f"- Commit: `{git_commit()}`.",
        f"- Database: {database['vendor']} {database['version']}{size}; {counts}.",
        f"- Server: gunicorn, {config.workers} sync workers, production settings "
        "(DJANGO_DEBUG=0, the production middleware, WhiteNoise), page cache in "
        f"{cache}."
        + (" **Experiment: GZipMiddleware added after WhiteNoise.**" if config.gzip else ""),
        f"- Load: wrk, {config.threads} threads and {config.connections} connections, "
        f"{config.duration} s per endpoint after {config.warmup} s of warm-up, on loopback. "
        "“Alone” is the median of sequential requests from one client (service time without "
        "queueing).",
        f"- Floor: `/robots.txt` through the whole middleware stack, measured at the start and "
        f"end of each pass ({floor_runs['cached']} req/s cached, {floor_runs['uncached']} req/s "
        "uncached); “× floor” divides by their mean.",
        "- SQL: queries per request with the page cache off (Django test Client, same database). "
        "With the cache on, a hit costs one query (the data version).",
        "",
    ]
    summary = [
        "",
        "Targets (C, U, Q, G in the table; ✓ met, ✗ not met):",
        "",
        target_line(
            "C",
            f"anonymous pages served from the cache ≥ {CACHED_FLOOR_RATIO}× floor",
            targets["C"],
            lambda pp: f"{pp['cached']['ratio']:.2f}×",
        ),
        target_line(
            "U",
            f"uncached list and detail pages ≥ {UNCACHED_FLOOR_RATIO}× floor",
            targets["U"],
            lambda pp: f"{pp['uncached']['ratio']:.2f}×",
        ),
        target_line(
            "Q",
            f"every page ≤ {MAX_QUERIES} SQL queries",
            targets["Q"],
            None,
            queries,
        ),
        target_line(
            "G",
            f"`/places.geojson` (all places) p50 < {GEOJSON_P50_SECONDS * 1000:.0f} ms uncached, "
            "one client",
            targets["G"],
            lambda pp: f"{pp['uncached']['result'].alone_p50 * 1000:.0f} ms",
        ),
    ]
    return "\n".join(header_lines + lines + summary + explain_lines(explained)) + "\n"


def target_line(code, text, entries, value, queries=None):
    missed = [(endpoint, per_pass) for endpoint, met, per_pass in entries if not met]
    verdict = "met" if not missed else "**not met**"
    detail = ""
    if missed:
        names = []
        for endpoint, per_pass in missed:
            shown = value(per_pass) if value else f"{queries[endpoint.path]['queries']} queries"
            names.append(f"{endpoint.name} {shown}")
        detail = ": " + ", ".join(names)
    return f"- {code} — {text}: {verdict}{detail}."


def explain_lines(explained):
    if not explained:
        return []
    if "skipped" in explained:
        return ["", f"EXPLAIN: skipped ({explained['skipped']})."]
    lines = ["", "EXPLAIN (ANALYZE) of the queries of the main filters (plans in bench/work/):", ""]
    for path, queries in explained.items():
        parts = []
        for query in queries:
            scans = f", seq scan on {', '.join(query['seq_scans'])}" if query["seq_scans"] else ""
            parts.append(f"#{query['number']} {query['table']} {query['ms']:.1f} ms{scans}")
        lines.append(f"- `{path}`: " + "; ".join(parts) + ".")
    return lines


def write_results(path, section):
    block = f"{START_MARKER}\n{section}{END_MARKER}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if START_MARKER in text and END_MARKER in text:
            before = text.split(START_MARKER, 1)[0]
            after = text.split(END_MARKER, 1)[1]
            text = before + block + after
        else:
            text = text.rstrip("\n") + "\n\n## Latest run\n\n" + block + "\n"
    else:
        text = f"# Benchmark results\n\n## Latest run\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


# --- main -----------------------------------------------------------------------------------


def environment(config, workdir):
    settings_module = workdir / "bench_settings.py"
    # Production settings unchanged except where collectstatic writes, so that runs in parallel
    # (CI, a developer) never share or clobber one staticfiles directory.
    text = (
        "from kohtaamispaikat.settings import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(workdir / 'static')!r}\n"
    )
    if config.gzip:
        text += (
            "MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405\n"
            'MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,'
            ' "django.middleware.gzip.GZipMiddleware")\n'
        )
    settings_module.write_text(text, encoding="utf-8")
    database_url = config.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(PROJECT)]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("PAGE_CACHE_ENABLED", None)
    return env


def benchmark(config, workdir):
    started = time.monotonic()
    ensure_wrk()
    env = environment(config, workdir)
    step("Collecting static files (in the background)")
    collectstatic = subprocess.Popen(
        [executable("python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT,
        env=env,
    )
    try:
        prepare_database(config, env)
    except BaseException:
        collectstatic.kill()
        collectstatic.wait()
        raise
    if collectstatic.wait() != 0:
        raise BenchError(f"collectstatic exited with {collectstatic.returncode}")

    info = probe(env, "info")
    if not info["place_slug"] or not info["municipality_slug"]:
        raise BenchError(f"No published place or municipality 179 in the database: {info}")
    endpoint_list = [
        endpoint
        for endpoint in endpoints(info["place_slug"], info["municipality_slug"])
        if endpoint.kind == "floor"
        or not config.only
        or any(endpoint.path.startswith(prefix) for prefix in config.only)
    ]
    paths = [endpoint.path for endpoint in endpoint_list]

    step("Counting SQL queries per request (page cache off)")
    queries = probe(env, "queries", *paths)
    failures = [
        f"{path}: HTTP {result['status']} in-process"
        for path, result in queries.items()
        if not 200 <= result["status"] < 300
    ]
    for path, result in queries.items():
        print(f"    {path}: {result['queries']} queries, HTTP {result['status']}", flush=True)

    explained = {}
    if config.explain:
        step("EXPLAIN of the main filters")
        explained = probe(env, "explain", str(workdir / "explain.txt"), *EXPLAINED_PATHS)

    passes = {}
    for cached in (True, False):
        label = "cached" if cached else "uncached"
        passes[label] = run_pass(config, env, workdir, cached, endpoint_list)
        for path, result in passes[label]["measurements"].items():
            if not 200 <= result.status < 300:
                failures.append(f"{path}: HTTP {result.status} ({label})")
            elif result.non_2xx_3xx:
                failures.append(
                    f"{path}: {result.non_2xx_3xx} error responses of {result.requests} ({label})"
                )
            elif not result.requests:
                print(f"    warning: {path} completed no request under load ({label})")
            if result.socket_errors:
                print(f"    warning: {path} socket errors {result.socket_errors} ({label})")

    if failures:
        raise BenchError("Endpoints failed:\n  " + "\n  ".join(failures))

    if config.profile:
        slowest = sorted(
            (e for e in endpoint_list if e.kind != "floor"),
            key=lambda e: passes["uncached"]["measurements"][e.path].alone_p50,
            reverse=True,
        )[:3]
        step(f"Profiling the slowest uncached pages: {', '.join(e.path for e in slowest)}")
        probe(env, "profile", str(workdir / "profile.txt"), *(e.path for e in slowest))

    section = report(
        config, info, endpoint_list, queries, passes, explained, time.monotonic() - started
    )
    print("\n" + section, flush=True)
    if config.results:
        write_results(config.results, section)
        step(f"Wrote {config.results.relative_to(PROJECT)}")


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main():
    config = parse_args()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    if config.smoke:
        workdir = Path(tempfile.mkdtemp(prefix="kohtaamispaikat-bench-"))
    else:
        workdir = BENCH / "work"
        workdir.mkdir(exist_ok=True)
    try:
        benchmark(config, workdir)
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        if config.smoke and not config.keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
