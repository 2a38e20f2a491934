"""The CSV import page and its sample file (import_views.py)."""

from django.urls import path

from . import import_views as views

urlpatterns: list = [
    path("imports/", views.ImportView.as_view(), name="import"),
    path("imports/sample.csv", views.ImportSampleView.as_view(), name="import-sample"),
]
