"""The demo's releases: French and English, in every state, a review chain, boilerplates, and an
approved release under an embargo that lifts a few days after the demo is loaded."""

from __future__ import annotations

import importlib
from datetime import time, timedelta

from django.utils.timezone import localdate, now

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.accounts.roles import Role
from pressdesk.releases import approval, embargo, services
from pressdesk.releases.models import Release, ReleaseTemplate

# The embargo of the demo's scheduled release lifts this many days after loading, at 10:00.
EMBARGO_DAYS = 3

ABOUT_FR = (
    "Énergies Citoyennes du Val de Loire (ECVL) est une coopérative qui produit et fournit une "
    "électricité renouvelable à 42 000 foyers de Touraine et d'Anjou. Elle réunit 9 000 "
    "sociétaires. [ecvl.example](https://ecvl.example)"
)
ABOUT_EN = (
    "Énergies Citoyennes du Val de Loire (ECVL) is a cooperative that produces and supplies "
    "renewable electricity to 42,000 homes in Touraine and Anjou. It has 9,000 members. "
    "[ecvl.example](https://ecvl.example)"
)
CONTACT = "Julien Petit, attaché de presse\n+33 2 47 00 00 00\npresse@ecvl.example"

SOLAR_BODY = """\
Le parc solaire de Montlouis-sur-Loire produit ses premiers kilowattheures depuis le 2 mars.
Ses 18 000 panneaux, installés sur une ancienne carrière, fourniront chaque année l'équivalent
de la consommation de 6 500 foyers.

Le chantier a duré quatorze mois et a mobilisé onze entreprises de la région. Le financement a
été assuré pour moitié par les sociétaires de la coopérative.

> "Ce parc appartient à ceux qui l'ont financé : les habitants du territoire", souligne Claire
> Moreau, directrice de la communication.

Une visite publique est organisée le samedi 14 mars à 10h30 ; inscription sur le site de la
coopérative.

## Chiffres clés

- 18 000 panneaux sur 12 hectares
- 9,8 GWh par an
- 11 entreprises régionales"""

SOLAR_BODY_EN = """\
The Montlouis-sur-Loire solar farm has been producing since March 2. Its 18,000 panels,
installed on a former quarry, will each year supply the equivalent of the consumption of 6,500
homes.

> "This farm belongs to those who financed it: the people who live here," says Claire Moreau,
> head of communications.

A public visit takes place on Saturday, March 14 at 10:30 a.m."""

RESULTS_BODY = """\
La coopérative a produit 148 GWh d'électricité renouvelable en 2026, en hausse de 12 % sur un
an. Son chiffre d'affaires atteint 31,4 millions d'euros.

Le nombre de sociétaires a franchi le cap des 9 000 ; l'assemblée générale du 18 avril votera
la rémunération des parts.

> "Nous avons prouvé qu'un modèle coopératif pouvait financer la transition à grande échelle",
> déclare la présidente.

Les comptes détaillés seront publiés au moment de la levée de l'embargo."""

OPEN_DAY_BODY = """\
Le 3 mai, la centrale hydroélectrique de Chinon ouvre ses portes de 9h à 17h30. Visites guidées
toutes les heures, ateliers pour les enfants et rencontre avec les techniciens.

Entrée libre ; réservation conseillée pour les groupes."""

QUEBEC_BODY = """\
ECVL et la coopérative québécoise Énergie Laurentides signent un accord d'échange de
savoir-faire sur le stockage par batteries.

Une délégation québécoise visitera le Val de Loire en juin."""

WIND_BODY = """\
Le projet éolien de Bourgueil franchit l'étape de l'enquête publique. Six machines de 3 MW
pourraient être installées d'ici 2029.

Les réunions publiques auront lieu les 12 et 19 juin à 18h30 à la salle des fêtes."""


def _member(org: Organisation, role: str) -> Membership:
    return (
        Membership.objects.for_org(org)
        .select_related("user")
        .filter(role=role)
        .order_by("pk")
        .last()  # the colleague, not the installation's admin, when both are directors
    ) or Membership.objects.for_org(org).select_related("user").get(role=Role.DIRECTOR)


def _approve(release: Release, officer: Membership, director: Membership) -> None:
    approval.submit(release, member=officer)
    approval.decide(release, release.current_version_id or 0, "approved", member=officer)
    approval.decide(release, release.current_version_id or 0, "approved", member=director)


