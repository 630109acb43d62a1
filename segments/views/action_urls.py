"""Routes of the actions on a segment's members, mounted in the "segments" namespace at /segments/."""

from django.urls import path

from . import actions

urlpatterns = [
    path("<int:pk>/actions/tag/", actions.tag_action, name="tag_action"),
    path("<int:pk>/actions/survey/", actions.survey_action, name="survey_action"),
    path("<int:pk>/announcements/new/", actions.announcement_create, name="announcement_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("announcements/<int:pk>/", actions.announcement_detail, name="announcement"),
    # Public (no login): the link in every announcement.
    path("unsubscribe/<str:token>/", actions.unsubscribe, name="unsubscribe"),
]
