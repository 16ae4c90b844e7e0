from django.urls import path

from pressdesk.work import views

app_name = "work"

urlpatterns = [
    path("", views.background, name="background"),
    path(
        "<str:kind>/<int:pk>/<slug:decision>/",
        views.decide,
        name="decide",
    ),
]
