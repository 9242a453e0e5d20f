from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The admin runs as SimpleAdminConfig because autodiscovery would import leaflet.admin, which
# needs GDAL (this project stores plain latitude/longitude). These are the admin modules to load.
ADMIN_MODULES = [
    "django.contrib.auth.admin",
    "kohtaamispaikat.admin",  # after Django's: registers its user and group admins again
    "places.admin",
    "network.admin",
]


class KohtaamispaikatConfig(AppConfig):
    name = "kohtaamispaikat"
    verbose_name = _("Kohtaamispaikat")

    def ready(self):
        from kohtaamispaikat.cache import connect_invalidation

        connect_invalidation(self.apps)
        for module in ADMIN_MODULES:
            import_module(module)
