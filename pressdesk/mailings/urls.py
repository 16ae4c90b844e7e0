"""Mailings' pages under /o/<org>/mailings/. Each views module lists its own routes."""

from pressdesk.mailings.views import compose, inbound, outbox, pages, picker

app_name = "mailings"

urlpatterns = (
    pages.urlpatterns
    + compose.urlpatterns
    + inbound.urlpatterns
    + outbox.urlpatterns
    + picker.urlpatterns
)
