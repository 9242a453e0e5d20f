"""Demo notice-board listings and good practices, from data/board.toml.

Listings are demo content when their organisation is a demo organisation or, for those sent
through the public form without one, when their contact's address is in the demo domain;
practices when their organisation is a demo organisation. Published practices are linked from
the outcomes of held demo meetings of their region.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.db.models import Q
from django.utils.text import slugify

from kohtaamispaikat.demo import datafiles
from kohtaamispaikat.demo.common import EMAIL_DOMAIN, SlugAllocator, random_person
from kohtaamispaikat.demo.datafiles import DemoDataError, read_toml
from network.models import LISTING_MAX_MONTHS_AHEAD, GoodPractice, Listing
from places.hours import HELSINKI
from places.models import Audience, Municipality, Organization

LISTING_STATUSES = ("approved", "pending", "expired", "rejected")
MAX_VALID_DAYS = 30 * LISTING_MAX_MONTHS_AHEAD
LINKED_OUTCOMES_PER_PRACTICE = 2


@dataclass(frozen=True)
class ListingEntry:
    kind: str
    municipalities: tuple
    title: str
    text: str
    title_sv: str
    text_sv: str
    audiences: tuple
    organisation: str
    status: str
    valid_days: int
    volunteering: dict


@dataclass(frozen=True)
class PracticeEntry:
    title: str
    summary: str
    text: str
    region: str
    municipality: str
    audiences: tuple
    organisation: str
    published: bool


@dataclass(frozen=True)
class Board:
    listings: tuple
    practices: tuple


def load_board(directory=None):
    """The listings and practices of board.toml; DemoDataError names any mistake."""
    return _load_board(directory or datafiles.DATA_DIR)


@cache
def _load_board(directory):
    document = read_toml(directory, "board.toml")
    listings = tuple(_listing(entry) for entry in document.tables("listings"))
    practices = tuple(_practice(entry) for entry in document.tables("practices"))
    document.done()
    return Board(listings, practices)


def _codes(section, key, default=()):
    codes = section.texts(key, default)
    return tuple(codes)


def _listing(section):
    kind = section.text("kind")
    if kind not in Listing.Kind.values:
        section.error(f'"{kind}" is not a kind: use one of {", ".join(Listing.Kind.values)}.')
    status = section.text("status")
    if status not in LISTING_STATUSES:
        section.error(f'"{status}" is not a status: use one of {", ".join(LISTING_STATUSES)}.')
    volunteering = {}
    if section.value("volunteering", None) is not None:
        details = section.section("volunteering")
        frequency = details.text("frequency")
        if frequency not in Listing.Frequency.values:
            details.error(f'"{frequency}" is not one of {", ".join(Listing.Frequency.values)}.')
        volunteering = {
            "volunteer_tasks": details.text("tasks"),
            "volunteer_when": details.text("when"),
            "volunteer_frequency": frequency,
            "suitable_for_minors": details.flag("minors"),
            "supported_volunteering": details.flag("supported"),
        }
        details.done()
    entry = ListingEntry(
        kind=kind,
        municipalities=_codes(section, "municipalities", datafiles._REQUIRED),
        title=section.text("title"),
        text=section.text("text"),
        title_sv=section.text("title_sv", ""),
        text_sv=section.text("text_sv", ""),
        audiences=_codes(section, "audiences"),
        organisation=section.text("organisation", ""),
        status=status,
        valid_days=int(section.number("valid_days", low=1, high=MAX_VALID_DAYS)),
        volunteering=volunteering,
    )
    section.done()
    return entry


def _practice(section):
    entry = PracticeEntry(
        title=section.text("title"),
        summary=section.text("summary"),
        text=section.text("text"),
        region=section.text("region"),
        municipality=section.text("municipality", ""),
        audiences=_codes(section, "audiences"),
        organisation=section.text("organisation"),
        published=section.flag("published"),
    )
    section.done()
    return entry


def demo_listings(organisations):
    return Listing.objects.filter(
        Q(organization__in=organisations) | Q(contact_email__endswith=f"@{EMAIL_DOMAIN}")
    )


def demo_practices(organisations):
    return GoodPractice.objects.filter(organization__in=organisations)


@dataclass
class PlannedListing:
    listing: Listing
    municipalities: list
    audiences: list


@dataclass
class PlannedPractice:
    practice: GoodPractice
    audiences: list
    outcomes: list = field(default_factory=list)


class BoardBuilder:
    def __init__(self, rng, now, organisations, taken_practice_slugs=()):
        self.rng = rng
        self.now = now
        self.today = now.astimezone(HELSINKI).date()
        self.board = load_board()
        self.organisations = organisations
        self.slugs = SlugAllocator(taken_practice_slugs)
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.audiences = set(Audience.objects.values_list("slug", flat=True))

    def _check(self, what, codes, known, kind):
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise DemoDataError(
                f"{datafiles.DATA_DIR / 'board.toml'}: {what}: unknown {kind} {', '.join(unknown)}."
            )

    def _organisation(self, name):
        return self.organisations.get(name, Organization.Kind.ASSOCIATION)

    def _listing_slug(self, title):
        # As network.models.listing_slug, but from the seeded generator: the same seed gives
        # the same addresses.
        tail = "".join(self.rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(6))
        return f"{slugify(title)[:60].strip('-') or 'ilmoitus'}-{tail}"

    def build_listings(self):
        planned = []
        for entry in self.board.listings:
            self._check(entry.title, entry.municipalities, self.municipalities, "municipality")
            self._check(entry.title, entry.audiences, self.audiences, "audience")
            person = random_person(self.rng)
            expired = entry.status == "expired"
            valid_until = self.today + timedelta(
                days=-entry.valid_days if expired else entry.valid_days
            )
            status = Listing.Status.APPROVED if expired else entry.status
            listing = Listing(
                kind=entry.kind,
                title_fi=entry.title,
                text_fi=entry.text,
                title_sv=entry.title_sv,
                text_sv=entry.text_sv,
                valid_until=valid_until,
                slug=self._listing_slug(entry.title),
                organization=self._organisation(entry.organisation) if entry.organisation else None,
                contact_name=person.name,
                contact_email=person.email,
                status=status,
                answer_count=self.rng.randint(0, 6) if status == Listing.Status.APPROVED else 0,
                **entry.volunteering,
            )
            if status == Listing.Status.APPROVED:
                listing.approved_at = self.now - timedelta(days=self.rng.randint(1, 30))
                if expired:
                    listing.approved_at -= timedelta(days=entry.valid_days)
                    listing.expiry_notified_at = self.now - timedelta(days=entry.valid_days - 1)
            planned.append(PlannedListing(listing, list(entry.municipalities), entry.audiences))
        return planned

    def build_practices(self, planned_meetings):
        held_by_region = {}
        for meeting in planned_meetings:
            if meeting.outcome is not None:
                for code in meeting.regions:
                    held_by_region.setdefault(code, []).append(meeting.outcome)
        planned = []
        for entry in self.board.practices:
            codes = [entry.municipality] if entry.municipality else []
            self._check(entry.title, codes, self.municipalities, "municipality")
            self._check(entry.title, entry.audiences, self.audiences, "audience")
            municipality = self.municipalities.get(entry.municipality)
            if municipality is not None and municipality.region_id != entry.region:
                raise DemoDataError(
                    f"{datafiles.DATA_DIR / 'board.toml'}: {entry.title}: municipality "
                    f"{entry.municipality} is not in region {entry.region}."
                )
            status = GoodPractice.Status.PUBLISHED if entry.published else GoodPractice.Status.DRAFT
            person = random_person(self.rng)
            practice = GoodPractice(
                title=entry.title,
                slug=self.slugs.allocate(entry.title),
                summary=entry.summary,
                text=entry.text,
                region_id=entry.region,
                municipality=municipality,
                organization=self._organisation(entry.organisation),
                contact_name=person.name,
                contact_email=person.email,
                status=status,
            )
            if entry.published:
                practice.published_at = self.now - timedelta(days=self.rng.randint(5, 200))
            outcomes = held_by_region.get(entry.region, []) if entry.published else []
            chosen = self.rng.sample(outcomes, k=min(len(outcomes), LINKED_OUTCOMES_PER_PRACTICE))
            planned.append(PlannedPractice(practice, list(entry.audiences), chosen))
        return planned
