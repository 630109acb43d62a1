"""Routes of the segment definitions (list, page, rule builder, preview, delete), in the "segments" namespace."""

from django.urls import path

from . import pages

urlpatterns = [
    path("", pages.segment_list, name="list"),
    path("new/", pages.segment_create, name="create"),
    path("preview/", pages.segment_preview, name="preview"),
    path("<int:pk>/", pages.segment_detail, name="detail"),
    path("<int:pk>/edit/", pages.segment_edit, name="edit"),
    path("<int:pk>/delete/", pages.segment_delete, name="delete"),
]
