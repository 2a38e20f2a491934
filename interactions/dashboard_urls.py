"""The team-lead dashboard and where login lands (dashboard_views.py)."""

from django.urls import path

from . import dashboard_views as views

urlpatterns: list = [
    path("start/", views.StartView.as_view(), name="start"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "dashboard/export/<slug:panel>.csv",
        views.DashboardExportView.as_view(),
        {"fmt": "csv"},
        name="dashboard-export-csv",
    ),
    path(
        "dashboard/export/<slug:panel>.xlsx",
        views.DashboardExportView.as_view(),
        {"fmt": "xlsx"},
        name="dashboard-export-xlsx",
    ),
]
