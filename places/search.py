"""Text search of meeting places: the ``q`` of the place filter, on every page and endpoint.

On PostgreSQL a word matches a place when
- the full-text index finds it as a prefix, stemmed in Finnish and in the page's language
  (Swedish and English pages search their own fields with their own stemmers): "perhe" finds
  "perhekahvila", "kirjasto" finds "kirjastossa";
- its stem is part of a name, a description, the municipality's or an audience's name (the tail
  of a compound: "kahvila" finds "nuorisokahvila"; "perheille" finds "lapsiperheet"), through
  trigram indexes (migration 0024_search_trigram_indexes);
- and, only when that finds fewer than ``FEW_RESULTS`` places, when a name is similar enough to
  it (one typo: "kohtamispaikka" finds "kohtaamispaikka").
With Voikko installed (places.voikko) a word's base forms and compound parts are tried too.
Names weigh more than descriptions in the order. SQLite, for development, keeps a plain
substring search, folded case-insensitively for ä and ö as well (SQLite's own LIKE folds ASCII
only).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Upper

from places import voikko
from places.models import Audience, Place

WORD = re.compile(r"[^\W_]+")
# A query of a dozen words is a pasted text, not a search; words this long are not Finnish.
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# Trigram indexes answer substrings of three letters or more; shorter stems only as prefixes.
MIN_SUBSTRING = 3
# Typo tolerance only for words long enough that a typo leaves most trigrams intact.
MIN_FUZZY_LENGTH = 4
FEW_RESULTS = 3
CONFIGS = {"fi": "finnish", "sv": "swedish", "en": "english"}
STEMMERS = {"fi": "finnish_stem", "sv": "swedish_stem", "en": "english_stem"}
# The expressions of the GIN indexes of migrations 0004 and 0024: the planner uses an index
# only for exactly its expression.
FINNISH_FIELDS = ("name", "description", "street_address", "postal_town")
LANGUAGE_FIELDS = {"sv": ("name_sv", "description_sv"), "en": ("name_en", "description_en")}
SUBSTRING_FIELDS = {
    "fi": ("name", "description"),
    "sv": ("name", "description", "name_sv", "description_sv"),
    "en": ("name", "description", "name_en", "description_en"),
}
MUNICIPALITY_NAMES = ("municipality__name_fi", "municipality__name_sv")
AUDIENCE_NAMES = ("name_fi", "name_sv", "name_en")


def normalise(text):
    """The query as compared and counted: NFC, control and format characters removed, case
    folded, runs of whitespace as one space."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char for char in text
    )
    return " ".join(text.casefold().split())


def query_words(text):
    return [word[:MAX_WORD_LENGTH] for word in WORD.findall(normalise(text))][:MAX_WORDS]


@dataclass
class Term:
    """One word of the query and the strings that may stand for it in a place's text."""

    word: str
    # Any of these as a substring: the word, its stems, its base forms.
    variants: set = field(default_factory=set)
    # Or all of these: a compound's parts ("perhekahvila": perhe, kahvila).
    parts: tuple = ()


class Casefold(Func):
    """SQLite only: Python's str.casefold, registered on each connection (places.apps)."""

    function = "kp_casefold"
    output_field = Place._meta.get_field("name")


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            Casefold.function,
            1,
            lambda value: None if value is None else value.casefold(),
            deterministic=True,
        )


