from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("mine/", views.my_complaints, name="mine"),
    path("new/", views.complaint_create, name="create"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/edit/", views.complaint_edit, name="edit"),
    path("<int:pk>/transition/", views.complaint_transition, name="transition"),
    path("<int:pk>/note/", views.complaint_note, name="note"),
    path("<int:pk>/reply/", views.complaint_reply, name="reply"),
    path("<int:pk>/severity/", views.complaint_severity, name="severity"),
    path("<int:pk>/reassign/", views.complaint_reassign, name="reassign"),
]
