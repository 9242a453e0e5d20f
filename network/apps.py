from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")
    # Read by the core (kohtaamispaikat.core.apps): the page cache's data version and the backup.
    content_models = (
        "Coordinator",
        "Meeting",
        "GoodPractice",
        "PracticeAttachment",
        "Outcome",
        "FollowUp",
        "Listing",
        "Survey",
        "SurveyQuestion",
        "SurveyResponse",
        "SurveyAnswer",
    )
    # Read by the core's personal data tools (kohtaamispaikat/core/personal_data.py, PRIVACY.md):
    # coordinators and the contact persons of listings; rejected listings expire a retention
    # period after their last change, the others a retention period after their validity.
    personal_data = {
        "Coordinator": {"match": "email", "fields": ["name", "email", "phone"]},
        "Listing": {"match": "contact_email", "fields": ["contact_name", "contact_email"]},
        "GoodPractice": {
            "match": "contact_email",
            "fields": ["contact_name", "contact_email", "contact_phone"],
        },
    }
    retention = {"Listing": [({"status": "rejected"}, "updated_at"), ({}, "valid_until")]}
    # The page cache keeps the meetings calendar per data version and day (a year of history
    # counts back from today), not per minute (kohtaamispaikat/core/cache.py).
    daily_pages = ("network:ics",)
