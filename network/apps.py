from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")
    # Read by the core (kohtaamispaikat.core.apps): the page cache's data version and the backup.
    content_models = ("Coordinator", "Meeting", "Outcome", "FollowUp", "Listing")