def load(org: Organisation) -> None:
    """Add releases, a review chain and boilerplates to the demo organisation."""
    officer = _member(org, Role.PRESS_OFFICER)
    director = _member(org, Role.DIRECTOR)
    by = officer.user
    services.save_boilerplate(org, ReleaseTemplate.FR_FR, ABOUT_FR, CONTACT, by=director.user)
    services.save_boilerplate(org, ReleaseTemplate.FR_CA, ABOUT_FR, CONTACT, by=director.user)
    services.save_boilerplate(org, ReleaseTemplate.EN, ABOUT_EN, CONTACT, by=director.user)
    services.save_review_chain(
        org,
        [("Service presse", officer.user_id), ("Direction de la communication", director.user_id)],
        by=director.user,
    )

    def draft(title: str, body: str, lead: str, template: str = ReleaseTemplate.FR_FR) -> Release:
        city = "Tours" if template != ReleaseTemplate.FR_CA else "Montréal"
        made = services.create_release(
            org,
            services.Draft(title=title, lead=lead, body=body),
            template=template,
            city=city,
            by=by,
        )
        return made

    solar = draft(
        "Le parc solaire de Montlouis entre en service",
        SOLAR_BODY,
        "Le plus grand parc solaire citoyen de Touraine produit depuis le 2 mars l'électricité "
        "de 6 500 foyers.",
    )
    services.set_topics(solar, ["Solaire", "Production"])
    _approve(solar, officer, director)
    embargo.publish_now(solar, member=director)
    solar_en = services.create_translation(solar, by=by)
    services.save_version(
        solar_en,
        services.Draft(
            title="The Montlouis solar farm starts producing",
            lead="Touraine's largest citizen-owned solar farm now supplies 6,500 homes.",
            body=SOLAR_BODY_EN,
            dateline=solar_en.current_version.dateline if solar_en.current_version else "",
        ),
        by=by,
    )
    _approve(solar_en, officer, director)
    embargo.publish_now(solar_en, member=director)

    results = draft(
        "Résultats 2026 : la coopérative dépasse 9 000 sociétaires",
        RESULTS_BODY,
        "Production en hausse de 12 %, chiffre d'affaires de 31,4 millions d'euros : ECVL "
        "publie ses résultats annuels.",
    )
    services.set_topics(results, ["Résultats"])
    _approve(results, officer, director)
    lift = embargo.to_instant(localdate() + timedelta(days=EMBARGO_DAYS), time(10, 0), org.timezone)
    embargo.schedule(results, lift, member=director)

    open_day = draft(
        "Journée portes ouvertes à la centrale de Chinon",
        OPEN_DAY_BODY,
        "Le 3 mai, le public découvre de l'intérieur la centrale hydroélectrique de Chinon.",
    )
    approval.submit(open_day, member=officer)
    approval.decide(open_day, open_day.current_version_id or 0, "approved", member=officer)

    wind = draft(
        "Éolien : le projet de Bourgueil soumis à l'enquête publique",
        WIND_BODY,
        "Six éoliennes pourraient produire l'électricité de 12 000 foyers d'ici 2029.",
    )
    _approve(wind, officer, director)
    # Edited after approval: the approval is voided and shows as such.
    services.save_version(
        wind,
        services.Draft(
            title=wind.title,
            lead="Six éoliennes pourraient produire l'électricité de 13 000 foyers d'ici 2029.",
            body=WIND_BODY,
            dateline=wind.current_version.dateline if wind.current_version else "",
        ),
        by=by,
    )

    draft(
        "Partenariat avec Énergie Laurentides sur le stockage",
        QUEBEC_BODY,
        "Deux coopératives, deux continents, un même défi : stocker l'énergie renouvelable.",
        template=ReleaseTemplate.FR_CA,
    )

    old = draft(
        "Tarifs 2027 : ce qui change au 1er janvier",
        "Les tarifs de fourniture évoluent au 1er janvier.",
        "Un communiqué retiré : les chiffres devaient être revus.",
    )
    _approve(old, officer, director)
    embargo.schedule(old, now() + timedelta(days=30), member=director)
    embargo.withdraw(old, member=director, reason="Chiffres à revoir avec la direction financière.")

    # The newsroom's and the press kits' parts of the demo, when they are there.
    for part in ("demo_newsroom", "demo_kits"):
        try:
            extra = importlib.import_module(f"pressdesk.releases.{part}")
        except ModuleNotFoundError as missing:
            if missing.name != f"pressdesk.releases.{part}":
                raise
            continue
        extra.load(org)
