from django.urls import path
from django.views.generic import RedirectView

from places import embeds, open_data, views

app_name = "places"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("places/", views.PlaceListView.as_view(), name="list"),
    # Before the detail pattern, which would otherwise take "map" for a slug.
    path("places/map/", views.PlaceMapView.as_view(), name="map"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="detail"),
    path("places/<slug:slug>/suggest/", views.SuggestionView.as_view(), name="suggest"),
    path(
        "places/<slug:slug>/suggest/thanks/",
        views.SuggestionThanksView.as_view(),
        name="suggestion_thanks",
    ),
    path("places/<slug:slug>/feedback/", views.FeedbackView.as_view(), name="feedback"),
    path(
        "places/<slug:slug>/feedback/thanks/",
        views.FeedbackThanksView.as_view(),
        name="feedback_thanks",
    ),
    path("places/<slug:slug>/poster/", views.PosterView.as_view(), name="poster"),
    path("places/<slug:slug>/print/", views.PlacePosterView.as_view(), name="print_poster"),
    # Embeds for other sites (places.embeds): the only pages they may frame.
    path(
        "embed/municipality/<slug:slug>/",
        embeds.EmbedMunicipalityView.as_view(),
        name="embed_municipality",
    ),
    path("embed/places/", embeds.EmbedPlaceListView.as_view(), name="embed_places"),
    path("embed/places/map/", embeds.EmbedPlaceMapView.as_view(), name="embed_map"),
    path(
        "places/<slug:slug>/entrance.jpg",
        views.EntrancePhotoView.as_view(),
        name="entrance_photo",
    ),
    path("join/", views.JoinView.as_view(), name="join"),
    path("join/thanks/", views.JoinThanksView.as_view(), name="join_thanks"),
    path("counter/", views.VisitCounterView.as_view(), name="counter"),
    path("places.geojson", open_data.PlaceGeoJSONView.as_view(), name="geojson"),
    path("places.csv", open_data.PlaceCSVView.as_view(), name="csv"),
    path(
        "places-exceptions.csv",
        open_data.PlaceExceptionsCSVView.as_view(),
        name="exceptions_csv",
    ),
    path("municipalities/", views.MunicipalityListView.as_view(), name="municipalities"),
    path(
        "municipalities/<slug:slug>/",
        views.MunicipalityDetailView.as_view(),
        name="municipality",
    ),
    path("subregions/<slug:slug>/", views.SubRegionDetailView.as_view(), name="subregion"),
    path("counties/<slug:slug>/", views.WellbeingCountyDetailView.as_view(), name="county"),
    path("open-data/", open_data.OpenDataView.as_view(), name="open_data"),
    # The HSDS 3.0 API (paths as in the spec's openapi.json, without trailing slashes); the
    # earlier one-file export moved to the services list.
    path(
        "open-data/hsds.json",
        RedirectView.as_view(
            pattern_name="places:hsds_services", query_string=True, permanent=True
        ),
        name="hsds",
    ),
    path("open-data/hsds/", open_data.HSDSRootView.as_view(), name="hsds_root"),
    path("open-data/hsds/services", open_data.HSDSServiceListView.as_view(), name="hsds_services"),
    path(
        "open-data/hsds/services/<uuid:pk>",
        open_data.HSDSServiceView.as_view(),
        name="hsds_service",
    ),
    path(
        "open-data/hsds/organizations",
        open_data.HSDSOrganizationListView.as_view(),
        name="hsds_organizations",
    ),
    path(
        "open-data/hsds/organizations/<uuid:pk>",
        open_data.HSDSOrganizationView.as_view(),
        name="hsds_organization",
    ),
    path(
        "open-data/hsds/service_at_locations",
        open_data.HSDSServiceAtLocationListView.as_view(),
        name="hsds_service_at_locations",
    ),
    path(
        "open-data/hsds/service_at_locations/<uuid:pk>",
        open_data.HSDSServiceAtLocationView.as_view(),
        name="hsds_service_at_location",
    ),
]
