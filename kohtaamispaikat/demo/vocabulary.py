"""The words and sentences demo content is made of (names, streets, kinds of place, texts in
Finnish and, for Åland, Swedish), read from the TOML files in ``data/``, which say what each
entry means. Invented names only; the public bodies (cities, parishes, wellbeing services
counties) are named generically, as every municipality has one.
"""

from dataclasses import dataclass
from functools import cache

from kohtaamispaikat.demo import datafiles
from kohtaamispaikat.demo.datafiles import read_toml
from network.models import Meeting
from places.models import Organization, Place

Kind = Organization.Kind
# The organiser roles of place_kinds.toml and the kind of organisation each makes.
ORGANISER_KINDS = {
    "association": Kind.ASSOCIATION,
    "village": Kind.ASSOCIATION,
    "municipality": Kind.MUNICIPALITY,
    "parish": Kind.PARISH,
    "county": Kind.WELLBEING_COUNTY,
    "company": Kind.COMPANY,
    "other": Kind.OTHER,
}
# Weekdays as the data files write them (ISO numbers: Monday is 1).
WEEKDAYS = {"ma": 1, "ti": 2, "ke": 3, "to": 4, "pe": 5, "la": 6, "su": 7}
SPECIAL_DAY_DATES = ("christmas_market", "independence_day")
MEETING_TITLE_PLACEHOLDERS = ("region_gen", "town", "town_gen", "year", "next_year")


@dataclass(frozen=True)
class SpecialDay:
    reason: str
    opens: str
    closes: str
    when: str = ""  # "christmas_market", "independence_day", or empty for any day soon


@dataclass(frozen=True)
class ExceptionReasons:
    christmas: tuple
    midsummer: str
    renovation: tuple
    training_day: str
    special_days: tuple


@dataclass(frozen=True)
class Texts:
    """The words of one kind of place in one language."""

    prefixes: tuple  # (prefix, weight)
    proper_names: tuple
    standalone_names: tuple = ()
    intros: tuple = ()
    middles: tuple = ()
    closers: tuple = ()
    price_notes: tuple = ()  # (note, free of charge)
    local_associations: tuple = ()
    regional_associations: tuple = ()


@dataclass(frozen=True)
class PlaceKind:
    key: str
    weight: int
    audiences: tuple  # always these
    optional_audiences: tuple  # (slug, probability)
    organisers: tuple  # (role, weight); roles: see ORGANISER_KINDS
    schedules: tuple  # alternative weekly schedules: ((weekdays), opens, closes) ranges
    amenities: tuple
    finnish: Texts
    swedish: Texts | None = None
    evening_extras: tuple = ()  # (probability, ranges) added to a schedule
    summer_schedules: tuple = ()  # seasonal ranges replacing the regular ones in summer
    summer_probability: float = 0.0
    seasonal_only: bool = False
    accessibility: float = 0.65
    online_probability: float = 0.0
    extra_languages: tuple = ()  # (code, probability)
    small_town_boost: float = 1.0  # weight multiplier outside the bigger towns
    city_factor: float = 1.0  # weight multiplier in the bigger towns
    closes_on_holidays: float = 0.88


@dataclass(frozen=True)
class Vocabulary:
    first_names: tuple
    last_names: tuple
    swedish_first_names: tuple
    swedish_last_names: tuple
    city_streets: tuple
    village_streets: tuple
    swedish_streets: tuple
    villages: tuple
    swedish_villages: tuple
    venue_buildings: tuple
    town_hall: dict  # by municipality word ("kaupunki", "kunta")
    company_names: dict  # "local" and "regional" name templates
    other_names: dict
    village_association: str
    swedish_village_association: str
    accessible_notes: tuple
    inaccessible_notes: tuple
    hours_notes: tuple
    swedish_hours_notes: tuple
    seasonal_hours_note: str
    finnish_reasons: ExceptionReasons
    swedish_reasons: ExceptionReasons
    place_kinds: tuple
    coordinator_introductions: dict  # by job title
    coordinator_introduction_swedish: str
    meeting_topics: dict  # by Meeting.Kind
    meeting_descriptions: dict
    cancelled_note: str
    postponed_note: str
    agenda_items: tuple  # one tuple of alternatives per agenda line
    outcome_themes: tuple
    follow_up_plans: tuple

    @property
    def place_kinds_by_key(self):
        return {kind.key: kind for kind in self.place_kinds}


def load_vocabulary(directory=None):
    """The vocabulary in the data files of ``directory``; DemoDataError names any mistake."""
    return _load_vocabulary(directory or datafiles.DATA_DIR)


