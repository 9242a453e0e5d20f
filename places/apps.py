from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Meeting places")
    # Read by the core (kohtaamispaikat.core.apps): the page cache's data version and the backup.
    reference_models = ("Region", "Municipality")
    content_models = (
        "Audience",
        "Organization",
        "Place",
        "WeeklyHours",
        "HoursException",
        "VisitCount",
        "AudienceVisitCount",
        "Feedback",
        "Activity",
        "ActivityCancellation",
    )
    backup_matched_by = {"Audience": "slug"}
    # The page cache keeps the map's file of every place per data version and day (today's
    # hours), not per minute (kohtaamispaikat/core/cache.py).
    daily_pages = ("places:geojson",)
    # Read by the core's personal data tools (kohtaamispaikat/core/personal_data.py, PRIVACY.md):
    # a place's contact person, the address a resident left with a suggestion, and the contact
    # person of a place proposal (/join/); suggestions expire a retention period after they
    # were received (unanswered) or handled, rejected proposals after they were rejected.
    personal_data = {
        "Place": {"match": "email", "fields": ["contact_name", "phone", "email"]},
        "Suggestion": {"match": "email", "fields": ["email"]},
        "PlaceProposal": {"match": "contact_email", "fields": ["contact_name", "contact_email"]},
        "Activity": {
            "match": "contact_email",
            "fields": ["contact_name", "contact_phone", "contact_email"],
        },
    }
    retention = {
        "Suggestion": [({"status": "new"}, "created_at"), ({}, "handled_at")],
        "PlaceProposal": [({"status": "rejected"}, "handled_at")],
        # Not about a person, but a resident may type a name into the search box.
        "SearchMiss": [({}, "day")],
    }

    def ready(self):
        from django.db.backends.signals import connection_created

        from places.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="places_casefold")
