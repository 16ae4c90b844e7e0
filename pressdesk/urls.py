from django.contrib import admin
from django.urls import include, path

from pressdesk import views
from pressdesk.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("pressdesk.accounts.urls")),
    path("o/<slug:org_slug>/contacts/", include("pressdesk.contacts.urls")),
    path("p/", include("pressdesk.contacts.public_urls")),
    path("o/<slug:org_slug>/", views.dashboard, name="dashboard"),
    path("o/<slug:org_slug>/search/", views.search, name="search"),
    path("o/<slug:org_slug>/coming/<slug:module>/", views.coming, name="coming"),
]
