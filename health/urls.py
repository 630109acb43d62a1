from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("clients/<int:pk>/", views.client_health, name="client"),
    path("settings/", views.health_settings, name="settings"),
]
