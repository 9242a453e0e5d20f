from django.urls import path

from places import open_data, views

app_name = "places"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("places/", views.PlaceListView.as_view(), name="list"),
    # Before the detail pattern, which would otherwise take "map" for a slug.
    path("places/map/", views.PlaceMapView.as_view(), name="map"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="detail"),
    path("counter/", views.VisitCounterView.as_view(), name="counter"),
    path("places.geojson", open_data.PlaceGeoJSONView.as_view(), name="geojson"),
    path("places.csv", open_data.PlaceCSVView.as_view(), name="csv"),
    path("municipalities/", views.MunicipalityListView.as_view(), name="municipalities"),
    path(
        "municipalities/<slug:slug>/",
        views.MunicipalityDetailView.as_view(),
        name="municipality",
    ),
    path("open-data/", open_data.OpenDataView.as_view(), name="open_data"),
    path("open-data/hsds.json", open_data.HSDSView.as_view(), name="hsds"),
]
