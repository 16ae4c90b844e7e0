from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "pressdesk.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from pressdesk.contacts import facets, module, search_index
        from pressdesk.contacts.models import Beat, Contact

        module.install()
        # Django rebuilds a SQLite table to alter it, which drops the search triggers.
        post_migrate.connect(search_index.ensure_installed, sender=self)
        post_delete.connect(facets.forget_beat, sender=Beat)
        m2m_changed.connect(facets.beats_changed, sender=Contact.beats.through)
