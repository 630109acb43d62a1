"""Version 1 of the REST API: each app contributes its routes from its api_urls module."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("clients.api_urls")),
    path("", include("contacts.api_urls")),
]
