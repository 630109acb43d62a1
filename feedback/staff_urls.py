from django.urls import path

from . import staff_views

app_name = "surveys"

urlpatterns = [
    path("answers/", staff_views.answer_list, name="answers"),
    path("client/<int:client_pk>/send/", staff_views.send_survey, name="send"),
    path("responses/<int:pk>/action/", staff_views.record_action, name="action"),
    path("requests/<int:pk>/cancel/", staff_views.cancel_link, name="cancel_link"),
]
