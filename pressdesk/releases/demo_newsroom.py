"""The demo's newsroom: themed, with published releases in French and English, images with
their credits, an embargoed release with a journalist's preview link, and a subscriber.

`load(org)` only adds, and adds nothing twice: relcore's demo may already have written
releases, and the newsroom's part then sits beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import editing
from pressdesk.releases.models import (
    AssetKind,
    KitItemKind,
    MediaAsset,
    Newsroom,
    PressKit,
    PressKitItem,
    PreviewLink,
    Release,
    ReleaseAttachment,
    ReleaseState,
    ReleaseVersion,
    Subscriber,
    Topic,
    kit_public_q,
    public_q,
)

# Drawn by hand so the demo needs no image library: a harbour at dawn and a wind farm.
_SKY = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675" width="1200" height="675">'
    '<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1">'
    '<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
    "</linearGradient></defs>"
    '<rect width="1200" height="675" fill="url(#s)"/>'
    '<circle cx="900" cy="220" r="70" fill="#ffd27a"/>'
    '<rect y="470" width="1200" height="205" fill="{ground}"/>{extra}</svg>'
)
_TURBINE = (
    '<g transform="translate({x} 470)" stroke="#f4f6f8" stroke-width="8" stroke-linecap="round">'
    '<line x1="0" y1="0" x2="0" y2="-260"/><line x1="0" y1="-260" x2="0" y2="-360"/>'
    '<line x1="0" y1="-260" x2="-90" y2="-210"/><line x1="0" y1="-260" x2="90" y2="-210"/></g>'
)
_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 60" width="60" height="60">'
    '<rect width="60" height="60" rx="10" fill="#0b4f6c"/>'
    '<path d="M14 42 L30 14 L46 42 Z" fill="#f2a541"/></svg>'
)

RELEASES: list[dict[str, Any]] = [
    {
        "slug": "parc-eolien-baie-de-seine",
        "title": "Le parc éolien de la baie de Seine produit ses premiers mégawattheures",
        "lead": (
            "Les 71 éoliennes du parc en mer alimentent désormais l’équivalent de "
            "800 000 foyers normands. La mise en service complète est prévue à l’automne."
        ),
        "body": (
            "<p>Après trois ans de travaux, le parc éolien en mer de la baie de Seine a injecté "
            "ses premiers mégawattheures sur le réseau le 2 mars à 14 h 30.</p>"
            "<h2>Un chantier suivi par 1 200 personnes</h2>"
            "<p>« C’est une étape historique pour la région », souligne la directrice du "
            "projet. Le chantier a mobilisé 1 200 personnes, dont 40 % recrutées localement.</p>"
            "<ul><li>71 éoliennes de 7 MW ;</li><li>500 MW de puissance installée ;</li>"
            "<li>un investissement de 2 milliards d’euros.</li></ul>"
        ),
        "topic": ("energie", "Énergie"),
        "days_ago": 3,
        "template": "fr-FR",
        "image": ("#f7b267", "#7fb7d6", "#2e5e7e", 3),
        "caption": "Les premières éoliennes du parc, au large de Courseulles-sur-Mer",
        "credit": "© Camille Lefèvre",
    },
    {
        "slug": "ecole-des-metiers-de-la-mer",
        "title": "Ouverture d’une école des métiers de la mer au Havre",
        "lead": (
            "Dès la rentrée, 120 apprentis y seront formés à la maintenance des "
            "installations en mer."
        ),
        "body": (
            "<p>L’école accueillera sa première promotion en septembre. Les candidatures "
            "sont ouvertes jusqu’au 30 avril.</p>"
        ),
        "topic": ("emploi", "Emploi et formation"),
        "days_ago": 12,
        "template": "fr-FR",
        "image": ("#c6e2f2", "#e8f1f5", "#8a9a5b", 0),
        "caption": "Le bâtiment de l’école, quai de Southampton",
        "credit": "© Ville du Havre",
    },
    {
        "slug": "resultats-annuels-2025",
        "title": "Résultats annuels 2025 : un chiffre d’affaires en hausse de 8 %",
        "lead": "Le chiffre d’affaires atteint 412 millions d’euros, porté par les renouvelables.",
        "body": "<p>Le conseil d’administration proposera un dividende stable.</p>",
        "topic": ("resultats", "Résultats"),
        "days_ago": 30,
        "template": "fr-FR",
        "image": None,
        "caption": "",
        "credit": "",
    },
    {
        "slug": "bay-of-seine-offshore-wind-farm",
        "title": "Bay of Seine offshore wind farm delivers its first megawatt-hours",
        "lead": "The 71 turbines now supply the equivalent of 800,000 homes in Normandy.",
        "body": "<p>Full commissioning is expected in the autumn.</p>",
        "topic": ("energie", "Énergie"),
        "days_ago": 3,
        "template": "en",
        "image": None,
        "caption": "",
        "credit": "",
    },
]
EMBARGOED: dict[str, Any] = {
    "slug": "accord-hydrogene-vert",
    "title": "Accord pour une filière d’hydrogène vert en Normandie",
    "lead": "Quatre industriels s’engagent à produire 20 000 tonnes d’hydrogène vert par an.",
    "body": "<p>Le détail de l’accord sera présenté à la presse à 10 h.</p>",
}


def _svg(org: Organisation, name: str, svg: str, **fields: str) -> MediaAsset:
    asset = MediaAsset(
        org=org,
        kind=fields.pop("kind", AssetKind.IMAGE),
        filename=name,
        content_type="image/svg+xml",
        size=len(svg.encode()),
        **fields,
    )
    asset.file.save(name, ContentFile(svg.encode()), save=False)
    asset.save()
    return asset


def _release(
    org: Organisation, data: Mapping[str, Any], visible_from: datetime, state: str
) -> Release:
    release = Release.objects.for_org(org).create(
        title=data["title"],
        slug=data["slug"],
        template=data.get("template", "fr-FR"),
        state=state,
        visible_from=visible_from,
        embargo_until=visible_from if state == ReleaseState.SCHEDULED else None,
        published_at=visible_from,
        updated=visible_from,
    )
    version = ReleaseVersion.objects.create(
        release=release,
        number=1,
        title=data["title"],
        lead=data["lead"],
        body_source=str(data["body"]),
        body_html=str(data["body"]),
        dateline="Caen, le 2 mars 2026" if release.template != "en" else "Caen, 2 March 2026",
    )
    release.current_version = version
    release.approved_version = version
    release.save(update_fields=["current_version", "approved_version"])
    return release


_PANELS = "".join(
    f'<rect x="{80 + 180 * n}" y="500" width="150" height="70" fill="#1f3b73" '
    'stroke="#9fb4d9" stroke-width="4" transform="skewX(-20)"/>'
    for n in range(6)
)


def _picture(org: Organisation, release: Release, caption: str, credit: str, extra: str) -> None:
    """An illustration attached to the release, with its caption, credit and description."""
    svg = _SKY.format(top="#f7b267", bottom="#bfe3f5", ground="#5b7f3a", extra=extra)
    picture = _svg(
        org,
        f"{release.slug}.svg",
        svg,
        title=caption,
        caption=caption,
        credit=credit,
        alt_text=caption,
    )
    ReleaseAttachment.objects.create(release=release, asset=picture, position=0)


def _standalone(org: Organisation) -> None:
    """Releases of the newsroom's own, when the releases' demo wrote none that is public."""
    now = timezone.now()
    for data in RELEASES:
        if Release.objects.for_org(org).filter(slug=data["slug"]).exists():
            continue
        visible = now - timedelta(days=int(data["days_ago"]))
        release = _release(org, data, visible, ReleaseState.PUBLISHED)
        slug, name = data["topic"]
        topic, _new = Topic.objects.for_org(org).get_or_create(slug=slug, defaults={"name": name})
        release.topics.add(topic)
        if data["image"]:
            turbines = data["image"][3]
            extra = "".join(_TURBINE.format(x=200 + 300 * n) for n in range(turbines))
            _picture(org, release, str(data["caption"]), str(data["credit"]), extra)


def load(org: Organisation) -> None:
    """Add the newsroom around the demo's releases, once: theme and logo, pictures with their
    credits, a journalist's preview link to the embargoed release, a subscriber, a press
    contact and a press kit."""
    if PreviewLink.objects.for_org(org).exists():
        return
    now = timezone.now()
    logo = _svg(org, "logo.svg", _LOGO, kind=AssetKind.LOGO, title=org.name, alt_text=org.name)
    newsroom = Newsroom.objects.for_org(org).first() or Newsroom(org=org)
    newsroom.title = newsroom.title or f"Salle de presse – {org.name}"
    newsroom.tagline = newsroom.tagline or "Communiqués, dossiers et contacts presse"
    newsroom.primary_colour, newsroom.accent_colour = "#0b4f6c", "#f2a541"
    newsroom.logo = logo
    newsroom.save()
    public = Release.objects.for_org(org).filter(public_q(now))
    if not public.exists():
        _standalone(org)
    first = public.filter(attachments__isnull=True).exclude(template="en").order_by("pk").first()
    if first is not None:
        _picture(
            org, first, "Les panneaux du parc, vus depuis la levée", "© Camille Lefèvre", _PANELS
        )
    embargoed = (
        Release.objects.for_org(org)
        .filter(state=ReleaseState.SCHEDULED, visible_from__gt=now)
        .order_by("visible_from")
        .first()
    ) or _release(org, EMBARGOED, now + timedelta(days=4), ReleaseState.SCHEDULED)
    sketch = _svg(
        org,
        "embargo.svg",
        _SKY.format(top="#9ad1d4", bottom="#eaf6f6", ground="#3d5a80", extra=""),
        title="Vue d’artiste",
        caption="Vue d’artiste du projet",
        credit="© Studio Loire",
        alt_text="Vue d’artiste du projet",
    )
    ReleaseAttachment.objects.create(release=embargoed, asset=sketch, position=0)
    PreviewLink.objects.for_org(org).create(
        release=embargoed, recipient="Marie Dupont <marie.dupont@ouest-france.fr>"
    )
    Subscriber.objects.for_org(org).get_or_create(
        email="redaction@journal-exemple.fr",
        defaults={"language": "fr", "confirmed_at": now - timedelta(days=20)},
    )
    officer = editing.save_contact(
        org,
        None,
        {
            "first_name": "Julien",
            "last_name": "Petit",
            "job_title": "Attaché de presse",
            "kind": "other",
            "emails": [f"presse@{org.slug}.example"],
        },
        by=None,
    )
    newsroom.press_contacts.add(officer)
    if not PressKit.objects.for_org(org).filter(kit_public_q(now)).exists():
        kit = PressKit.objects.for_org(org).create(
            title="Dossier de presse : nos installations",
            slug="dossier-installations",
            published=True,
            visible_from=now - timedelta(days=1),
            intro_html="<p>Chiffres clés, images libres de droits et contacts.</p>",
        )
        for n, release in enumerate(public.order_by("-visible_from")[:2]):
            PressKitItem.objects.create(
                kit=kit, position=n, kind=KitItemKind.RELEASE, release=release
            )
        PressKitItem.objects.create(
            kit=kit,
            position=5,
            kind=KitItemKind.KEY_FIGURES,
            title="Chiffres clés",
            body_html="<ul><li>9 000 sociétaires</li><li>31,4 millions d’euros</li></ul>",
        )
