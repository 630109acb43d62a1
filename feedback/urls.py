from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
