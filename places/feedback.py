"""Visitors' voice (#17): anonymous feedback on a place, and how it may be shown.

The three questions follow the network's spearheads: participation, safety and happiness, on
a scale of four faces. Answers are shown only as averages, and nowhere for fewer than
``MIN_ANSWERS`` answers, so that no single visitor's answer can be read from a figure.

A feedback row holds no personal data: no account, no address, no time of day (only the
month), and the text is the visitor's own. Saving it sends no signal (``record``), so a
visitor's answer does not empty the public pages' cache; the reports that show the figures are
never cached.
"""

from dataclasses import dataclass

import segno
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone

from kohtaamispaikat.core.text import normalise_text

MIN_ANSWERS = 5
QUESTIONS = ("participation", "safety", "happiness")


@dataclass(frozen=True)
class FeedbackSummary:
    """Averages of a set of answers, or only their number while there are too few."""

    answers: int
    participation: float | None = None
    safety: float | None = None
    happiness: float | None = None
    come_again_share: float | None = None  # percentage of "yes" among those who answered

    @property
    def is_shown(self):
        return self.answers >= MIN_ANSWERS

    @classmethod
    def from_row(cls, row):
        """From the sums of ``summary_aggregates`` (of one group, or groups added up)."""
        answers = row.get("answers") or 0
        if answers < MIN_ANSWERS:
            return cls(answers=answers)
        replied = row.get("come_again_replied") or 0
        return cls(
            answers=answers,
            **{name: row[f"{name}_sum"] / answers for name in QUESTIONS},
            come_again_share=100 * row["come_again_yes"] / replied if replied else None,
        )

    def averages(self):
        """(question, average) of the three questions, for tables and charts."""
        return [(name, getattr(self, name)) for name in QUESTIONS]


SUM_KEYS = (
    "answers",
    *(f"{name}_sum" for name in QUESTIONS),
    "come_again_yes",
    "come_again_replied",
)


def summary_aggregates():
    """Sums rather than averages, so that groups (municipalities) add up to a region's."""
    return {
        "answers": Count("pk"),
        **{f"{name}_sum": Sum(name) for name in QUESTIONS},
        "come_again_yes": Count("pk", filter=Q(come_again=True)),
        "come_again_replied": Count("pk", filter=Q(come_again__isnull=False)),
    }


class FeedbackQuerySet(models.QuerySet):
    def summary(self):
        """The summary of these answers, in one query."""
        return FeedbackSummary.from_row(self.order_by().aggregate(**summary_aggregates()))

    def sums_by(self, field):
        """``{value of field: {sum key: number}}`` in one query, e.g. per municipality; add
        groups up with ``add_sums`` and read them with ``FeedbackSummary.from_row``."""
        rows = self.order_by().values(key=models.F(field)).annotate(**summary_aggregates())
        return {row["key"]: {key: row[key] or 0 for key in SUM_KEYS} for row in rows}

    def with_comments(self):
        return self.exclude(comment="")

    def record(self, feedback):
        """Store ``feedback`` without sending signals (see the module's docstring)."""
        today = timezone.localdate()
        feedback.year, feedback.month = today.year, today.month
        feedback.comment = normalise_text(feedback.comment)
        return self.bulk_create([feedback])[0]


def add_sums(groups):
    """The sums of several groups of ``FeedbackQuerySet.sums_by`` together."""
    total = dict.fromkeys(SUM_KEYS, 0)
    for group in groups:
        for key in SUM_KEYS:
            total[key] += group[key]
    return total


def feedback_qr(url):
    """The QR code printed on a place's posters (of its feedback page, or of its own page)."""
    return segno.make(url, error="m", micro=False)
