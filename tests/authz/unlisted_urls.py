"""The site's URL conf plus one page nobody put in the matrix: the completeness test must name it."""

from django.urls import include, path

from core.views import healthz

urlpatterns = [
    path("", include("crm.urls")),
    path("brand-new/", healthz, name="brand-new"),
]
