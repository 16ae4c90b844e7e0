"""Sample press file for the demo organisation: outlets, journalists, lists and a segment.

Every person is fictional. Addresses use example domains and phone numbers the French numbering
plan sets aside for fiction (01 99 00 xx xx, 06 39 98 xx xx).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import duplicates, editing, lists, services
from pressdesk.contacts.models import Contact, Outlet
from pressdesk.contacts.models.contacts import InteractionKind, SourceKind
from pressdesk.lib.text import normalise

# name, media type, region, country, language, tier, domain
OUTLETS = [
    ("Ouest-France", "regional_daily", "Bretagne", "FR", "fr", 1, "ouest-france"),
    ("La Nouvelle République", "regional_daily", "Centre-Val de Loire", "FR", "fr", 1, "lanr"),
    ("France Bleu Touraine", "radio", "Centre-Val de Loire", "FR", "fr", 1, "francebleu"),
    ("Le Monde", "daily", "Île-de-France", "FR", "fr", 1, "lemonde"),
    ("Les Échos", "daily", "Île-de-France", "FR", "fr", 1, "lesechos"),
    ("AFP", "agency", "Île-de-France", "FR", "fr", 1, "afp"),
    ("Reporterre", "web", "Île-de-France", "FR", "fr", 2, "reporterre"),
    ("Le Berry Républicain", "regional_daily", "Centre-Val de Loire", "FR", "fr", 2, "berry"),
    ("La République du Centre", "regional_daily", "Centre-Val de Loire", "FR", "fr", 2, "larep"),
    ("TV Tours Val de Loire", "tv", "Centre-Val de Loire", "FR", "fr", 2, "tvtours"),
    ("France 3 Centre-Val de Loire", "tv", "Centre-Val de Loire", "FR", "fr", 1, "france3"),
    ("Le Moniteur", "trade", "Île-de-France", "FR", "fr", 2, "lemoniteur"),
    ("Environnement Magazine", "magazine", "Île-de-France", "FR", "fr", 3, "envmag"),
    ("La Gazette des communes", "weekly", "Île-de-France", "FR", "fr", 2, "lagazette"),
    ("Terre-net", "web", "Hauts-de-France", "FR", "fr", 3, "terre-net"),
    ("Watt’s Up — le podcast de l’énergie", "podcast", "", "FR", "fr", 3, "wattsup"),
    ("La Lettre des territoires", "newsletter", "", "FR", "fr", 3, "lettre-territoires"),
    ("Blog Transition Loire", "blog", "Centre-Val de Loire", "FR", "fr", 3, "transition-loire"),
    ("Recharge News", "trade", "", "GB", "en", 2, "rechargenews"),
    ("The Guardian", "daily", "", "GB", "en", 1, "theguardian"),
]
BEATS = [
    "énergie",
    "climat",
    "économie régionale",
    "agriculture",
    "collectivités",
    "environnement",
    "politique locale",
    "industrie",
    "transports",
    "sciences",
]
FIRST = [
    "Hélène", "Julien", "Camille", "Mathieu", "Élodie", "Thomas", "Sophie", "Nicolas", "Aurélie",
    "Pierre", "Claire", "Yannick", "Léa", "François", "Gaëlle", "Antoine", "Manon", "Loïc",
    "Isabelle", "Benoît", "Chloé", "Jérôme", "Anaïs", "Stéphane", "Marion", "Olivier", "Zoé",
    "Guillaume", "Noémie", "Frédéric", "Inès", "Sébastien", "Agathe", "Rémi", "Céline", "Hugo",
    "Margaux", "Vincent", "Laure", "Damien", "Pauline", "Cédric", "Amandine", "Xavier", "Justine",
    "Grégoire", "Maëlle", "Arnaud", "Solène", "Bastien", "Estelle", "Quentin", "Lucie", "Erwan",
]  # fmt: skip
LAST = [
    "Lefèvre", "Moreau", "Garnier", "Rousseau", "Chevalier", "Lemaire", "Barbier", "Fournier",
    "Girard", "Bonnet", "Dupuis", "Lambert", "Fontaine", "Roux", "Mercier", "Blanchard", "Guérin",
    "Perrin", "Morel", "Marchand", "Caron", "Le Gall", "Kerbrat", "Brunet", "Collin", "Vidal",
    "Renaud", "Hubert", "Carré", "Picard", "Aubert", "Lacroix", "Rey", "Boyer", "Giraud", "Joly",
    "Gauthier", "Masson", "Noël", "Meunier", "Leclerc", "Dumas", "Deschamps", "Bertin", "Julien",
    "Poirier", "Besson", "Ferrand", "Benoît", "Huet", "Charpentier", "Lemoine", "Royer", "Prévost",
]  # fmt: skip
ENGLISH = [("Emily", "Hartley"), ("James", "Whitaker"), ("Olivia", "Bennett"), ("Tom", "Fairfax")]
WOMEN = frozenset(
    {
        "Hélène", "Camille", "Élodie", "Sophie", "Aurélie", "Claire", "Léa", "Gaëlle", "Manon",
        "Isabelle", "Chloé", "Anaïs", "Marion", "Zoé", "Noémie", "Inès", "Agathe", "Céline",
        "Margaux", "Laure", "Pauline", "Amandine", "Justine", "Maëlle", "Solène", "Estelle",
        "Lucie", "Emily", "Olivia",
    }
)  # fmt: skip
# (title for a woman, title for a man, kind of contact), in French as the press file is, with the
# typographic apostrophe the interface uses.
TITLES = [
    ("Journaliste", "Journaliste", "journalist"),
    ("Rédactrice en chef", "Rédacteur en chef", "editor"),
    ("Cheffe d’agence", "Chef d’agence", "journalist"),
    ("Reporter", "Reporter", "journalist"),
    ("Pigiste", "Pigiste", "freelance"),
    ("Chroniqueuse", "Chroniqueur", "journalist"),
]
# The British outlets' journalists, with their titles in French too.
ENGLISH_TITLES = ("Correspondante énergie", "Correspondant énergie", "journalist")


def _outlets(org: Organisation) -> list[tuple[Outlet, str]]:
    found = []
    for name, media_type, region, country, language, tier, domain in OUTLETS:
        outlet = Outlet.objects.create(
            org=org,
            name=name,
            name_normalised=normalise(name),
            media_type=media_type,
            region=region,
            country=country,
            languages=[language],
            tier=tier,
            website=f"https://www.{domain}.example.fr/",
        )
        found.append((outlet, domain))
    return found


def load(org: Organisation) -> None:
    """Add sample outlets, journalists, lists and a segment to the demo organisation."""
    rng = random.Random(2026)
    outlets = _outlets(org)
    french = [(o, d) for o, d in outlets if o.country == "FR"]
    english = [(o, d) for o, d in outlets if o.country == "GB"]
    people = []
    for n in range(60):
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        outlet, domain = french[n % len(french)]
        # n // 2: women and men alternate in FIRST, so each title goes to both.
        lang, tld, titles = ["fr"], "fr", TITLES[(n // 2) % len(TITLES)]
        if n < len(ENGLISH):
            (first, last), (outlet, domain) = ENGLISH[n], english[n % len(english)]
            lang, tld, titles = ["en"], "co.uk", ENGLISH_TITLES
        feminine, masculine, kind = titles
        local = normalise(f"{first}.{last}").replace(" ", "-")
        data = {
            "first_name": first,
            "last_name": last,
            "job_title": feminine if first in WOMEN else masculine,
            "kind": kind,
            "emails": [f"{local}@{domain}.example.{tld}"],
            "phones": editing.clean_phones(
                [f"01 99 00 {n // 10:02d} {n % 100:02d}", f"Portable : 06 39 98 {n:02d} 10"]
            ),
            "outlet": outlet,
            "beats": rng.sample(BEATS, rng.randint(1, 3)),
            "languages": lang,
            "country": outlet.country,
            "region": outlet.region,
            "preferred_channel": rng.choice(["email", "email", "phone", ""]),
            "lawful_basis": "legitimate_interest",
        }
        contact = editing.save_contact(
            org,
            None,
            data,
            by=None,
            source_kind=SourceKind.IMPORT,
            source_label="fichier-presse-2025.xlsx (démo)",
        )
        people.append(contact)
    now = timezone.now()
    # A press file grows over months: spread the arrivals over the last year, so that the
    # dashboard's "additions over time" shows what it is for.
    for contact in people:
        arrived = now - timedelta(days=rng.randint(0, 330), hours=rng.randint(0, 23))
        Contact.objects.for_org(org).filter(pk=contact.pk).update(created=arrived)
    for n, contact in enumerate(people[:20]):
        services.add_interaction(
            contact,
            [InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.EMAIL_REPLY][n % 3],
            "Échange sur le parc éolien de Sainte-Maure" if n % 2 else "Invitation au point presse",
            when=now - timedelta(days=7 * n + 1),
        )
    editing.add_note(
        people[4], "Préfère être appelée le matin, avant la conférence de rédaction.", by=None
    )
    editing.add_note(people[1], "Couvre aussi les conseils municipaux de Tours.", by=None)
    invited = lists.create_list(org, "Invités — inauguration du parc éolien", by=None)
    lists.add_to_list(invited, [c.pk for c in people[4:16]], by=None, source="démo")
    regional = lists.create_list(org, "Presse régionale Centre-Val de Loire", by=None)
    lists.add_to_list(
        regional,
        [c.pk for c in people if c.region == "Centre-Val de Loire"],
        by=None,
        source="démo",
    )
    energy = [services.beat(org, "énergie").pk, services.beat(org, "climat").pk]
    lists.save_segment(
        org,
        "Énergie et climat — presse régionale",
        {"beat": [str(pk) for pk in energy], "media_type": ["regional_daily", "radio", "tv"]},
        by=None,
    )
    # Like an import, the demo's press file comes with its possible duplicates already found.
    duplicates.find_duplicates(org)
