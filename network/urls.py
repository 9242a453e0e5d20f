from django.urls import path

from network import feeds, views

app_name = "network"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings.ics", feeds.meetings_ics, name="ics"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting"),
    path(
        "meetings/<slug:slug>/preview/",
        views.MeetingPreviewView.as_view(),
        name="meeting_preview",
    ),
    path("feed/", feeds.MeetingFeed(), name="feed"),
    path("coordinators/", views.CoordinatorListView.as_view(), name="coordinators"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage.csv", views.CoverageCsvView.as_view(), name="coverage_csv"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("reports/", views.ReportView.as_view(), name="reports"),
    path("reports.xlsx", views.ReportDownloadView.as_view(format="xlsx"), name="reports_xlsx"),
    path(
        "reports/<slug:key>.csv",
        views.ReportDownloadView.as_view(format="csv"),
        name="report_csv",
    ),
    path(
        "reports/<slug:key>.xlsx",
        views.ReportDownloadView.as_view(format="xlsx"),
        name="report_xlsx",
    ),
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/feed/", feeds.ListingFeed(), name="board_feed"),
    path("board/new/", views.ListingSubmitView.as_view(), name="listing_submit"),
    path("board/new/thanks/", views.ListingThanksView.as_view(), name="listing_thanks"),
    path("board/<slug:slug>/", views.ListingDetailView.as_view(), name="listing"),
    path("practices/", views.PracticeListView.as_view(), name="practices"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice"),
    path(
        "practices/<slug:slug>/attachments/<int:pk>/",
        views.PracticeAttachmentView.as_view(),
        name="practice_attachment",
    ),
]
