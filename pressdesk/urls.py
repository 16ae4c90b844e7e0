"""The core's routes, then each installed module's, as the module registered them."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from pressdesk import views
from pressdesk.api import mounted_api
from pressdesk.modules import registered


def module_patterns() -> list[URLPattern | URLResolver]:
    """Each module's pages under o/<org>/<key>/, and its public pages under their prefix."""
    found: list[URLPattern | URLResolver] = []
    for module in registered():
        if module.urls:
            found.append(path(f"o/<slug:org_slug>/{module.key}/", include(module.urls)))
        for prefix, urlconf in module.public_urls:
            found.append(path(prefix, include(urlconf)))
    return found


urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/docs", views.api_docs, name="api_docs"),
    path("api/v1/", mounted_api().urls),
    path("", include("pressdesk.accounts.urls")),
    *module_patterns(),
    path("o/<slug:org_slug>/", views.dashboard, name="dashboard"),
    path("o/<slug:org_slug>/work/", include("pressdesk.work.urls")),
    path("o/<slug:org_slug>/search/", views.search, name="search"),
    path("o/<slug:org_slug>/coming/<slug:module>/", views.coming, name="coming"),
]
