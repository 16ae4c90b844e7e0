from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "pressdesk.releases"
    label = "releases"
    verbose_name = _("Releases")

    def ready(self) -> None:
        from pressdesk.releases import module, tasks
        from pressdesk.releases.models import ReleaseEffect
        from pressdesk.work.kinds import register_kind

        module.install()
        # A side effect's handler writes its own durable rows and commits them with its "done"
        # (effects.py), so redoing it after a crash is safe.
        register_kind(
            "releases.effect",
            ReleaseEffect,
            wake=tasks.run_effect,
            redo_safe=True,
            label=_("Release going public"),
        )
