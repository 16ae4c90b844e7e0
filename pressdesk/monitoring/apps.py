from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "pressdesk.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from django.db.models import Q
        from django.db.models.signals import post_migrate

        from pressdesk.monitoring import archive, module, tasks
        from pressdesk.monitoring.models import AlertMail, Item, SourcePoll
        from pressdesk.work.kinds import register_kind

        module.install()
        from pressdesk.contacts.duplicates import contacts_merged
        from pressdesk.monitoring.journalists import move_on_merge

        contacts_merged.connect(move_on_merge, dispatch_uid="monitoring.move_on_merge")
        # A later migration that rebuilds the articles table (SQLite) drops the index triggers.
        post_migrate.connect(archive.ensure_installed, sender=self)
        # A poll's writes (new articles, health, next due time) commit with its "done", and an
        # article's with its own: after a crash both are safe to redo.
        register_kind(
            "monitoring.poll", SourcePoll, wake=tasks.poll_source, redo_safe=True, label=_("Poll")
        )
        register_kind(
            "monitoring.item",
            Item,
            wake=tasks.process_item,
            redo_safe=True,
            label=_("Article pipeline"),
        )
        # A mail's fate after a crash is unknown once handed to the mail server.
        register_kind(
            "monitoring.alert",
            AlertMail,
            wake=tasks.send_alert,
            redo_safe=False,
            unstarted=Q(outcome=""),
            label=_("Alert mail"),
        )
