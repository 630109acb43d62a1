"""Pages of segments. Two modules own their routes: the definitions (list, rule builder, segment page)
and the actions on a segment's members (bulk actions, announcements)."""

from django.urls import include, path

app_name = "segments"

urlpatterns = [
    path("", include("segments.views.page_urls")),
    path("", include("segments.views.action_urls")),
]
