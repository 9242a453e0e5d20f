"""What the list page offers instead of an empty page (#20): the nearest municipalities where
the same search finds places, the audiences it finds places for, a spelling the directory
knows, the search without the other filters; and the count of searches that found nothing
(places.SearchMiss) for the coordinators.

Runs only for an empty result, in a constant number of queries.
"""

import difflib
import math
from dataclasses import dataclass

from django.db.models import Count

from places.filters import PlaceFilter
from places.models import Place, SearchMiss
from places.search import WORD, normalise, query_words

AREA_FILTERS = ("region", "subregion", "county", "municipality", "near", "postcode")
SHOWN = 3
# difflib's ratio for "one or two letters off" in words of six letters or more.
SPELLING_CUTOFF = 0.8


@dataclass
class Offer:
    label: str
    count: int
    query: str  # the query string the link goes to


class NoResults:
    """Suggestions for one empty result of ``filterset`` (a bound PlaceFilter)."""

    def __init__(self, filterset):
        self.filterset = filterset
        self.data = filterset.data
        filterset.form.is_valid()
        self.cleaned = filterset.form.cleaned_data
        self.text = self.cleaned.get("q") or ""

    def record(self, language):
        """Count the search, if it was one: the words, the day, the one chosen municipality."""
        if not query_words(self.text):
            return
        chosen = self.cleaned.get("municipality") or []
        municipality = chosen[0] if len(chosen) == 1 else None
        SearchMiss.record(" ".join(query_words(self.text)), language, municipality)

    def _link(self, drop=(), **values):
        query = self.data.copy()
        for name in (*drop, "page"):
            query.pop(name, None)
        for name, value in values.items():
            query.setlist(name, [value])
        return query.urlencode()

    def _relaxed(self, names):
        """The published places the same filters find with ``names`` left out."""
        data = self.data.copy()
        for name in (*names, "page"):
            data.pop(name, None)
        return PlaceFilter(data, queryset=Place.objects.published()).qs.order_by()

    def municipalities(self):
        """The nearest municipalities where the other filters find places."""
        if not any(self.data.get(name) for name in AREA_FILTERS):
            return []
        counts = dict(
            self._relaxed(AREA_FILTERS)
            .values("municipality")
            .annotate(found=Count("pk", distinct=True))
            .values_list("municipality", "found")
        )
        every = [m for _region, members in self.filterset.municipality_groups for m in members]
        centre = self._centre(every)
        candidates = [m for m in every if counts.get(m.pk)]
        if centre is not None:
            candidates.sort(key=lambda m: distance(centre, (m.latitude, m.longitude)))
        else:
            candidates.sort(key=lambda m: -counts[m.pk])
        return [
            Offer(m.name, counts[m.pk], self._link(AREA_FILTERS, municipality=m.pk))
            for m in candidates[:SHOWN]
        ]

    def _centre(self, municipalities):
        origin = self.filterset.origin
        if origin is not None:
            return origin.latitude, origin.longitude
        cleaned = self.cleaned
        chosen = [
            m
            for m in municipalities
            if m.pk in (cleaned.get("municipality") or [])
            or m.region_id == cleaned.get("region")
            or (cleaned.get("subregion") and m.subregion_id == cleaned.get("subregion"))
            or (cleaned.get("county") and m.wellbeing_county_id == cleaned.get("county"))
        ]
        if not chosen:
            return None
        return (
            sum(float(m.latitude) for m in chosen) / len(chosen),
            sum(float(m.longitude) for m in chosen) / len(chosen),
        )

    def audiences(self):
        """Other audiences the other filters find places for, most places first."""
        chosen = set(self.cleaned.get("audience") or [])
        if not chosen:
            return []
        counts = dict(
            self._relaxed(["audience"])
            .values("audiences")
            .annotate(found=Count("pk", distinct=True))
            .values_list("audiences", "found")
        )
        offers = [
            Offer(
                audience.name, counts[audience.pk], self._link(["audience"], audience=audience.slug)
            )
            for audience in self.filterset.audiences
            if counts.get(audience.pk) and audience.slug not in chosen
        ]
        return sorted(offers, key=lambda offer: -offer.count)[:SHOWN]

    def spelling(self):
        """The search with each unknown word replaced by the closest word of the directory's
        names, or None when no word is close to one."""
        words = query_words(self.text)
        if not words:
            return None
        vocabulary = self._vocabulary()
        corrected = []
        for word in words:
            close = (
                []
                if word in vocabulary
                else difflib.get_close_matches(word, vocabulary, n=1, cutoff=SPELLING_CUTOFF)
            )
            corrected.append(close[0] if close else word)
        if corrected == words:
            return None
        text = " ".join(corrected)
        return Offer(text, 0, self._link(q=text))

    def _vocabulary(self):
        words = set()
        names = Place.objects.published().values_list("name", "name_sv", "name_en")
        for row in names:
            for name in row:
                words.update(WORD.findall(normalise(name)))
        for _region, members in self.filterset.municipality_groups:
            for m in members:
                words.update(WORD.findall(normalise(f"{m.name_fi} {m.name_sv}")))
        for audience in self.filterset.audiences:
            text = f"{audience.name_fi} {audience.name_sv} {audience.name_en}"
            words.update(WORD.findall(normalise(text)))
        return {word for word in words if len(word) >= 4}

    def without_other_filters(self):
        """The search alone, when other filters were used with it and it finds places."""
        if not query_words(self.text):
            return None
        others = [
            name for name in self.filterset.form.fields if name != "q" and self.data.get(name)
        ]
        if not others:
            return None
        found = PlaceFilter({"q": self.text}, queryset=Place.objects.published()).qs.count()
        return Offer(self.text, found, self._link(others)) if found else None


def distance(one, other):
    """Equirectangular distance in degrees of latitude: enough to put neighbours in order."""
    north = float(one[0]) - float(other[0])
    east = (float(one[1]) - float(other[1])) * math.cos(math.radians(float(one[0])))
    return math.hypot(north, east)
