from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("complaints/", views.complaint_analysis, name="complaints"),
]
