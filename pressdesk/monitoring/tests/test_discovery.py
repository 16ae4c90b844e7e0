"""Article links discovered on a section page."""

from __future__ import annotations

from pressdesk.monitoring.discovery import article_links, canonical, looks_like_article

SECTION = """<html><head><title>Économie</title></head><body>
<nav><a href="/">Accueil</a> <a href="/economie/">Économie</a> <a href="/economie/2">Page 2</a>
<a href="/tag/industrie">Industrie</a> <a href="/auteur/marie-dupont">Marie Dupont</a>
<a href="/connexion">Se connecter</a> <a href="/rss.xml">RSS</a></nav>
<main>
<a href="/economie/2026/11/28/l-usine-de-venissieux-rouvre-ses-portes">L’usine rouvre</a>
<a href="https://www.journal.example/economie/l-usine-de-venissieux-rouvre-ses-portes#comments">x</a>
<a href="/economie/2026/11/28/l-usine-de-venissieux-rouvre-ses-portes?utm_source=home&amp;xtor=R"
 >again</a>
<a href="//journal.example/politique/article-123456.html">Article 123456</a>
<a href="https://m.journal.example/sport/le-match-nul-de-samedi-soir">Sport</a>
<a href="https://autre.example/economie/un-article-ailleurs-sur-le-web">Ailleurs</a>
<a href="javascript:void(0)">Partager</a> <a href="mailto:redac@journal.example">Écrire</a>
<a href="/images/usine-venissieux-rouvre-photo.jpg">Photo</a>
<a href="/economie/">Économie</a>
</main></body></html>"""


def test_it_finds_the_articles_of_a_section_page() -> None:
    links = article_links(SECTION, "https://journal.example/economie/?utm_medium=social")
    assert links == [
        "https://journal.example/economie/2026/11/28/l-usine-de-venissieux-rouvre-ses-portes",
        "https://www.journal.example/economie/l-usine-de-venissieux-rouvre-ses-portes",
        "https://journal.example/politique/article-123456.html",
        "https://m.journal.example/sport/le-match-nul-de-samedi-soir",
    ]


def test_it_follows_the_base_element() -> None:
    page = '<base href="https://cdn.journal.example/site/"><a href="un-titre-assez-long-ici">a</a>'
    assert article_links(page, "https://journal.example/") == [
        "https://cdn.journal.example/site/un-titre-assez-long-ici"
    ]


def test_it_reads_bytes_and_broken_markup() -> None:
    page = b"<a href='/a/2026/01/x'>\xff\xfe<a href=\"/b/un-deux-trois-quatre\"<div"
    assert article_links(page, "https://j.example/") == ["https://j.example/a/2026/01/x"]


def test_it_refuses_a_page_url_that_is_not_http() -> None:
    assert article_links(SECTION, "file:///tmp/section.html") == []


def test_it_canonicalises() -> None:
    assert (
        canonical("HTTPS://Journal.Example:443/a-b?utm_campaign=x&id=3&fbclid=y#top")
        == "https://journal.example/a-b?id=3"
    )
    assert canonical("http://j.example:8080") == "http://j.example:8080/"


def test_it_tells_articles_from_navigation() -> None:
    assert looks_like_article("https://j.example/monde/2026/11/28/sommet")
    assert looks_like_article("https://j.example/monde/sommet-europeen-sur-le-climat")
    assert looks_like_article("https://j.example/news/story/1234567")
    assert not looks_like_article("https://j.example/monde/")
    assert not looks_like_article("https://j.example/page/3")
    assert not looks_like_article("https://j.example/tag/sommet-europeen-sur-le-climat")
    assert not looks_like_article("https://j.example/docs/rapport-annuel-de-la-societe.pdf")
