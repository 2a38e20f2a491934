"""In-app management of response templates and phrase rules (guide_views.py)."""

from django.urls import path

from . import guide_views as views

urlpatterns: list = [
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", views.TemplateCreateView.as_view(), name="template-new"),
    path("templates/<int:pk>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path("templates/<int:pk>/edit/", views.TemplateUpdateView.as_view(), name="template-edit"),
    path("templates/<int:pk>/active/", views.TemplateActiveView.as_view(), name="template-active"),
    path("templates/<int:pk>/delete/", views.TemplateDeleteView.as_view(), name="template-delete"),
    path("phrase-rules/", views.PhraseRuleListView.as_view(), name="phrase-rule-list"),
    path("phrase-rules/new/", views.PhraseRuleCreateView.as_view(), name="phrase-rule-new"),
    path(
        "phrase-rules/<int:pk>/",
        views.PhraseRuleDetailView.as_view(),
        name="phrase-rule-detail",
    ),
    path(
        "phrase-rules/<int:pk>/edit/",
        views.PhraseRuleUpdateView.as_view(),
        name="phrase-rule-edit",
    ),
    path(
        "phrase-rules/<int:pk>/active/",
        views.PhraseRuleActiveView.as_view(),
        name="phrase-rule-active",
    ),
]
