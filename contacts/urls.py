from django.urls import path

from . import csv_views, views

app_name = "contacts"

urlpatterns = [
    path("client/<int:client_pk>/", views.contact_section, name="section"),
    path("client/<int:client_pk>/new/", views.contact_create, name="create"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    # CSV of clients with their primary contact lives here: it spans both apps.
    path("clients/export.csv", csv_views.client_export, name="client_export"),
    path("clients/import/", csv_views.client_import, name="client_import"),
]
