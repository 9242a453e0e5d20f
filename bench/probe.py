"""In-process measurements for bench/run.py, run against the benchmark database.

Each subcommand prints one JSON document on stdout:

    info                  the data sizes, the database version and a real place slug
    queries PATH...       SQL queries and status per request (Django's test Client, no page cache)
    explain OUT PATH...   EXPLAIN (ANALYZE, BUFFERS) of every SELECT the pages run, plans to OUT
    profile OUT PATH...   cProfile of a few requests per page, the top functions to OUT
    soak USER PASSWORD    bench/soak.py's staff account, listings and the addresses it loads

Run it with the same environment as the server (DATABASE_URL, DJANGO_SETTINGS_MODULE, ...).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys

import django

HOST = "127.0.0.1"
PROFILED_REQUESTS = 3
PROFILE_TOP = 25


def client():
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def get(browser, path):
    response = browser.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def info():
    from django.db import connection

    from network.models import Meeting
    from places.models import HoursException, Municipality, Organization, Place, WeeklyHours

    published = Place.objects.published()
    # A located place with weekly hours from the middle of the table: a typical detail page.
    typical = (
        published.filter(latitude__isnull=False, weekly_hours__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("slug", flat=True)
    )
    typical_count = typical.count()
    slug = typical[typical_count // 2] if typical_count else None
    municipality = Municipality.objects.filter(code="179").values_list("slug", flat=True).first()
    database = {"vendor": connection.display_name, "version": "?"}
    if connection.vendor == "sqlite":
        database["version"] = connection.Database.sqlite_version
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database["version"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            database["size"] = cursor.fetchone()[0]
    return {
        "place_slug": slug,
        "municipality_slug": municipality,
        "database": database,
        "counts": {
            "places": Place.objects.count(),
            "published places": published.count(),
            "weekly hours": WeeklyHours.objects.count(),
            "hours exceptions": HoursException.objects.count(),
            "organisations": Organization.objects.count(),
            "meetings": Meeting.objects.count(),
        },
    }


def queries(paths):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client()
    results = {}
    for path in paths:
        get(browser, path)  # warms per-process caches (content types, templates, translations)
        with CaptureQueriesContext(connection) as captured:
            status, body = get(browser, path)
        results[path] = {"status": status, "queries": len(captured), "bytes": len(body)}
    return results


def explain(output, paths):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        return {"skipped": f"EXPLAIN needs PostgreSQL, the database is {connection.vendor}"}
    browser = client()
    summary = {}
    with open(output, "w", encoding="utf-8") as plans:
        for path in paths:
            get(browser, path)
            with CaptureQueriesContext(connection) as captured:
                get(browser, path)
            page = []
            for number, query in enumerate(captured.captured_queries, start=1):
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.write(f"=== {path} query {number}\n{sql}\n\n{plan}\n\n")
                page.append(
                    {
                        "number": number,
                        "ms": float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)),
                        "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan))),
                        "table": (re.search(r'FROM "(\w+)"', sql) or [None, "?"])[1],
                    }
                )
            summary[path] = page
    return summary


def profile(output, paths):
    browser = client()
    report = io.StringIO()
    for path in paths:
        get(browser, path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(PROFILED_REQUESTS):
            get(browser, path)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=report)
        report.write(f"=== {path}: {PROFILED_REQUESTS} requests, by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
        report.write(f"=== {path}: {PROFILED_REQUESTS} requests, by own time\n")
        stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    with open(output, "w", encoding="utf-8") as file:
        file.write(report.getvalue())
    return {"output": output}


def soak(username, password):
    """The soak test's staff account (member of the organisation with the most published
    places), a few approved notice-board listings, and the addresses the load picks from."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count, Q
    from django.utils import timezone, translation

    from network.models import Listing, Meeting
    from places.hsds import derived_id
    from places.models import Municipality, Organization, Place

    translation.activate("fi")
    organization = (
        Organization.objects.annotate(
            published=Count("places", filter=Q(places__is_published=True))
        )
        .order_by("-published", "pk")
        .first()
    )
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org", "is_staff": True}
    )
    user.set_password(password)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Organisation staff"))
    organization.members.add(user)
    today = timezone.localdate()
    for number in range(30 - Listing.objects.on_board().count()):
        listing = Listing.objects.create(
            kind=Listing.Kind.SPACE_OFFERED,
            title_fi=f"Kuormitustestin tila {number}",
            text_fi="Sali vapaana tiistai-iltaisin.",
            valid_until=today + dt.timedelta(days=60),
            contact_name="Kuormitus",
            contact_email=f"ilmoittaja{number}@example.org",
            status=Listing.Status.APPROVED,
        )
        listing.municipalities.set(Municipality.objects.filter(code="179"))
    published = Place.objects.published().order_by("?")
    places = list(published.values_list("slug", "uuid")[:500])
    return {
        "places": [Place(slug=slug).get_absolute_url() for slug, _uuid in places],
        "uuids": [str(uuid) for _slug, uuid in places],
        "service_at_locations": [
            derived_id(uuid, "service-at-location") for _slug, uuid in places[:50]
        ],
        "organizations": [  # HSDS lists the organisations of published places only
            str(uuid)
            for uuid in Organization.objects.filter(
                pk__in=published.values("organization_id")
            ).values_list("uuid", flat=True)[:200]
        ],
        "municipalities": [
            municipality.get_absolute_url() for municipality in Municipality.objects.all()
        ],
        "municipality_codes": list(Municipality.objects.values_list("code", flat=True)),
        "meetings": [
            meeting.get_absolute_url() for meeting in Meeting.objects.public().order_by("?")[:200]
        ],
        "listings": [listing.get_absolute_url() for listing in Listing.objects.on_board()[:50]],
        "staff_places": list(
            Place.objects.filter(organization=organization).values_list("pk", flat=True)[:100]
        ),
        "organization": organization.pk,
        "valid_until": (today + dt.timedelta(days=60)).isoformat(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info")
    soak_command = commands.add_parser("soak")
    soak_command.add_argument("username")
    soak_command.add_argument("password")
    commands.add_parser("queries").add_argument("paths", nargs="+")
    for name in ("explain", "profile"):
        command = commands.add_parser(name)
        command.add_argument("output")
        command.add_argument("paths", nargs="+")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamispaikat.settings")
    django.setup()
    from django.test.utils import override_settings

    with override_settings(PAGE_CACHE_ENABLED=False):
        if arguments.command == "info":
            result = info()
        elif arguments.command == "soak":
            result = soak(arguments.username, arguments.password)
        elif arguments.command == "queries":
            result = queries(arguments.paths)
        elif arguments.command == "explain":
            result = explain(arguments.output, arguments.paths)
        else:
            result = profile(arguments.output, arguments.paths)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
