"""Monitoring's pages under /o/<org>/monitoring/."""

from pressdesk.monitoring.views import (
    alerts,
    archive,
    clippings,
    queries,
    review,
    settings,
    sources,
)

app_name = "monitoring"

urlpatterns = (
    clippings.urlpatterns
    + sources.urlpatterns
    + queries.urlpatterns
    + archive.urlpatterns
    + alerts.urlpatterns
    + review.urlpatterns
    + settings.urlpatterns
)
