from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content for trying the site out and for the benchmark (``manage.py demo_data``)."""

    name = "kohtaamispaikat.demo"
    label = "demo"
    verbose_name = _("Demo data")
