"""``/api/``: version 1 under ``/api/v1/``, the OpenAPI schema and its docs."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

# SimpleRouter: no browsable root view and no ".json" suffix routes; the schema and
# /api/docs/ describe the API.
router = SimpleRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("emotions", views.EmotionViewSet, basename="emotion")
router.register("channels", views.ChannelViewSet, basename="channel")
router.register("templates", views.ResponseTemplateViewSet, basename="template")

v1 = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="token"),
    path("stats/summary/", views.StatsSummaryView.as_view(), name="stats-summary"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]
