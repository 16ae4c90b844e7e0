"""The press file's pages. Each views module lists its own routes."""

from pressdesk.contacts.views import browse, duplicates, gdpr, importing

app_name = "contacts"

urlpatterns = browse.urlpatterns + importing.urlpatterns + duplicates.urlpatterns + gdpr.urlpatterns
