"""What the demo builders share: slugs, organisations, people and the seasons of the year."""

import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from functools import lru_cache

from django.utils.text import slugify

from kohtaamispaikat.demo.vocabulary import load_vocabulary
from places.models import Organization
from places.validators import business_id_check_digit

# Demo organisations are recognised by this slug prefix; everything they own is demo content.
DEMO_SLUG_PREFIX = "demo-"
EMAIL_DOMAIN = "esimerkki.fi"
WEBSITE = f"https://{EMAIL_DOMAIN}"
MOBILE_PREFIXES = ("040", "044", "045", "050")
KINDS_WITH_BUSINESS_ID = frozenset(
    {Organization.Kind.ASSOCIATION, Organization.Kind.COMPANY, Organization.Kind.OTHER}
)


@lru_cache(maxsize=256)
def clock(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def ascii_lower(text):
    """ "Hämäläinen" → "hamalainen", for addresses at the example domain."""
    normalized = unicodedata.normalize("NFKD", text)
    return normalized.encode("ascii", "ignore").decode().lower().replace(" ", "")


def coordinate(value):
    return Decimal(f"{value:.6f}")


class SlugAllocator:
    """Unique slugs: "perhekahvila-nuppu-jyvaskyla", then "-2", "-3"… for the same name."""

    def __init__(self, taken=(), max_length=200):
        self.taken = set(taken)
        self.next_suffix = {}
        self.max_length = max_length

    def allocate(self, text):
        base = slugify(text)[: self.max_length - 8].strip("-") or "demo"
        slug = base
        while slug in self.taken:
            suffix = self.next_suffix.get(base, 2)
            self.next_suffix[base] = suffix + 1
            slug = f"{base}-{suffix}"
        self.taken.add(slug)
        return slug


class Organisations:
    """Demo organisations by name (and scope, so two villages may both have a
    "Rantakylän kyläyhdistys ry"), created on first use."""

    def __init__(self, rng):
        self.rng = rng
        self.slugs = SlugAllocator(max_length=200 - len(DEMO_SLUG_PREFIX))
        self.by_key = {}
        self.business_ids = set()

    def get(self, name, kind, scope=""):
        key = (name, scope)
        if key not in self.by_key:
            slug = self.slugs.allocate(name)
            self.by_key[key] = Organization(
                name=name,
                slug=f"{DEMO_SLUG_PREFIX}{slug}",
                kind=kind,
                business_id=self._business_id() if kind in KINDS_WITH_BUSINESS_ID else "",
                website=f"{WEBSITE}/{slug}" if self.rng.random() < 0.6 else "",
            )
        return self.by_key[key]

    def find(self, name, scope=""):
        return self.by_key.get((name, scope))

    def all(self):
        return list(self.by_key.values())

    def _business_id(self):
        while True:
            digits = f"{self.rng.randrange(100_000, 3_400_000):07d}"
            check = business_id_check_digit(digits)
            business_id = f"{digits}-{check}"
            if check is not None and business_id not in self.business_ids:
                self.business_ids.add(business_id)
                return business_id


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self):
        return f"{ascii_lower(self.first_name)}.{ascii_lower(self.last_name)}@{EMAIL_DOMAIN}"


def random_person(rng, swedish=False):
    words = load_vocabulary()
    if swedish:
        return Person(rng.choice(words.swedish_first_names), rng.choice(words.swedish_last_names))
    return Person(rng.choice(words.first_names), rng.choice(words.last_names))


def random_phone(rng, area_code=""):
    if area_code and rng.random() < 0.4:
        return f"{area_code} {rng.randint(200, 899)} {rng.randint(1000, 9999)}"
    prefix = rng.choice(MOBILE_PREFIXES)
    return f"{prefix} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


@dataclass(frozen=True)
class Calendar:
    """The dates the demo content is relative to: today, this year's summer season, and the
    next Christmas break and Midsummer."""

    today: date

    @property
    def summer_season(self):
        return date(self.today.year, 6, 1), date(self.today.year, 8, 15)

    @property
    def christmas_year(self):
        # Early January is still the previous Christmas break.
        return self.today.year - 1 if self.today < date(self.today.year, 1, 7) else self.today.year

    @property
    def midsummer_eve(self):
        eve = _midsummer_eve(self.today.year)
        if eve + timedelta(days=1) < self.today:
            eve = _midsummer_eve(self.today.year + 1)
        return eve

    def next_date(self, month, day):
        this_year = date(self.today.year, month, day)
        return this_year if this_year >= self.today else date(self.today.year + 1, month, day)

    def next_christmas_market(self):
        """The first Saturday of December, this year or next."""
        saturday = _first_saturday_of_december(self.today.year)
        if saturday < self.today:
            saturday = _first_saturday_of_december(self.today.year + 1)
        return saturday


def _midsummer_eve(year):
    """The Friday between 19 and 25 June."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


def _first_saturday_of_december(year):
    first = date(year, 12, 1)
    return first + timedelta(days=(5 - first.weekday()) % 7)
