from django.urls import path

from . import privacy_views

urlpatterns = [
    path("access-log/", privacy_views.AccessLogListView.as_view(), name="access-log"),
    path(
        "access-log/export.csv",
        privacy_views.AccessLogExportView.as_view(),
        name="access-log-export",
    ),
    path(
        "customers/reveal-phone/",
        privacy_views.CustomerRevealPhoneView.as_view(),
        name="customer-reveal-phone",
    ),
    path(
        "customers/<int:pk>/export/",
        privacy_views.CustomerExportDataView.as_view(),
        name="customer-export-data",
    ),
    path(
        "customers/<int:pk>/erase/",
        privacy_views.CustomerEraseView.as_view(),
        name="customer-erase",
    ),
]