@cache
def _load_vocabulary(directory):
    people = read_toml(directory, "people.toml")
    finnish_people, swedish_people = people.section("fi"), people.section("sv")
    addresses = read_toml(directory, "addresses.toml")
    streets, villages = addresses.section("streets"), addresses.section("villages")
    venues = addresses.section("meeting_venues")
    town_hall = venues.section("town_hall")
    organisations = read_toml(directory, "organisations.toml")
    notes = read_toml(directory, "place_notes.toml")
    accessibility, hours_notes = notes.section("accessibility"), notes.section("hours_notes")
    exceptions = notes.section("exceptions")
    network = read_toml(directory, "network.toml")
    introductions = network.section("coordinator_introductions")
    meeting_notes, agenda = network.section("meeting_notes"), network.section("agenda")
    outcomes = network.section("outcomes")
    vocabulary = Vocabulary(
        first_names=finnish_people.texts("first_names"),
        last_names=finnish_people.texts("last_names"),
        swedish_first_names=swedish_people.texts("first_names"),
        swedish_last_names=swedish_people.texts("last_names"),
        city_streets=streets.texts("city"),
        village_streets=streets.texts("village"),
        swedish_streets=streets.texts("swedish"),
        villages=villages.texts("fi"),
        swedish_villages=villages.texts("sv"),
        venue_buildings=venues.texts("buildings"),
        town_hall={word: town_hall.text(word) for word in ("kaupunki", "kunta")},
        company_names=_local_and_regional(organisations.section("companies")),
        other_names=_local_and_regional(organisations.section("others")),
        village_association=organisations.section("village_associations").text(
            "fi", placeholders=("village",)
        ),
        swedish_village_association=organisations.section("village_associations").text(
            "sv", placeholders=("village",)
        ),
        accessible_notes=accessibility.texts("step_free"),
        inaccessible_notes=accessibility.texts("not_step_free"),
        hours_notes=hours_notes.texts("fi"),
        swedish_hours_notes=hours_notes.texts("sv"),
        seasonal_hours_note=hours_notes.text("summer"),
        finnish_reasons=_exception_reasons(exceptions.section("fi")),
        swedish_reasons=_exception_reasons(exceptions.section("sv")),
        place_kinds=_place_kinds(read_toml(directory, "place_kinds.toml")),
        coordinator_introductions={
            title: introductions.text(title, placeholders=("region_gen",))
            for title in introductions
            if title != "swedish"
        },
        coordinator_introduction_swedish=introductions.text("swedish", placeholders=()),
        meeting_topics=_by_meeting_kind(
            network.section("meeting_titles"), MEETING_TITLE_PLACEHOLDERS
        ),
        meeting_descriptions=_by_meeting_kind(network.section("meeting_descriptions")),
        cancelled_note=meeting_notes.text("cancelled"),
        postponed_note=meeting_notes.text("postponed"),
        agenda_items=_agenda_items(agenda),
        outcome_themes=outcomes.texts("themes"),
        follow_up_plans=outcomes.texts("follow_up_plans"),
    )
    for section in (
        people,
        finnish_people,
        swedish_people,
        addresses,
        streets,
        villages,
        venues,
        town_hall,
        organisations,
        notes,
        accessibility,
        hours_notes,
        exceptions,
        network,
        introductions,
        meeting_notes,
        agenda,
        outcomes,
    ):
        section.done()
    return vocabulary


def _local_and_regional(section):
    names = {
        "local": section.texts("local", placeholders=("gen",)),
        "regional": section.texts("regional", placeholders=("region_gen",)),
    }
    section.done()
    return names


def _by_meeting_kind(section, placeholders=None):
    for kind in Meeting.Kind.values:
        if kind not in section.values:
            section.error(
                f"has no {kind}: every kind of meeting ({', '.join(Meeting.Kind.values)}) "
                "needs some."
            )
    for kind in section:
        if kind not in Meeting.Kind.values:
            section.error(f"is not a kind of meeting ({', '.join(Meeting.Kind.values)}).", kind)
    texts = {kind: section.texts(kind, placeholders=placeholders) for kind in section}
    section.done()
    return texts


def _agenda_items(section):
    value = section.value("items")
    if not isinstance(value, list) or not value or not all(isinstance(v, list) for v in value):
        section.error('must be a list of lists of texts: [["…", "…"], ["…"]].', "items")
    lines = []
    for index, alternatives in enumerate(value, 1):
        if not alternatives or not all(isinstance(item, str) for item in alternatives):
            section.error(f"line {index} must be a non-empty list of texts.", "items")
        lines.append(tuple(alternatives))
    return tuple(lines)


def _exception_reasons(section):
    special_days = []
    for day in section.tables("special_days"):
        opens, closes = _hours(day, day.text("hours"), "hours")
        when = day.text("when", "")
        if when and when not in SPECIAL_DAY_DATES:
            day.error(f"must be one of {', '.join(SPECIAL_DAY_DATES)}, or left out.", "when")
        special_days.append(SpecialDay(day.text("reason"), opens, closes, when))
        day.done()
    reasons = ExceptionReasons(
        christmas=section.texts("christmas"),
        midsummer=section.text("midsummer"),
        renovation=section.texts("renovation"),
        training_day=section.text("training_day"),
        special_days=tuple(special_days),
    )
    section.done()
    return reasons


def _place_kinds(document):
    kinds = tuple(_place_kind(key, section) for key, section in document.subsections())
    if not kinds:
        document.error("has no kinds of place.")
    return kinds


