from __future__ import annotations

from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, pre_delete
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "pressdesk.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from pressdesk.contacts import facets, module, search_index, sends, tasks
        from pressdesk.contacts.models import Beat, Contact, ImportJob, NoticeSend
        from pressdesk.work.kinds import register_kind

        module.install()
        # An import's writes commit with its "done": redoing it after a crash is safe. A mail's
        # fate after a crash is unknown: it waits for a director's decision, unless it was not
        # yet handed to the mail server.
        register_kind(
            "contacts.import", ImportJob, wake=tasks.run_import, redo_safe=True, label=_("Import")
        )
        register_kind(
            "contacts.gdpr_mail",
            NoticeSend,
            wake=tasks.send_queued,
            redo_safe=False,
            unstarted=Q(outcome=""),
            covers=sends.BATCH,
            group=("org_id", "kind"),
            label=_("GDPR mail"),
        )
        # Django rebuilds a SQLite table to alter it, which drops the search triggers.
        post_migrate.connect(search_index.ensure_installed, sender=self)
        post_delete.connect(facets.forget_beat, sender=Beat)
        pre_delete.connect(facets.forget_contact, sender=Contact)
        m2m_changed.connect(facets.beats_changed, sender=Contact.beats.through)
