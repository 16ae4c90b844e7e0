"""Demo: the pitch board with ideas in every column, and a published press kit on the solar park.

Called at the end of releases' demo loader (demo.py), once the demo's releases exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils.timezone import now
from PIL import Image, ImageDraw

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.accounts.roles import Role
from pressdesk.contacts.models import Beat, Outlet
from pressdesk.releases import ideas, kits
from pressdesk.releases.models import (
    AssetKind,
    IdeaState,
    KitItemKind,
    MediaAsset,
    Newsroom,
    Release,
    StoryIdea,
)

IDEAS = [
    (
        "Portrait d’une apprentie technicienne solaire",
        "Une apprentie de 19 ans entretient les panneaux du parc : l’énergie citoyenne recrute.",
        IdeaState.IDEA,
    ),
    (
        "Les chiffres de la première année du parc",
        "Bilan chiffré à un an : production, foyers alimentés, revenus reversés aux sociétaires.",
        IdeaState.IDEA,
    ),
    (
        "Visite presse du chantier éolien",
        "Montrer le chantier aux journalistes de la PQR avant l’enquête publique.",
        IdeaState.PREPARING,
    ),
    (
        "Tribune sur l’autoconsommation collective",
        "Le directeur signe une tribune dans un quotidien national.",
        IdeaState.PITCHED,
    ),
    (
        "Mise en service du parc solaire",
        "Le plus grand parc solaire citoyen de Touraine.",
        IdeaState.PUBLISHED,
    ),
    ("Jeu-concours sur les réseaux", "Écarté : hors de notre ligne éditoriale.", IdeaState.DROPPED),
]


def _picture(text: str, colour: tuple[int, int, int]) -> bytes:
    """A plain illustration made on the spot, so the demo ships no photo."""
    image = Image.new("RGB", (960, 600), colour)
    draw = ImageDraw.Draw(image)
    for y in range(0, 600, 40):
        draw.line([(0, y), (960, y + 200)], fill=(255, 255, 255), width=2)
    draw.text((40, 40), text, fill=(255, 255, 255))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _asset(org: Organisation, name: str, data: bytes, kind: str, **fields: object) -> MediaAsset:
    asset = MediaAsset(
        org=org, kind=kind, filename=name, content_type="image/png", size=len(data), **fields
    )
    asset.file.save(name, ContentFile(data), save=False)
    asset.save()
    return asset


def load(org: Organisation) -> None:
    """Add story ideas and a press kit to the demo organisation."""
    members = Membership.objects.for_org(org).select_related("user")
    officer = members.filter(role=Role.PRESS_OFFICER).first() or members.first()
    director = members.filter(role=Role.DIRECTOR).first()
    if officer is None or director is None:
        return
    beats = list(Beat.objects.for_org(org).order_by("name")[:2])
    outlets = ", ".join(o.name for o in Outlet.objects.for_org(org).order_by("pk")[:2])
    made: list[StoryIdea] = []
    for title, angle, state in IDEAS:
        idea = ideas.save_idea(
            org,
            None,
            title=title,
            angle=angle,
            owner=officer.user,
            outlets=outlets,
            target_media="PQR, radios locales",
            beats=beats,
        )
        ideas.move(idea, state)
        made.append(idea)
    ideas.comment(made[0], "Elle est d’accord pour une interview jeudi.", by=officer.user)
    ideas.comment(made[0], "Prévoir une photo sur site, crédit à notre nom.", by=director.user)

    solar = Release.objects.for_org(org).filter(title__icontains="solaire").first()
    if solar is not None:
        Release.objects.for_org(org).filter(pk=solar.pk).update(idea=made[4])

    kit = kits.create_kit(
        org,
        "Dossier de presse : le parc solaire de Montlouis",
        intro="Tout sur le **premier parc solaire citoyen** de Touraine : chiffres, photos, "
        "contacts.",
        by=officer.user,
    )
    if solar is not None:
        kits.add_item(kit, KitItemKind.RELEASE, release=solar)
    kits.add_item(
        kit,
        KitItemKind.KEY_FIGURES,
        title="Chiffres clés",
        text="- **12 hectares** de panneaux\n- **6 500 foyers** alimentés\n"
        "- **1 200 sociétaires** citoyens",
    )
    kits.add_item(
        kit,
        KitItemKind.QUOTE,
        title="Le mot du président",
        text="« Chaque habitant peut devenir producteur de son électricité. »",
    )
    kits.add_item(
        kit,
        KitItemKind.BIO,
        title="Claire Petit, présidente",
        text="Ingénieure de formation, Claire Petit préside la coopérative depuis 2021.",
    )
    photo = _asset(
        org,
        "parc-solaire.png",
        _picture("Parc solaire de Montlouis", (29, 53, 87)),
        AssetKind.IMAGE,
        title="Le parc vu du ciel",
        caption="Le parc solaire de Montlouis, mars 2027.",
        alt_text="Rangées de panneaux solaires dans un champ",
        credit="© Coopérative / Jeanne Martin",
        rights_free_until=date.today() + timedelta(days=365),
    )
    kits.add_item(kit, KitItemKind.ASSET, asset=photo)
    logo = _asset(
        org,
        "logo.png",
        _picture("Logo", (230, 57, 70)),
        AssetKind.LOGO,
        title="Logo de la coopérative",
        alt_text="Logo",
        credit="Coopérative",
    )
    kits.add_item(kit, KitItemKind.ASSET, asset=logo)
    # The newsroom's press contact, when the newsroom's demo named one (never a journalist).
    room = Newsroom.objects.for_org(org).first()
    contact = room.press_contacts.order_by("pk").first() if room is not None else None
    if contact is not None:
        kits.add_item(kit, KitItemKind.CONTACT, contact=contact)
    kits.publish_kit(kit, embargo_until=None, by=director.user, at=now())
