"""Publishing and cancelling meetings: the rules the admin's actions apply, in one place.

A meeting is published only with somewhere to meet (a venue, an address or an online link);
only public meetings (published or postponed) can be cancelled, and a cancelled meeting stays
on the site, marked as cancelled. A draft is not public, so cancelling leaves it alone.
"""

from dataclasses import dataclass

from django.db import transaction

from kohtaamispaikat.core.history import record_baselines
from network.models import Meeting


@dataclass(frozen=True)
class StatusChange:
    """What a status change did: the meetings saved with the new status, and how many of the
    selected meetings its rule left as they were (placeless ones, drafts)."""

    saved: list
    left_alone: int


def publish_meetings(meetings):
    """Publish the ``meetings`` (a queryset) that are not yet published and have a place."""
    candidates = meetings.exclude(status=Meeting.Status.PUBLISHED)
    placeless = candidates.without_place()
    saved = _set_status(candidates.exclude(pk__in=placeless), Meeting.Status.PUBLISHED)
    return StatusChange(saved, placeless.count())


def cancel_meetings(meetings):
    """Cancel the published and postponed ``meetings`` (a queryset); drafts are left alone."""
    saved = _set_status(
        meetings.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.POSTPONED]),
        Meeting.Status.CANCELLED,
    )
    return StatusChange(saved, meetings.filter(status=Meeting.Status.DRAFT).count())


def _set_status(meetings, status):
    """Save each meeting (so published time, updated time and history follow)."""
    with transaction.atomic():
        # Locked until the change commits, so that the baselines recorded are the rows saved
        # over. Through their keys: PostgreSQL locks neither the DISTINCT of a changelist
        # filtered by region nor the outer join to the outcomes.
        meetings = list(
            Meeting.objects.filter(pk__in=meetings.values("pk")).select_for_update().order_by("pk")
        )
        record_baselines(meetings)
        for meeting in meetings:
            meeting.status = status
            meeting.save(update_fields=["status", "updated_at"])
        return meetings
