"""Demo network content: coordinators of every region, and meetings past and upcoming in every
status, with outcomes and follow-up plans for those held."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from kohtaamispaikat.demo.common import (
    WEBSITE,
    SlugAllocator,
    clock,
    random_person,
    random_phone,
)
from kohtaamispaikat.demo.towns import ALAND, UUSIMAA, load_town_data
from kohtaamispaikat.demo.vocabulary import load_vocabulary
from network.models import Coordinator, FollowUp, Meeting, Outcome
from places.hours import HELSINKI
from places.models import Organization

Kind = Organization.Kind
Status = Meeting.Status
KEY_REGION = "13"  # Keski-Suomi: the demo regional coordinator's region
COORDINATOR_PUBLISHED_SHARE = 0.9
PAST_SHARE = 0.55
UPCOMING_DAYS = 150
OUTCOME_RECORDED_SHARE = 0.85
# (status, past?) of the first meetings, so that even a few meetings show every status.
FIRST_MEETINGS = (
    (Status.PUBLISHED, False),
    (Status.PUBLISHED, True),
    (Status.CANCELLED, False),
    (Status.POSTPONED, False),
    (Status.DRAFT, False),
)
PAST_STATUSES = ((Status.PUBLISHED, 85), (Status.CANCELLED, 10), (Status.POSTPONED, 3))
UPCOMING_STATUSES = (
    (Status.PUBLISHED, 65),
    (Status.DRAFT, 15),
    (Status.CANCELLED, 8),
    (Status.POSTPONED, 12),
)
START_TIMES = {
    Meeting.Kind.WORKSHOP: ("09:00", "12:30", "13:00"),
    Meeting.Kind.NETWORK_MEETING: ("09:00", "13:00", "14:00"),
    Meeting.Kind.NETWORK_DAYS: ("09:00",),
    Meeting.Kind.TRAINING: ("09:00", "12:00", "17:00"),
    Meeting.Kind.INFO_SESSION: ("10:00", "14:00", "17:00"),
}
DURATIONS_IN_MINUTES = {
    Meeting.Kind.WORKSHOP: (180, 210),
    Meeting.Kind.NETWORK_MEETING: (120, 150),
    Meeting.Kind.NETWORK_DAYS: (360, 1800),  # one day, or two days ending at 15.00
    Meeting.Kind.TRAINING: (180, 360),
    Meeting.Kind.INFO_SESSION: (60, 90),
}
PARTICIPANT_RANGES = {
    "participants_associations": (3, 25),
    "participants_municipality": (1, 10),
    "participants_wellbeing_county": (0, 6),
    "participants_parish": (0, 4),
    "participants_education": (0, 5),
    "participants_business": (0, 3),
    "participants_residents": (0, 15),
    "participants_other": (0, 3),
}


@dataclass
class PlannedCoordinator:
    coordinator: Coordinator
    regions: list = field(default_factory=list)  # region codes
    municipalities: list = field(default_factory=list)  # municipality codes
    is_demo_user: bool = False


@dataclass
class PlannedMeeting:
    meeting: Meeting
    regions: list
    outcome: Outcome | None = None
    follow_ups: list = field(default_factory=list)


class NetworkBuilder:
    def __init__(self, rng, now, towns, organisations, taken_meeting_slugs=()):
        self.rng = rng
        self.words = load_vocabulary()
        self.now = now
        self.today = now.astimezone(HELSINKI).date()
        self.towns = towns
        self.organisations = organisations
        self.slugs = SlugAllocator(taken_meeting_slugs)
        self.region_codes = sorted({town.region_code for town in towns})
        self.towns_by_region = {}
        for town in towns:
            self.towns_by_region.setdefault(town.region_code, []).append(town)
        self.meeting_towns = [town for town in towns if town.is_curated and not town.swedish]
        self.meeting_cum_weights = list(accumulate(town.weight for town in self.meeting_towns))

    # Coordinators

    def build_coordinators(self):
        planned = []
        for region_code in self.region_codes:
            planned += self._region_coordinators(region_code)
        return planned

    def _region_coordinators(self, region_code):
        rng = self.rng
        towns = self.towns_by_region[region_code]
        region_genitive = towns[0].region_genitive
        if region_code == ALAND:
            organisation = self.organisations.get("Ålands Mötesplatser rf", Kind.ASSOCIATION, ALAND)
            return [
                self._coordinator(
                    "kohtaamispaikkakoordinaattori",
                    organisation,
                    regions=[region_code],
                    swedish=True,
                    introduction=self.words.coordinator_introduction_swedish,
                )
            ]
        planned = []
        if region_code == UUSIMAA:
            municipality_codes = {town.code for town in towns}
            for county, codes in load_town_data().uusimaa_counties.items():
                planned.append(
                    self._coordinator(
                        "perhekeskuskoordinaattori",
                        self.organisations.get(county, Kind.WELLBEING_COUNTY),
                        municipalities=[code for code in codes if code in municipality_codes],
                        region_genitive=region_genitive,
                    )
                )
        else:
            planned.append(
                self._coordinator(
                    "perhekeskuskoordinaattori",
                    self.organisations.get(towns[0].county, Kind.WELLBEING_COUNTY),
                    regions=[region_code],
                    region_genitive=region_genitive,
                )
            )
        network = self.organisations.get(
            f"{region_genitive} Järjestöverkosto ry", Kind.ASSOCIATION, region_code
        )
        if region_code == KEY_REGION or rng.random() < 0.7:
            planned.append(
                self._coordinator(
                    "järjestöagentti",
                    network,
                    regions=[region_code],
                    region_genitive=region_genitive,
                    is_demo_user=region_code == KEY_REGION,
                )
            )
        if rng.random() < 0.3:
            title = rng.choice(("kohtaamispaikkakoordinaattori", "yhteisötyön koordinaattori"))
            planned.append(
                self._coordinator(
                    title, network, regions=[region_code], region_genitive=region_genitive
                )
            )
        curated = sorted(
            (town for town in towns if town.is_curated), key=lambda town: (-town.weight, town.code)
        )
        for index, town in enumerate(curated[:2]):
            if index == 0 or rng.random() < 0.5:
                covered = [town.code]
                if len(curated) > 2 and rng.random() < 0.3:
                    covered.append(rng.choice(curated[2:]).code)
                planned.append(
                    self._coordinator(
                        "hyvinvointikoordinaattori",
                        self.organisations.get(
                            town.municipality_name, Kind.MUNICIPALITY, town.code
                        ),
                        municipalities=covered,
                        region_genitive=region_genitive,
                    )
                )
        return planned

    def _coordinator(
        self,
        title,
        organisation,
        *,
        regions=(),
        municipalities=(),
        region_genitive="",
        swedish=False,
        introduction=None,
        is_demo_user=False,
    ):
        rng = self.rng
        person = random_person(rng, swedish=swedish)
        if introduction is None:
            introduction = self.words.coordinator_introductions[title].format(
                region_gen=region_genitive
            )
        coordinator = Coordinator(
            name=person.name,
            title=title,
            organization=organisation,
            email=person.email,
            phone=random_phone(rng),
            introduction=introduction,
            is_published=is_demo_user or rng.random() < COORDINATOR_PUBLISHED_SHARE,
        )
        return PlannedCoordinator(coordinator, list(regions), list(municipalities), is_demo_user)

    # Meetings

    def build_meetings(self, count, places_by_region, coordinators_by_region):
        key_town = max(
            (town for town in self.meeting_towns if town.region_code == KEY_REGION),
            key=lambda town: town.weight,
        )
        planned = []
        for index in range(count):
            if index < len(FIRST_MEETINGS):
                status, is_past = FIRST_MEETINGS[index]
                kind = Meeting.Kind.values[index % len(Meeting.Kind.values)]
                town = key_town
            else:
                is_past = self.rng.random() < PAST_SHARE
                status = self._weighted(PAST_STATUSES if is_past else UPCOMING_STATUSES)
                kind = self.rng.choice(Meeting.Kind.values)
                town = self.rng.choices(self.meeting_towns, cum_weights=self.meeting_cum_weights)[0]
            planned.append(
                self._meeting(
                    kind,
                    status,
                    is_past,
                    town,
                    places_by_region.get(town.region_code, []),
                    coordinators_by_region.get(town.region_code, []),
                    always_record=index < len(FIRST_MEETINGS),
                )
            )
        return planned

    def _weighted(self, choices):
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights)[0]

    def _meeting(
        self, kind, status, is_past, town, region_places, region_coordinators, always_record
    ):
        rng = self.rng
        start = self._start(kind, is_past)
        end = self._end(kind, start)
        title = rng.choice(self.words.meeting_topics[kind]).format(
            region_gen=town.region_genitive,
            town=town.municipality.name_fi,
            town_gen=town.genitive,
            year=start.year,
            next_year=start.year + 1,
        )
        slug = self.slugs.allocate(f"{title} {start:%Y-%m-%d}")
        meeting = Meeting(
            title=title,
            slug=slug,
            kind=kind,
            start=start,
            end=end,
            description=self._meeting_description(kind, status),
            agenda=self._agenda(start) if rng.random() < 0.7 else "",
            organizer=self._organiser(town),
            contact=rng.choice(region_coordinators).coordinator if region_coordinators else None,
            status=status,
        )
        self._set_place(meeting, kind, town, region_places)
        if status != Status.DRAFT:
            meeting.published_at = min(
                start - timedelta(days=rng.randint(14, 60)),
                self.now - timedelta(days=rng.randint(1, 10)),
            )
            if rng.random() < 0.7:
                meeting.registration_url = f"{WEBSITE}/ilmoittautuminen/{slug}"
                deadline = start - timedelta(days=rng.choice((3, 5, 7, 10, 14)))
                meeting.registration_deadline = deadline.replace(hour=16, minute=0)
        regions = [town.region_code]
        if kind == Meeting.Kind.NETWORK_DAYS and rng.random() < 0.4:
            others = [code for code in self.region_codes if code not in (town.region_code, ALAND)]
            regions += rng.sample(others, k=rng.randint(1, 2))
        planned = PlannedMeeting(meeting, regions)
        recorded = always_record or rng.random() < OUTCOME_RECORDED_SHARE
        if status == Status.PUBLISHED and end < self.now and recorded:
            planned.outcome = self._outcome(meeting, kind)
            planned.follow_ups = self._follow_ups(planned.outcome, town)
        return planned

    def _start(self, kind, is_past):
        rng = self.rng
        if is_past:
            earliest = self.today.replace(year=self.today.year - 1, month=1, day=1)
            day = self.today - timedelta(days=rng.randint(1, (self.today - earliest).days))
            while day.isoweekday() > 5:
                day -= timedelta(days=1)
        else:
            day = self.today + timedelta(days=rng.randint(1, UPCOMING_DAYS))
            while day.isoweekday() > 5:
                day += timedelta(days=1)
        return datetime.combine(day, clock(rng.choice(START_TIMES[kind])), tzinfo=HELSINKI)

    def _end(self, kind, start):
        minutes = self.rng.choice(DURATIONS_IN_MINUTES[kind])
        return start + timedelta(minutes=minutes)

    def _meeting_description(self, kind, status):
        description = self.rng.choice(self.words.meeting_descriptions[kind])
        if status == Status.CANCELLED:
            return f"{self.words.cancelled_note}\n\n{description}"
        if status == Status.POSTPONED:
            return f"{self.words.postponed_note}\n\n{description}"
        return description

    def _agenda(self, start):
        moment = start
        lines = []
        for items in self.words.agenda_items:
            lines.append(f"{moment.hour}.{moment.minute:02d} {self.rng.choice(items)}")
            moment += timedelta(minutes=self.rng.choice((20, 30, 45)))
        return "\n".join(lines)

    def _organiser(self, town):
        rng = self.rng
        draw = rng.random()
        if draw < 0.4 and town.county:
            return self.organisations.get(town.county, Kind.WELLBEING_COUNTY)
        if draw < 0.7:
            return self.organisations.get(town.municipality_name, Kind.MUNICIPALITY, town.code)
        return self.organisations.get(
            f"{town.region_genitive} Järjestöverkosto ry", Kind.ASSOCIATION, town.region_code
        )

    def _set_place(self, meeting, kind, town, region_places):
        rng = self.rng
        if meeting.status == Status.DRAFT and rng.random() < 0.4:
            return  # a draft may not know its venue yet
        online = kind == Meeting.Kind.INFO_SESSION and rng.random() < 0.6
        draw = rng.random()
        if not online or draw < 0.2:
            if region_places and draw < 0.5:
                meeting.venue = rng.choice(region_places)
            else:
                meeting.venue_address = self._address(town)
        if online or rng.random() < 0.15:
            meeting.online_url = f"{WEBSITE}/verkkotapaaminen/{meeting.slug}"

    def _address(self, town):
        rng = self.rng
        if rng.random() < 0.25:
            building = self.words.town_hall[town.municipality_word]
        else:
            building = rng.choice(self.words.venue_buildings)
        streets = self.words.city_streets if town.is_city else self.words.village_streets
        return (
            f"{building}, {rng.choice(streets)} {rng.randint(1, 40)}, "
            f"{town.postal_code} {town.postal_town}"
        )

    def _outcome(self, meeting, kind):
        rng = self.rng
        scale = 3 if kind == Meeting.Kind.NETWORK_DAYS else 1
        counts = {
            name: rng.randint(low, high) * scale for name, (low, high) in PARTICIPANT_RANGES.items()
        }
        outcome = Outcome(
            meeting=meeting,
            themes="\n".join(rng.sample(self.words.outcome_themes, k=rng.randint(2, 4))),
            **counts,
        )
        if rng.random() < 0.85:
            total = sum(counts.values())
            outcome.feedback_respondents = max(1, round(total * rng.uniform(0.4, 0.9)))
            outcome.feedback_average = Decimal(f"{rng.uniform(2.6, 3.95):.2f}")
        return outcome

    def _follow_ups(self, outcome, town):
        rng = self.rng
        region_towns = self.towns_by_region[town.region_code]
        chosen = rng.sample(region_towns, k=min(len(region_towns), rng.randint(0, 3)))
        return [
            FollowUp(
                outcome=outcome,
                municipality=chosen_town.municipality,
                plan=rng.choice(self.words.follow_up_plans),
            )
            for chosen_town in chosen
        ]
