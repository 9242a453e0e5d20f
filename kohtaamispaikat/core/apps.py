from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared core: the data version, history, locking, the page cache and backups.

    The label stays ``kohtaamispaikat`` so that its table and migrations keep their names.

    What the core needs of the apps it reads from their configs, never by name:
    - ``content_models``: model names (of that app) that people edit, parents before children;
      the page cache's data version follows them and the backup holds them, in the order of
      ``INSTALLED_APPS`` and then of the tuple;
    - ``reference_models``: rows that migrations load and public pages show (the data version
      follows them, the backup does not hold them);
    - ``backup_matched_by``: ``{model name: field}`` for content that migrations also load, which
      an import updates by that natural field instead of counting it as content;
    - ``daily_pages``: URL names of data files whose plain address changes with the data and
      the date only, which the page cache keeps per data version and day, not per minute.
    """

    name = "kohtaamispaikat.core"
    label = "kohtaamispaikat"
    verbose_name = _("Kohtaamispaikat")

    def ready(self):
        from django.contrib.auth import get_user_model

        from kohtaamispaikat.core.cache import connect_invalidation
        from kohtaamispaikat.core.text import connect_normalisation

        connect_invalidation()
        connect_normalisation(
            [get_user_model(), *(m for config in content_apps() for m in config.get_models())]
        )
        # The admin runs as SimpleAdminConfig because autodiscovery would import leaflet.admin,
        # which needs GDAL (this project stores plain latitude/longitude). Django's user and
        # group admins load first, so that the core's admin can register them again; then the
        # admin modules of the apps that declare content.
        import_module("django.contrib.auth.admin")
        import_module("kohtaamispaikat.core.admin")
        for app_config in self.apps.get_app_configs():
            if hasattr(app_config, "content_models") and module_has_submodule(
                app_config.module, "admin"
            ):
                import_module(f"{app_config.name}.admin")


def content_apps():
    """The installed apps that declare content, in the order of INSTALLED_APPS."""
    from django.apps import apps

    return [config for config in apps.get_app_configs() if hasattr(config, "content_models")]


def editable_models():
    """What people edit, parents before children (the backup's order)."""
    return [config.get_model(name) for config in content_apps() for name in config.content_models]


def public_content_models():
    """Everything public pages show: the reference data from migrations and the editable
    content. A change to any of them changes the data version."""
    reference = [
        config.get_model(name)
        for config in content_apps()
        for name in getattr(config, "reference_models", ())
    ]
    return [*reference, *editable_models()]


def daily_page_names():
    """The URL names the page cache keeps per data version and day (see core.cache)."""
    return [name for config in content_apps() for name in getattr(config, "daily_pages", ())]


def backup_matched_models():
    """{model: natural field} for content rows that migrations also load."""
    return {
        config.get_model(name): field
        for config in content_apps()
        for name, field in getattr(config, "backup_matched_by", {}).items()
    }
