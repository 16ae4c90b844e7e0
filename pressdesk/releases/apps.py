from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "pressdesk.releases"
    label = "releases"
    verbose_name = _("Releases")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pressdesk.releases import module, newsroom_search, subscriptions, tasks
        from pressdesk.releases.models import ReleaseEffect
        from pressdesk.work.kinds import register_kind

        module.install()
        # Django rebuilds a SQLite table to alter it, which drops the search index's triggers.
        post_migrate.connect(newsroom_search.ensure_installed, sender=self)
        # A side effect's handler writes its own durable rows and commits them with its "done"
        # (effects.py), so redoing it after a crash is safe.
        register_kind(
            "releases.effect",
            ReleaseEffect,
            wake=tasks.run_effect,
            redo_safe=True,
            label=_("Release going public"),
        )
        # A mail handed to the mail server has an unknown fate if its worker dies: such a row
        # waits for a director's decision rather than being sent again.
        subscriptions.register()
