from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "pressdesk.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from pressdesk.contacts import demo, facets, global_search, retention, search_index
        from pressdesk.contacts.models import Beat, Contact
        from pressdesk.modules import register_search

        register_search(global_search.contacts_and_outlets)
        retention.register_schedule()
        # Django rebuilds a SQLite table to alter it, which drops the search triggers.
        post_migrate.connect(search_index.ensure_installed, sender=self)
        post_delete.connect(facets.forget_beat, sender=Beat)
        m2m_changed.connect(facets.beats_changed, sender=Contact.beats.through)
        try:
            from pressdesk.demo import register_demo_loader
        except ImportError:  # the demo is optional
            return
        register_demo_loader(demo.load)