def _place_kind(key, section):
    organisers = section.weights("organisers")
    for role, _weight in organisers:
        if role not in ORGANISER_KINDS:
            section.error(
                f'has "{role}"; the roles are {", ".join(ORGANISER_KINDS)}.', "organisers"
            )
    amenities = section.texts("amenities")
    _check_codes(section, "amenities", amenities, Place.Amenity.values)
    extra_languages = section.weights("extra_languages", (), high=1)
    languages = [code for code, _probability in extra_languages]
    _check_codes(section, "extra_languages", languages, Place.Language.values)
    swedish = section.section("sv", None)
    kind = PlaceKind(
        key=key,
        weight=section.number("weight"),
        audiences=section.texts("audiences"),
        optional_audiences=section.weights("optional_audiences", (), high=1),
        organisers=organisers,
        schedules=tuple(
            _schedule(section, ranges, "schedules") for ranges in _lists(section, "schedules")
        ),
        amenities=amenities,
        finnish=_texts(section.section("fi")),
        swedish=_texts(swedish) if swedish is not None else None,
        evening_extras=_evening_extras(section),
        summer_schedules=tuple(
            _schedule(section, ranges, "summer_schedules")
            for ranges in _lists(section, "summer_schedules", [])
        ),
        summer_probability=section.number("summer_probability", 0.0, high=1),
        seasonal_only=section.flag("seasonal_only", False),
        accessibility=section.number("accessibility", 0.65, high=1),
        online_probability=section.number("online_probability", 0.0, high=1),
        extra_languages=extra_languages,
        small_town_boost=section.number("small_town_boost", 1.0),
        city_factor=section.number("city_factor", 1.0),
        closes_on_holidays=section.number("closes_on_holidays", 0.88, high=1),
    )
    if not kind.schedules and not kind.seasonal_only:
        section.error("needs schedules (only a kind with seasonal_only = true may have none).")
    if kind.seasonal_only and not kind.summer_schedules:
        section.error("is seasonal_only, so it needs summer_schedules.")
    section.done()
    return kind


def _evening_extras(section):
    extras = []
    for extra in section.tables("evening_extras", []):
        probability = extra.number("probability", high=1)
        extras.append((probability, _schedule(extra, extra.value("hours"), "hours")))
        extra.done()
    return tuple(extras)


def _texts(section):
    price_notes = []
    for note in section.tables("price_notes"):
        price_notes.append((note.text("note"), note.flag("free_of_charge")))
        note.done()
    texts = Texts(
        prefixes=section.weights("prefixes"),
        proper_names=section.texts("proper_names"),
        standalone_names=section.texts("standalone_names", ()),
        intros=section.texts("intros", placeholders=("name",)),
        middles=section.texts("middles"),
        closers=section.texts("closers", ()),
        price_notes=tuple(price_notes),
        local_associations=section.texts("local_associations", (), placeholders=("gen",)),
        regional_associations=section.texts("regional_associations", placeholders=("region_gen",)),
    )
    section.done()
    return texts


def _check_codes(section, key, codes, known):
    unknown = [code for code in codes if code not in known]
    if unknown:
        section.error(f"has {', '.join(unknown)}; the known ones are {', '.join(known)}.", key)


def _lists(section, key, default=None):
    """A list of schedules, each a list of "days hours" texts."""
    value = section.value(key) if default is None else section.value(key, default)
    if not isinstance(value, list) or not all(isinstance(item, list) for item in value):
        section.error('must be a list of schedules: [["ma ke 09:00-12:00"], …].', key)
    return value


def _schedule(section, ranges, key):
    """(("ma ke pe 09:00-12:00"), …) as (((1, 3, 5), "09:00", "12:00"), …)."""
    if not isinstance(ranges, list) or not ranges:
        section.error('must list days and hours: ["ma ke pe 09:00-12:00", …].', key)
    schedule = []
    for text in ranges:
        if not isinstance(text, str) or len(text.split()) < 2:
            section.error(f'"{text}" must be days and hours, like "ma ke pe 09:00-12:00".', key)
        *days, hours = text.split()
        unknown = [day for day in days if day not in WEEKDAYS]
        if unknown:
            section.error(
                f'"{text}": {", ".join(unknown)} is not a day; the days are {" ".join(WEEKDAYS)}.',
                key,
            )
        opens, closes = _hours(section, hours, key)
        schedule.append((tuple(WEEKDAYS[day] for day in days), opens, closes))
    return tuple(schedule)


def _hours(section, text, key):
    """ "09:00-12:00" as ("09:00", "12:00")."""
    parts = text.split("-")
    if len(parts) != 2 or not all(_is_clock(part) for part in parts):
        section.error(f'"{text}": hours must be written like 09:00-12:00.', key)
    return parts[0], parts[1]


def _is_clock(text):
    hours, _, minutes = text.partition(":")
    return (
        len(hours) == 2
        and len(minutes) == 2
        and hours.isdigit()
        and minutes.isdigit()
        and int(hours) < 24
        and int(minutes) < 60
    )
