"""The demo's monitoring: sources on the demo outlets, watch queries, and recorded articles run
through the real pipeline (offline), so the inbox, the stories and the archive have content."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Outlet
from pressdesk.monitoring import runner, sources, watch
from pressdesk.monitoring.models import Health, Item, MonitoringSettings, Source, SourceKind
from pressdesk.monitoring.polling import url_key

# (outlet, URL, kind, health, reason)
SOURCES = [
    ("La Nouvelle République", "https://www.lanr.example.fr/indre-et-loire/rss.xml",
     SourceKind.FEED, Health.OK, ""),
    ("Reporterre", "https://www.reporterre.example.fr/spip.php?page=backend",
     SourceKind.FEED, Health.SILENT, ""),
    ("France 3 Centre-Val de Loire", "https://www.france3.example.fr/sitemap-news.xml",
     SourceKind.SITEMAP, Health.FAILING, "HTTP 503"),
    ("The Guardian", "https://www.theguardian.example.fr/environment/energy/rss",
     SourceKind.FEED, Health.OK, ""),
]  # fmt: skip

# (group, name, expression, aliases)
QUERIES = [
    ("L’organisation", "Énergies Citoyennes", '"Énergies Citoyennes" OR ECVL',
     ["Énergies Citoyennes du Val de Loire"]),
    ("Porte-parole", "Sophie Bernard", '"Sophie Bernard"', ["Mme Bernard"]),
    ("Projets", "Toits solaires citoyens",
     '"toits solaires" OR "toit solaire" OR "solar roofs"', []),
    ("Concurrents", "Enercoop", "Enercoop", []),
]  # fmt: skip

WIRE = (
    "<p>La coopérative Énergies Citoyennes du Val de Loire (ECVL) a annoncé mardi la mise en "
    "service de quarante toits solaires sur des écoles et des gymnases de Touraine, financés par "
    "1 200 sociétaires. « Chaque habitant peut devenir producteur », a déclaré sa porte-parole, "
    "Sophie Bernard.</p><p>Les installations produiront l’équivalent de la consommation de 900 "
    "foyers. La coopérative prévoit d’en équiper autant l’an prochain dans le Loir-et-Cher.</p>"
)
# (source index or None, outlet, title, author, days ago, body)
ARTICLES = [
    (0, "La Nouvelle République", "Quarante toits solaires citoyens en Touraine",
     "Julien Fournier", 1, WIRE),
    (None, "AFP", "Touraine : une coopérative équipe quarante écoles de toits solaires",
     "AFP", 1, WIRE),
    (0, "La Nouvelle République", "À Amboise, Mme Bernard défend l’énergie partagée",
     "Julien Fournier", 3,
     "<p>Invitée du conseil municipal d’Amboise, Mme Bernard, porte-parole d’ECVL, a présenté le "
     "projet de parc éolien de la Champeigne. Plusieurs riverains ont exprimé des inquiétudes "
     "sur le bruit ; la coopérative promet une réunion publique en janvier.</p>"),
    (1, "Reporterre", "Enercoop et les coopératives locales face à la hausse des prix",
     "Camille Garnier", 6,
     "<p>Enercoop, fournisseur coopératif national, voit ses adhésions progresser. Les "
     "coopératives régionales comme Énergies Citoyennes misent plutôt sur la production locale."
     "</p>"),
    (None, "Terre-net", "La récolte de pommes en baisse dans le Val de Loire",
     "Loïc Perrin", 2,
     "<p>Les arboriculteurs du Val de Loire annoncent une récolte en baisse de 20 %. "
     "Le gel d’avril a touché les vergers du Chinonais.</p>"),
    (3, "The Guardian", "Community energy groups in France put solar roofs on schools",
     "Emily Hartley", 4,
     "<p>In the Loire valley, a citizen cooperative called Énergies Citoyennes has put solar "
     "roofs on forty schools, funded by 1,200 members. Its spokeswoman, Sophie Bernard, says the "
     "model could spread across Europe.</p>"),
    # Signed with an initial: a byline suggestion that may be Emily Hartley of the press file.
    (3, "The Guardian", "Schools in Touraine celebrate a record year for their solar roofs",
     "E. Hartley", 2,
     "<p>A year after Énergies Citoyennes put solar roofs on forty schools in Touraine, the "
     "cooperative reports record output and welcomes 300 new members.</p>"),
]  # fmt: skip
# An article the pipeline cannot read: shown in the quarantine with its reason.
GARBLED = ("Lettre d’information — édition du 3 décembre", "\ufffd\ufffd\x01" * 40)


def load(org: Organisation) -> None:
    """Add monitoring's demo records to the demo organisation (no network needed)."""
    now = timezone.now()
    MonitoringSettings.objects.for_org(org).get_or_create(defaults={"languages": ["fr", "en"]})
    outlets = {o.name: o for o in Outlet.objects.for_org(org)}
    watched: list[Source] = []
    for outlet_name, url, kind, health, reason in SOURCES:
        source, _ = sources.add(org, url, outlet=outlets.get(outlet_name), kind=kind)
        Source.objects.for_org(org).filter(pk=source.pk).update(
            health=health,
            health_reason=reason,
            last_polled_at=now - timedelta(minutes=7),
            last_new_item_at=now - timedelta(days=5 if health == Health.SILENT else 1),
            consecutive_errors=4 if health == Health.FAILING else 0,
        )
        watched.append(source)
    for group, name, expression, aliases in QUERIES:
        watch.save(org, name, expression, group=group, aliases=aliases)
    ids = []
    for n, (source_index, outlet_name, title, author, days, body) in enumerate(ARTICLES):
        from_source = watched[source_index] if source_index is not None else None
        url = f"https://demo.example/{n}"
        outlet = outlets.get(outlet_name)
        item = Item.objects.for_org(org).create(
            source=from_source,
            outlet=outlet,
            url=url,
            url_key=url_key(url),
            title=title,
            author=author,
            published=now - timedelta(days=days),
            collected=now - timedelta(days=days),
            payload={"content": body, "content_is_full": True},
        )
        ids.append(item.pk)
    title, body = GARBLED
    garbled = Item.objects.for_org(org).create(
        source=watched[1],
        url="https://demo.example/garbled",
        url_key=url_key("https://demo.example/garbled"),
        title=title,
        collected=now - timedelta(hours=5),
        payload={"content": body, "content_is_full": True},
    )
    ids.append(garbled.pk)
    runner.run_items(ids, pages=lambda url: None)
