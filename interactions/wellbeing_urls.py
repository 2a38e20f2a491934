"""Looking after agents: break nudges, daily reflection, praise (wellbeing_views.py)."""

from django.urls import path

from . import wellbeing_views as views

urlpatterns: list = [
    path("reflection/", views.ReflectionView.as_view(), name="reflection"),
    path("me/", views.MyPageView.as_view(), name="me"),
    path("break/", views.BreakView.as_view(), name="break"),
    path("break/nudges/<int:pk>/answer/", views.NudgeAnswerView.as_view(), name="nudge-answer"),
    path("interactions/<int:pk>/praise/", views.PraiseView.as_view(), name="praise"),
    path("team/care/", views.TeamCareView.as_view(), name="team-care"),
]
