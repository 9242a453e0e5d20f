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
from django.db.models import Avg, Count, Q
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
        answers = row.get("answers") or 0
        if answers < MIN_ANSWERS:
            return cls(answers=answers)
        replied = row.get("come_again_replied") or 0
        return cls(
            answers=answers,
            participation=row["participation_avg"],
            safety=row["safety_avg"],
            happiness=row["happiness_avg"],
            come_again_share=100 * row["come_again_yes"] / replied if replied else None,
        )

    def averages(self):
        """(question, average) of the three questions, for tables and charts."""
        return [(name, getattr(self, name)) for name in QUESTIONS]


def summary_aggregates():
    return {
        "answers": Count("pk"),
        **{f"{name}_avg": Avg(name) for name in QUESTIONS},
        "come_again_yes": Count("pk", filter=Q(come_again=True)),
        "come_again_replied": Count("pk", filter=Q(come_again__isnull=False)),
    }


class FeedbackQuerySet(models.QuerySet):
    def summary(self):
        """The summary of these answers, in one query."""
        return FeedbackSummary.from_row(self.order_by().aggregate(**summary_aggregates()))

    def summaries_by(self, field):
        """``{value of field: FeedbackSummary}`` in one query, e.g. per municipality."""
        rows = self.order_by().values(key=models.F(field)).annotate(**summary_aggregates())
        return {row["key"]: FeedbackSummary.from_row(row) for row in rows}

    def with_comments(self):
        return self.exclude(comment="")

    def record(self, feedback):
        """Store ``feedback`` without sending signals (see the module's docstring)."""
        today = timezone.localdate()
        feedback.year, feedback.month = today.year, today.month
        feedback.comment = normalise_text(feedback.comment)
        return self.bulk_create([feedback])[0]


def feedback_qr(url):
    """The QR code of a place's feedback page, as printed on its poster."""
    return segno.make(url, error="m", micro=False)
