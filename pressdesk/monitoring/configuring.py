"""An organisation's monitoring settings: the licence it declared (what may be stored of an
article) and the languages it reads. Changes are audited; giving a licence up erases the full
texts it allowed, since nothing allows keeping them any more."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, Organisation, User
from pressdesk.lib import locales
from pressdesk.lib.text import search_text
from pressdesk.monitoring.models import Item, Licence, MonitoringSettings

AUDIT_ACTIONS.setdefault("monitoring.settings_change", gettext_lazy("Monitoring settings changed"))

# Languages lingua tells apart well and the press of Europe writes in; French and English first.
WATCHABLE = ("fr", "en", "de", "es", "it", "nl", "pt", "ca", "eu")
CHUNK = 500


def current(org: Organisation | int) -> MonitoringSettings:
    """The organisation's settings, with the defaults if never saved."""
    found = MonitoringSettings.objects.for_org(org).first()
    org_id = org if isinstance(org, int) else org.pk
    return found or MonitoringSettings(org_id=org_id)


def language_choices() -> list[tuple[str, str]]:
    """The languages one may watch, by name in the reader's language."""
    return [(code, locales.language_name(code)) for code in WATCHABLE]


def drop_full_texts(org: Organisation) -> int:
    """Erase the full texts kept under a licence; search keeps what is free to keep."""
    dropped = 0
    kept = Item.objects.for_org(org).filter(full_text_kept=True)
    while True:
        batch = list(kept.only("pk", "title", "summary", "extract")[:CHUNK])
        if not batch:
            return dropped
        for item in batch:
            item.text = ""
            item.full_text_kept = False
            item.search_text = search_text(item.title, item.summary, item.extract, "")
        Item.objects.for_org(org).bulk_update(batch, ["text", "full_text_kept", "search_text"])
        dropped += len(batch)


def save(
    org: Organisation,
    *,
    licence: str,
    licence_notice: str,
    languages: list[str],
    user: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Store the settings; return how many full texts were erased (a licence given up)."""
    if licence not in Licence.values:
        raise ValueError(f"unknown licence {licence!r}")
    languages = [code for code in WATCHABLE if code in set(languages)]
    with transaction.atomic():
        row, _created = MonitoringSettings.objects.for_org(org).select_for_update().get_or_create()
        before = {"licence": row.licence, "notice": row.licence_notice, "languages": row.languages}
        row.licence = licence
        row.licence_notice = licence_notice.strip()[:300]
        row.languages = languages
        row.save()
        dropped = drop_full_texts(org) if licence == Licence.LINK_ONLY else 0
        after = {"licence": row.licence, "notice": row.licence_notice, "languages": row.languages}
        if before != after:
            audit.record(
                "monitoring.settings_change",
                org=org,
                actor=user,
                obj=row,
                request=request,
                before=before,
                after=after,
                full_texts_erased=dropped,
            )
    # The pipeline reads the settings per article; nothing cached to clear.
    return dropped