class PlaceSearch:
    """The search for one query in one language, applied to a queryset of places."""

    def __init__(self, text, language="fi"):
        self.text = normalise(text)
        self.language = language if language in CONFIGS else "fi"
        self.words = query_words(text)
        self.fuzzy = False

    def apply(self, queryset):
        if not self.words:
            return queryset.none()
        if connections[queryset.db].vendor != "postgresql":
            return self._substring_search(queryset)
        terms = self._terms(queryset.db)
        strict = self._all_terms(terms, fuzzy=False)
        if queryset.filter(strict)[:FEW_RESULTS].count() < FEW_RESULTS:
            self.fuzzy = any(len(term.word) >= MIN_FUZZY_LENGTH for term in terms)
        condition = self._all_terms(terms, fuzzy=True) if self.fuzzy else strict
        return (
            queryset.filter(condition)
            .annotate(search_rank=self._rank(terms))
            .order_by("-search_rank", "name", "pk")
        )

    # PostgreSQL ---------------------------------------------------------------------------
    def _terms(self, using):
        stemmers = {STEMMERS["fi"], STEMMERS[self.language]}
        stems = {word: set() for word in self.words}
        with connections[using].cursor() as cursor:
            # One query for every word and stemmer: PostgreSQL's own stems, the same as the
            # full-text index holds. A stop word has none.
            cursor.execute(
                "SELECT w, d, ts_lexize(d::regdictionary, w) FROM unnest(%s::text[]) AS w, "
                "unnest(%s::text[]) AS d",
                [self.words, sorted(stemmers)],
            )
            for word, _dictionary, lexemes in cursor.fetchall():
                stems[word].update(lexemes or [])
        terms = []
        for word in self.words:
            term = Term(word, variants={word, *stems[word]})
            for analysis in voikko.analyse(word):
                term.variants.add(analysis.baseform)
                if len(analysis.parts) > 1:
                    term.parts = analysis.parts
            terms.append(term)
        return terms

    def _all_terms(self, terms, fuzzy):
        condition = Q()
        for term in terms:
            condition &= self._term_condition(term, fuzzy)
        return condition

    def _term_condition(self, term, fuzzy):
        condition = self._full_text(term.word)
        for variant in term.variants:
            condition |= self._substring(variant)
        if term.parts:
            parts = Q()
            for part in term.parts:
                parts &= self._substring(part) | self._full_text(part)
            condition |= parts
        if fuzzy and len(term.word) >= MIN_FUZZY_LENGTH:
            condition |= self._similar(term.word)
        return condition

    def _full_text(self, word):
        condition = Q(
            Exact(
                SearchVector(*FINNISH_FIELDS, config=CONFIGS["fi"]),
                prefix_query(word, CONFIGS["fi"]),
            )
        )
        if self.language in LANGUAGE_FIELDS:
            config = CONFIGS[self.language]
            condition |= Q(
                Exact(
                    SearchVector(*LANGUAGE_FIELDS[self.language], config=config),
                    prefix_query(word, config),
                )
            )
        return condition

    def _substring(self, text):
        if len(text) < MIN_SUBSTRING:
            return Q(pk__in=[])
        condition = Q()
        for name in (*SUBSTRING_FIELDS[self.language], *MUNICIPALITY_NAMES):
            condition |= Q(**{f"{name}__icontains": text})
        audience = Q()
        for name in AUDIENCE_NAMES:
            audience |= Q(**{f"audience__{name}__icontains": text})
        for_audience = Place.audiences.through.objects.filter(audience, place_id=OuterRef("pk"))
        return condition | Q(Exists(for_audience))

    def _similar(self, word):
        condition = Q(TrigramWordSimilarTo(Upper("name"), word))
        if self.language in LANGUAGE_FIELDS:
            name = LANGUAGE_FIELDS[self.language][0]
            condition |= Q(TrigramWordSimilarTo(Upper(name), word))
        for name in MUNICIPALITY_NAMES:
            condition |= Q(TrigramWordSimilarTo(F(name), word))
        audiences = Audience.objects.filter(
            Q(TrigramWordSimilarTo(F("name_fi"), word))
            | Q(TrigramWordSimilarTo(F("name_sv"), word))
            | Q(TrigramWordSimilarTo(F("name_en"), word))
        )
        for_audience = Place.audiences.through.objects.filter(
            place_id=OuterRef("pk"), audience__in=audiences
        )
        return condition | Q(Exists(for_audience))

    def _rank(self, terms):
        """Full-text rank with names (A) above descriptions (C) and addresses (D), plus one
        for a word in the name itself, plus how close a typo came to a name."""
        config = CONFIGS[self.language]
        vector = (
            SearchVector("name", weight="A", config=CONFIGS["fi"])
            + SearchVector("description", weight="C", config=CONFIGS["fi"])
            + SearchVector("street_address", "postal_town", weight="D", config=CONFIGS["fi"])
        )
        if self.language in LANGUAGE_FIELDS:
            name, description = LANGUAGE_FIELDS[self.language]
            vector += SearchVector(name, weight="A", config=config) + SearchVector(
                description, weight="C", config=config
            )
        query = SearchQuery(
            " | ".join(f"{term.word}:*" for term in terms), config=config, search_type="raw"
        ) | SearchQuery(
            " | ".join(f"{term.word}:*" for term in terms),
            config=CONFIGS["fi"],
            search_type="raw",
        )
        in_name = Q()
        for term in terms:
            for variant in term.variants:
                if len(variant) >= MIN_SUBSTRING:
                    in_name |= Q(name__icontains=variant)
        rank = SearchRank(vector, query)
        if in_name:
            rank += Case(
                When(in_name, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
            )
        if self.fuzzy:
            rank += WordSimilarity(Value(self.text), F("name"))
        return rank

    # SQLite -------------------------------------------------------------------------------
    def _substring_search(self, queryset):
        """Every word somewhere in the name, description, address or municipality's name."""
        names = ("name", "description", "street_address", "postal_town", *MUNICIPALITY_NAMES)
        queryset = queryset.alias(
            **{f"folded_{index}": Casefold(name) for index, name in enumerate(names)}
        )
        for word in self.words:
            condition = Q()
            for index in range(len(names)):
                condition |= Q(**{f"folded_{index}__contains": word})
            queryset = queryset.filter(condition)
        return queryset


def prefix_query(word, config):
    # Only letters and digits reach the query syntax (query_words).
    return SearchQuery(f"{word}:*", config=config, search_type="raw")


class Exact(Func):
    """``vector @@ query`` as a condition (a filter on an expression needs a boolean)."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class TrigramWordSimilarTo(Func):
    """``expression %> word``: word_similarity of the word to the expression reaches
    pg_trgm.word_similarity_threshold (0.6). The trigram index on UPPER(name) serves it."""

    arg_joiner = " %%> "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, expression, word):
        super().__init__(expression, Value(word))


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()
