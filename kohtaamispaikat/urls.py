from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kohtaamispaikat.views import healthz

handler500 = "kohtaamispaikat.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("places.urls")),
    path("network/", include("network.urls")),
    prefix_default_language=False,
)
