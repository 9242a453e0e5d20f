"""Demo meeting places: who runs them, where they are, for whom, and when they are open."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from kohtaamispaikat.demo.common import (
    EMAIL_DOMAIN,
    WEBSITE,
    SlugAllocator,
    clock,
    coordinate,
    random_person,
    random_phone,
)
from kohtaamispaikat.demo.towns import CITY_POSTAL_STEPS
from kohtaamispaikat.demo.vocabulary import ORGANISER_KINDS, load_vocabulary
from places.hours import is_public_holiday
from places.models import (
    FINLAND_LATITUDE,
    FINLAND_LONGITUDE,
    Organization,
    Place,
)

Kind = Organization.Kind
LANGUAGE_ORDER = [code for code, _label in Place.Language.choices]
AMENITY_ORDER = [code for code, _label in Place.Amenity.choices]
CURATED_TOWN_SHARE = 0.7  # the rest spread evenly over all municipalities
PUBLISHED_SHARE = 0.94
STALE_SHARE = 0.15  # last verified more than a year ago
NEVER_VERIFIED_SHARE = 0.05
UNLOCATED_SHARE = 0.02


@dataclass(frozen=True)
class Anchor:
    """A place every demo database has, created first (``--places 3`` makes the first three)."""

    town: str
    kind: str
    name: str
    organiser: tuple  # (role, name): roles as in vocabulary.ORGANISER_KINDS
    schedule: tuple
    summer_schedule: tuple = ()
    languages: tuple = ()
    hours_note: str = ""
    seasonal_hours_note: bool = False  # the vocabulary's note on summer hours as hours_note
    closed_on_public_holidays: bool = True


STAFF_ORGANISATION = "Jyväskylän Perhetupa ry"
STAFF_ORGANISATION_TOWN = "179"
TUESDAY_EVENING = ((2,), "17:00", "20:00")
ANCHORS = (
    # The first four: family places in Jyväskylä open on Tuesday evening, with regular hours
    # only and no exception on an ordinary Tuesday (the acceptance journey looks for them).
    Anchor(
        "179",
        "family",
        "Perhekahvila Nuppu",
        ("association", STAFF_ORGANISATION),
        (((1, 3), "09:00", "12:00"), TUESDAY_EVENING),
    ),
    Anchor(
        "179",
        "family",
        "Perheolohuone Tenava",
        ("association", STAFF_ORGANISATION),
        (((4,), "09:30", "12:00"), ((2,), "16:30", "19:30")),
    ),
    Anchor(
        "179",
        "family",
        "Perhekerho Pesä",
        ("parish", "Jyväskylän seurakunta"),
        (((5,), "09:30", "11:30"), ((2,), "17:30", "19:30")),
    ),
    Anchor(
        "179",
        "family",
        "Perhekeskuksen kohtaamispaikka Vipinä",
        ("county", "Keski-Suomen hyvinvointialue"),
        (((1, 2, 3, 4), "09:00", "12:00"), ((2,), "17:00", "19:00")),
    ),
    Anchor(
        "179",
        "youth",
        "Nuorisokahvila Nuotta",
        ("municipality", "Jyväskylän kaupunki"),
        (((1, 2, 3, 4), "14:00", "20:00"), ((5,), "18:00", "00:30"), ((6,), "16:00", "21:00")),
        closed_on_public_holidays=False,
    ),
    Anchor(
        "179",
        "living",
        "Hyvinvointiolohuone Kompassi",
        ("company", "Jyväskylän Asukaspalvelut Oy"),
        (((1, 2, 3, 4, 5), "10:00", "15:00"),),
        summer_schedule=(((2, 4), "10:00", "13:00"),),
        seasonal_hours_note=True,
    ),
    Anchor(
        "171",
        "village",
        "Kylätalo Koivula",
        ("village", "Rantakylän kyläyhdistys ry"),
        (((3,), "18:00", "21:00"), ((7,), "12:00", "15:00")),
        summer_schedule=(((2, 3, 4, 5, 6, 7), "11:00", "16:00"),),
        hours_note="Myös sopimuksen mukaan.",
    ),
    Anchor(
        "091",
        "carers",
        "Omaishoitajien olohuone",
        ("association", "Helsingin Omaishoitajat ry"),
        (((2,), "10:00", "13:00"), ((4,), "17:30", "19:30")),
    ),
    Anchor(
        "853",
        "peer",
        "Vertaistukipiste Majakka",
        ("association", "Turun Mielenterveysyhdistys ry"),
        (((1, 2, 3, 4, 5), "09:00", "15:00"),),
    ),
    Anchor(
        "905",
        "multicultural",
        "Kielikahvila Mosaiikki",
        ("other", "Vaasan kansalaisopisto"),
        (((3,), "17:00", "19:00"), ((6,), "12:00", "14:00")),
        languages=("fi", "sv", "en", "other"),
    ),
    Anchor(
        "478",
        "family",
        "Familjecaféet Knoppen",
        ("parish", "Mariehamns församling"),
        (((1, 3), "09:30", "12:00"),),
        languages=("sv", "fi"),
    ),
)


@dataclass
class PlannedPlace:
    """A place and its rows in other tables, saved by the loader once the place has a key
    (the rows are field values rather than model instances: cheaper for thousands of rows)."""

    place: Place
    weekly_hours: list = field(default_factory=list)  # WeeklyHours field values
    exceptions: list = field(default_factory=list)  # HoursException field values
    audiences: list = field(default_factory=list)  # slugs


class PlaceBuilder:
    def __init__(self, rng, calendar, towns, organisations, taken_slugs=()):
        self.rng = rng
        self.words = load_vocabulary()
        self.calendar = calendar
        self.towns = towns
        self.towns_by_code = {town.code: town for town in towns}
        self.curated_towns = [town for town in towns if town.is_curated]
        self.curated_cum_weights = list(accumulate(town.weight for town in self.curated_towns))
        self.organisations = organisations
        self.slugs = SlugAllocator(taken_slugs)
        self.names_in_town = defaultdict(set)
        self.kind_choices = {}

    def register_anchor_organisations(self):
        """Create the anchors' organisations even when fewer places are asked for, so that every
        kind of organisation is present in any demo database."""
        for anchor in ANCHORS:
            self._anchor_organisation(anchor)

    def build(self, count):
        planned = [self._build_anchor(anchor) for anchor in ANCHORS[:count]]
        planned += [self._build_random() for _ in range(count - len(planned))]
        return planned

    def _anchor_organisation(self, anchor):
        role, name = anchor.organiser
        scope = "" if role == "county" else anchor.town
        return self.organisations.get(name, ORGANISER_KINDS[role], scope)

    def _build_anchor(self, anchor):
        return self._build(
            self.words.place_kinds_by_key[anchor.kind],
            self.towns_by_code[anchor.town],
            name=anchor.name,
            organisation=self._anchor_organisation(anchor),
            schedule=anchor.schedule,
            summer_schedule=anchor.summer_schedule,
            languages=anchor.languages,
            hours_note=(
                self.words.seasonal_hours_note if anchor.seasonal_hours_note else anchor.hours_note
            ),
            closed_on_public_holidays=anchor.closed_on_public_holidays,
            is_anchor=True,
        )

    def _build_random(self):
        town = self._pick_town()
        return self._build(self._pick_kind(town), town)

    def _pick_town(self):
        if self.rng.random() < CURATED_TOWN_SHARE:
            return self.rng.choices(self.curated_towns, cum_weights=self.curated_cum_weights)[0]
        return self.rng.choice(self.towns)

    def _pick_kind(self, town):
        key = (town.swedish, town.is_city)
        if key not in self.kind_choices:
            kinds = [kind for kind in self.words.place_kinds if kind.swedish or not town.swedish]
            weights = [
                kind.weight * (kind.city_factor if town.is_city else kind.small_town_boost)
                for kind in kinds
            ]
            self.kind_choices[key] = (kinds, list(accumulate(weights)))
        kinds, cum_weights = self.kind_choices[key]
        return self.rng.choices(kinds, cum_weights=cum_weights)[0]

    def _build(
        self,
        kind,
        town,
        *,
        name=None,
        organisation=None,
        schedule=None,
        summer_schedule=None,
        languages=(),
        hours_note=None,
        closed_on_public_holidays=None,
        is_anchor=False,
    ):
        rng = self.rng
        texts = kind.swedish if town.swedish else kind.finnish
        street_address, street = self._street_address(town)
        base_name = name or self._random_name(texts)
        name = self._unique_name(base_name, street, town)
        organisation = organisation or self._organiser(kind, texts, town)
        slug = self.slugs.allocate(f"{name} {town.municipality.slug}")
        latitude, longitude = self._coordinates(town, always=is_anchor)
        price_note, free_of_charge = rng.choice(texts.price_notes)
        step_free = rng.random() < kind.accessibility
        person = random_person(rng, swedish=town.swedish)
        contact_name = person.name if rng.random() < 0.85 else ""
        if schedule is None:
            schedule = self._random_schedule(kind)
        if summer_schedule is None:
            summer_schedule = self._random_summer_schedule(kind)
        place = Place(
            name=name,
            slug=slug,
            organization=organisation,
            municipality_id=town.code,
            street_address=street_address,
            postal_code=self._postal_code(town),
            postal_town=town.postal_town,
            latitude=latitude,
            longitude=longitude,
            description=self._description(texts, base_name, organisation, town.swedish),
            free_of_charge=free_of_charge,
            price_note=price_note,
            step_free_access=step_free,
            accessible_toilet=step_free and rng.random() < 0.75,
            induction_loop=rng.random() < (0.3 if step_free else 0.05),
            accessibility_note=self._accessibility_note(step_free, town.swedish),
            languages=list(languages) or self._languages(kind, town),
            amenities=self._amenities(kind),
            online_url=(
                f"{WEBSITE}/etaolohuone/{slug}" if rng.random() < kind.online_probability else ""
            ),
            contact_name=contact_name,
            phone=random_phone(rng, town.phone_area_code) if rng.random() < 0.9 else "",
            email=person.email if contact_name else f"{slug[:60].rstrip('-')}@{EMAIL_DOMAIN}",
            website=f"{WEBSITE}/{slug}" if rng.random() < 0.4 else "",
            closed_on_public_holidays=(
                rng.random() < kind.closes_on_holidays
                if closed_on_public_holidays is None
                else closed_on_public_holidays
            ),
            hours_note=(
                self._hours_note(kind, summer_schedule, town.swedish)
                if hours_note is None
                else hours_note
            ),
            is_published=is_anchor or rng.random() < PUBLISHED_SHARE,
            last_verified=self._last_verified(),
        )
        reasons = self.words.swedish_reasons if town.swedish else self.words.finnish_reasons
        return PlannedPlace(
            place=place,
            weekly_hours=self._weekly_hours(schedule, summer_schedule),
            exceptions=self._exceptions(kind, reasons, christmas_only=is_anchor),
            audiences=self._audiences(kind),
        )

    def _random_name(self, texts):
        rng = self.rng
        if texts.standalone_names and rng.random() < 0.15:
            return rng.choice(texts.standalone_names)
        prefixes, weights = zip(*texts.prefixes, strict=True)
        return f"{rng.choices(prefixes, weights)[0]} {rng.choice(texts.proper_names)}"

    def _unique_name(self, name, street, town):
        """A second place of the same name in a town gets its street in the name as well."""
        used = self.names_in_town[town.code]
        if name in used:
            name = f"{name}, {street}"
        used.add(name)
        return name

    def _street_address(self, town):
        rng = self.rng
        if town.swedish:
            streets = self.words.swedish_streets
        elif town.is_city:
            streets = self.words.city_streets
        else:
            streets = self.words.village_streets
        street = rng.choice(streets)
        address = f"{street} {rng.randint(1, 60 if town.is_city else 30)}"
        variant = rng.random()
        if variant < 0.12:
            address += f" {rng.choice('ABC')}"
        elif variant < 0.2 and not town.swedish:
            address += ", 2. krs"
        return address, street

    def _postal_code(self, town):
        if not town.is_city:
            return town.postal_code
        step = self.rng.choice(CITY_POSTAL_STEPS)
        return f"{int(town.postal_code) + step:05d}"

    def _coordinates(self, town, always=False):
        rng = self.rng
        if not always and rng.random() < UNLOCATED_SHARE:
            return None, None
        spread = 1.0 if town.is_city else 0.5
        latitude = float(town.municipality.latitude) + rng.uniform(-0.03, 0.03) * spread
        longitude = float(town.municipality.longitude) + rng.uniform(-0.06, 0.06) * spread
        return (
            coordinate(_within(latitude, FINLAND_LATITUDE)),
            coordinate(_within(longitude, FINLAND_LONGITUDE)),
        )

    def _organiser(self, kind, texts, town):
        roles, weights = zip(*kind.organisers, strict=True)
        return self._organisation_for(self.rng.choices(roles, weights)[0], texts, town)

    def _organisation_for(self, role, texts, town):
        rng = self.rng
        organisations = self.organisations
        if role == "county" and not town.county:
            role = "municipality"  # Helsinki and Åland organise these services themselves
        if role == "municipality" and town.is_curated:
            return organisations.get(town.municipality_name, Kind.MUNICIPALITY, town.code)
        if role == "parish" and town.is_curated:
            return organisations.get(town.parish_name, Kind.PARISH, town.code)
        if role == "county":
            return organisations.get(town.county, Kind.WELLBEING_COUNTY)
        if role in ("company", "other") and not town.swedish:
            names = self.words.company_names if role == "company" else self.words.other_names
            if town.is_curated:
                name = rng.choice(names["local"]).format(gen=town.genitive)
                return organisations.get(name, ORGANISER_KINDS[role], town.code)
            name = rng.choice(names["regional"]).format(region_gen=town.region_genitive)
            return organisations.get(name, ORGANISER_KINDS[role], town.region_code)
        if role != "village" and town.is_curated and texts.local_associations:
            name = rng.choice(texts.local_associations).format(gen=town.genitive)
            return organisations.get(name, Kind.ASSOCIATION, town.code)
        if role != "village" and texts.regional_associations:
            name = rng.choice(texts.regional_associations).format(region_gen=town.region_genitive)
            return organisations.get(name, Kind.ASSOCIATION, town.region_code)
        if town.swedish:
            village = rng.choice(self.words.swedish_villages)
            name = self.words.swedish_village_association.format(village=village)
        else:
            village = rng.choice(self.words.villages)
            name = self.words.village_association.format(village=village)
        return organisations.get(name, Kind.ASSOCIATION, town.code)

    def _description(self, texts, name, organisation, swedish):
        rng = self.rng
        sentences = [rng.choice(texts.intros).format(name=name)]
        sentences += rng.sample(texts.middles, k=min(2, len(texts.middles)))
        if texts.closers and rng.random() < 0.6:
            sentences.append(rng.choice(texts.closers))
        if rng.random() < 0.35:
            if swedish:
                sentences.append(f"Verksamheten ordnas av {organisation.name}.")
            else:
                sentences.append(f"Toimintaa järjestää {organisation.name}.")
        return " ".join(sentences)

    def _accessibility_note(self, step_free, swedish):
        if swedish or self.rng.random() >= 0.4:
            return ""
        notes = self.words.accessible_notes if step_free else self.words.inaccessible_notes
        return self.rng.choice(notes)

    def _languages(self, kind, town):
        rng = self.rng
        codes = {"sv"} if town.swedish else {"fi"}
        if town.swedish and rng.random() < 0.4:
            codes.add("fi")
        if town.bilingual and rng.random() < 0.5:
            codes.add("sv")
        if town.sami and rng.random() < 0.35:
            codes.add("se")
        for code, probability in kind.extra_languages:
            if rng.random() < probability:
                codes.add(code)
        return [code for code in LANGUAGE_ORDER if code in codes]

    def _amenities(self, kind):
        count = self.rng.randint(2, min(5, len(kind.amenities)))
        chosen = set(self.rng.sample(kind.amenities, k=count))
        return [code for code in AMENITY_ORDER if code in chosen]

    def _audiences(self, kind):
        optional = [slug for slug, chance in kind.optional_audiences if self.rng.random() < chance]
        return [*kind.audiences, *optional]

    def _last_verified(self):
        draw = self.rng.random()
        today = self.calendar.today
        if draw < NEVER_VERIFIED_SHARE:
            return None
        if draw < NEVER_VERIFIED_SHARE + STALE_SHARE:
            return today - timedelta(days=self.rng.randint(380, 900))
        return today - timedelta(days=self.rng.randint(0, 330))

    def _random_schedule(self, kind):
        if not kind.schedules:
            return ()
        schedule = list(self.rng.choice(kind.schedules))
        for probability, ranges in kind.evening_extras:
            if self.rng.random() < probability:
                schedule += ranges
        return tuple(schedule)

    def _random_summer_schedule(self, kind):
        if kind.summer_schedules and self.rng.random() < kind.summer_probability:
            return self.rng.choice(kind.summer_schedules)
        return ()

    def _hours_note(self, kind, summer_schedule, swedish):
        draw = self.rng.random()
        if summer_schedule and not kind.seasonal_only and not swedish and draw < 0.5:
            return self.words.seasonal_hours_note
        if draw < 0.15:
            notes = self.words.swedish_hours_notes if swedish else self.words.hours_notes
            return self.rng.choice(notes)
        return ""

    def _weekly_hours(self, schedule, summer_schedule):
        valid_from, valid_until = self.calendar.summer_season
        rules = [
            {"weekday": weekday, "opens": clock(opens), "closes": clock(closes)}
            for weekdays, opens, closes in schedule
            for weekday in weekdays
        ]
        rules += [
            {
                "weekday": weekday,
                "opens": clock(opens),
                "closes": clock(closes),
                "valid_from": valid_from,
                "valid_until": valid_until,
            }
            for weekdays, opens, closes in summer_schedule
            for weekday in weekdays
        ]
        return rules

    def _exceptions(self, kind, reasons, christmas_only=False):
        rng = self.rng
        calendar = self.calendar
        today = calendar.today
        exceptions = []

        def closed(start, end, reason):
            exceptions.append({"start_date": start, "end_date": end, "reason": reason})

        if kind.seasonal_only:  # open in summer only: nothing to close but Midsummer
            if rng.random() < 0.3:
                eve = calendar.midsummer_eve
                closed(eve, eve + timedelta(days=1), reasons.midsummer)
            return exceptions
        if rng.random() < 0.45:
            year = calendar.christmas_year
            closed(
                date(year, 12, rng.choice((19, 20, 21, 22))),
                date(year + 1, 1, rng.choice((6, 7, 8))),
                rng.choice(reasons.christmas),
            )
        if christmas_only:
            return exceptions
        if rng.random() < 0.25:
            eve = calendar.midsummer_eve
            closed(eve, eve + timedelta(days=1), reasons.midsummer)
        if rng.random() < 0.07:
            start = today + timedelta(days=rng.randint(-45, 120))
            closed(
                start, start + timedelta(days=rng.randint(6, 27)), rng.choice(reasons.renovation)
            )
        if rng.random() < 0.08:
            day = _working_day_on_or_after(today + timedelta(days=rng.randint(3, 90)))
            closed(day, None, reasons.training_day)
        if rng.random() < 0.15:
            special = rng.choice(reasons.special_days)
            if special.when == "christmas_market":
                day = calendar.next_christmas_market()
            elif special.when == "independence_day":
                day = calendar.next_date(12, 6)
            else:
                day = today + timedelta(days=rng.randint(5, 75))
            exceptions.append(
                {
                    "start_date": day,
                    "closed": False,
                    "opens": clock(special.opens),
                    "closes": clock(special.closes),
                    "reason": special.reason,
                }
            )
        return exceptions


def _within(value, bounds, margin=0.001):
    low, high = bounds
    return min(max(value, low + margin), high - margin)


def _working_day_on_or_after(day):
    while day.isoweekday() > 5 or is_public_holiday(day):
        day += timedelta(days=1)
    return day
