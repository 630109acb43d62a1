from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("print/", views.print_report, name="print"),
    path("export/kpis.csv", views.export_kpis, name="export_kpis"),
    path("export/managers.csv", views.export_managers, name="export_managers"),
    path("complaints/", views.complaint_analysis, name="complaints"),
    path("feedback/", views.feedback_analysis, name="feedback"),
]
