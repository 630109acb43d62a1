from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("complaints/", views.complaint_analysis, name="complaints"),
    path("feedback/", views.feedback_analysis, name="feedback"),
]
