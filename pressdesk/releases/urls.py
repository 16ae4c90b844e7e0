"""Releases' pages under /o/<org>/releases/. Each views module lists its own routes."""

from pressdesk.releases.views import editor, exports, ideas, kits, newsroom_settings, review

app_name = "releases"

urlpatterns = (
    editor.urlpatterns
    + review.urlpatterns
    + ideas.urlpatterns
    + kits.urlpatterns
    + exports.urlpatterns
    + newsroom_settings.urlpatterns
)
