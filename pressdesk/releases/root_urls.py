"""Addresses at the site's root that speak for the newsroom: /robots.txt."""

from django.urls import path

from pressdesk.releases.views import newsroom

app_name = "newsroom_root"

urlpatterns = [path("robots.txt", newsroom.robots_txt, name="robots")]
