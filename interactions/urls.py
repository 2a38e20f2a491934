from django.urls import path

from . import dashboard_urls, guide_urls, import_urls, privacy_urls, views, wellbeing_urls

app_name = "interactions"
urlpatterns = [
    path("", views.InteractionLogView.as_view(), name="home"),
    path("interactions/", views.InteractionListView.as_view(), name="list"),
    path("interactions/new/", views.InteractionLogView.as_view(), name="new"),
    path("interactions/export.csv", views.InteractionExportView.as_view(), name="export"),
    path(
        "interactions/export.xlsx",
        views.InteractionExportView.as_view(),
        {"fmt": "xlsx"},
        name="export-xlsx",
    ),
    path("interactions/<int:pk>/", views.InteractionDetailView.as_view(), name="detail"),
    path("interactions/<int:pk>/edit/", views.InteractionUpdateView.as_view(), name="edit"),
    path("interactions/<int:pk>/review/", views.SkillReviewView.as_view(), name="skill-review"),
    path("customers/", views.CustomerListView.as_view(), name="customer-list"),
    path("customers/new/", views.CustomerCreateView.as_view(), name="customer-new"),
    path("customers/search/", views.CustomerSearchView.as_view(), name="customer-search"),
    path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="customer-detail"),
    path(
        "customers/<int:pk>/archetype/",
        views.CustomerArchetypeView.as_view(),
        name="customer-archetype",
    ),
    path("customers/<int:pk>/edit/", views.CustomerUpdateView.as_view(), name="customer-edit"),
    path("phrase-check/", views.PhraseCheckView.as_view(), name="phrase-check"),
    path("suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path("agents/search/", views.AgentSearchView.as_view(), name="agent-search"),
]
urlpatterns += guide_urls.urlpatterns
urlpatterns += wellbeing_urls.urlpatterns
urlpatterns += dashboard_urls.urlpatterns
urlpatterns += import_urls.urlpatterns
urlpatterns += privacy_urls.urlpatterns
