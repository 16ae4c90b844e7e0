"""The public newsroom under /newsroom/<org>/: no login; only what is public now."""

from pressdesk.releases.views import newsroom

app_name = "newsroom"

urlpatterns = newsroom.urlpatterns
