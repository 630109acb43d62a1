from django.urls import path

from . import csv_views, privacy_views, views

app_name = "contacts"

urlpatterns = [
    path("client/<int:client_pk>/", views.contact_section, name="section"),
    path("client/<int:client_pk>/new/", views.contact_create, name="create"),
    path("<int:pk>/edit/", views.contact_edit, name="edit"),
    path("<int:pk>/delete/", views.contact_delete, name="delete"),
    # Administrators: what the CRM holds about the person, its JSON export and erasure (contacts.privacy).
    path("<int:pk>/privacy/", privacy_views.contact_privacy, name="privacy"),
    path("<int:pk>/privacy/export.json", privacy_views.contact_privacy_export, name="privacy_export"),
    path("<int:pk>/privacy/erase/", privacy_views.contact_erase, name="erase"),
    # CSV of clients with their primary contact lives here: it spans both apps.
    path("clients/export.csv", csv_views.client_export, name="client_export"),
    path("clients/import/", csv_views.client_import, name="client_import"),
]
