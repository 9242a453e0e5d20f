"""manage.py send_reminders (#16): one message per staff member, in their language, never twice,
summer hours asked about from 1 May, and a loud failure when the mail server refuses."""

import datetime as dt
import email
import socket
from email.policy import default as default_policy
from io import StringIO
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command

from kohtaamispaikat.core.models import UserProfile
from places.models import Reminder
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    organisation_staff,
)

pytestmark = pytest.mark.django_db

HELSINKI = dt.timezone(dt.timedelta(hours=3))
TODAY = dt.date(2026, 5, 4)


def travel_to(day):
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=HELSINKI)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def send_reminders(day=TODAY, *args):
    out = StringIO()
    with travel_to(day):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def stale_place(organization):
    place = PlaceFactory(organization=organization, name="Vanha olohuone")
    place.last_verified = TODAY - dt.timedelta(days=200)
    place.save()
    # Summer hours are entered: this place is asked only about confirming.
    WeeklyHoursFactory(place=place, valid_from=dt.date(2026, 6, 1), valid_until=dt.date(2026, 8, 9))
    return place


@pytest.fixture(autouse=True)
def _locmem_and_settings(settings):
    settings.STALE_AFTER_DAYS = 180
    settings.REMINDER_INTERVAL_DAYS = 30
    settings.SUMMER_HOURS_REMINDER_DATE = "05-01"
    settings.SITE_URL = "https://kohtaamispaikat.example"
    settings.SITE_NAME = "Kohtaamispaikat"


def test_each_staff_member_gets_one_message_listing_their_stale_places(
    organization, stale_place, mailoutbox
):
    fresh_place = PlaceFactory(organization=organization, name="Uusi olohuone")
    WeeklyHoursFactory(place=fresh_place, valid_from=dt.date(2026, 6, 1))
    first = organisation_staff(organization, email="eka@example.org")
    second = organisation_staff(organization, email="toka@example.org")
    organisation_staff(OrganizationFactory(), email="muu@example.org")  # nothing stale

    output = send_reminders()

    assert sorted(message.to[0] for message in mailoutbox) == [first.email, second.email]
    message = mailoutbox[0]
    assert "Vanha olohuone" in message.body
    assert "Uusi olohuone" not in message.body
    confirm = f"https://kohtaamispaikat.example/admin/places/place/{stale_place.pk}/confirm/"
    assert confirm in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{confirm}"' in html
    assert "Kohtaamispaikat" in message.subject and "Kohtaamispaikat" in html
    assert "https://kohtaamispaikat.example/" in message.body
    assert f"Sent {first.email}: 1 to confirm" in output
    assert "2 reminders sent." in output


def test_message_is_in_the_recipients_language(organization, stale_place, mailoutbox):
    user = organisation_staff(organization)
    UserProfile.objects.create(user=user, language="sv")
    send_reminders()
    (message,) = mailoutbox
    assert "kontrollera" in message.subject
    assert f"/sv/admin/places/place/{stale_place.pk}/confirm/" in message.body
    assert "Stämmer fortfarande" in message.body


def test_default_language_is_finnish(organization, stale_place, mailoutbox):
    organisation_staff(organization)
    send_reminders()
    assert "tarkista" in mailoutbox[0].subject


def test_running_twice_sends_nothing_twice_and_a_month_later_again(
    organization, stale_place, mailoutbox
):
    organisation_staff(organization)
    send_reminders()
    assert "0 reminders sent." in send_reminders()
    send_reminders(TODAY + dt.timedelta(days=29))
    assert len(mailoutbox) == 1
    send_reminders(TODAY + dt.timedelta(days=31))
    assert len(mailoutbox) == 2
    assert Reminder.objects.count() == 2


def test_confirmed_place_is_not_reminded_of(organization, stale_place, mailoutbox):
    organisation_staff(organization)
    stale_place.last_verified = TODAY - dt.timedelta(days=10)
    stale_place.save()
    send_reminders()
    assert mailoutbox == []


def test_summer_hours_are_asked_about_from_the_first_of_may_once_a_summer(organization, mailoutbox):
    organisation_staff(organization)
    PlaceFactory(organization=organization, name="Kesätön paikka")  # confirmed today, no summer
    seasonal = PlaceFactory(organization=organization, name="Kesäpaikka")
    WeeklyHoursFactory(place=seasonal, valid_from=dt.date(2026, 6, 15), valid_until=None)
    closed = PlaceFactory(organization=organization, name="Kesäksi suljettu")
    closed.exceptions.create(start_date=dt.date(2026, 7, 1), end_date=dt.date(2026, 7, 31))

    assert "0 reminders sent." in send_reminders(dt.date(2026, 4, 30))
    send_reminders(dt.date(2026, 5, 1))
    (message,) = mailoutbox
    assert "Kesätön paikka" in message.body
    assert "Kesäpaikka" not in message.body
    assert "Kesäksi suljettu" not in message.body
    assert "2026" in message.body
    # Asked once a summer, even when the month between reminders has passed.
    send_reminders(dt.date(2026, 6, 5))
    assert len(mailoutbox) == 1
    # Not after the summer.
    assert "0 reminders sent." in send_reminders(dt.date(2026, 9, 1))


def test_dry_run_sends_and_records_nothing(organization, stale_place, mailoutbox):
    organisation_staff(organization)
    output = send_reminders(TODAY, "--dry-run")
    assert "Would send" in output
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Kohtaamispaikat <noreply@kohtaamispaikat.example>"


def test_refused_connection_fails_loudly_and_records_nothing(organization, stale_place, settings):
    organisation_staff(organization)
    smtp_settings(settings, free_port())  # nothing listens there
    with pytest.raises(CommandError, match="refused"):
        send_reminders()
    assert not Reminder.objects.exists()


class Mailbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


def test_reminder_arrives_through_a_real_smtp_server(
    organization, stale_place, settings, smtp_server
):
    """The settings path end to end: Django's SMTP backend talks to a server on 127.0.0.1."""
    controller, mailbox = smtp_server
    smtp_settings(settings, controller.port)
    user = organisation_staff(organization, email="henkilokunta@example.org")
    UserProfile.objects.create(user=user, language="en")

    send_reminders()

    (envelope,) = mailbox.envelopes
    assert envelope.mail_from == "noreply@kohtaamispaikat.example"
    assert envelope.rcpt_tos == ["henkilokunta@example.org"]
    message = email.message_from_bytes(envelope.content, policy=default_policy)
    assert message["Subject"] == "Kohtaamispaikat: please check your meeting places"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    confirm = f"https://kohtaamispaikat.example/en/admin/places/place/{stale_place.pk}/confirm/"
    assert "Vanha olohuone" in text and confirm in text
    assert f'href="{confirm}"' in html
    assert Reminder.objects.get().user == user
