"""pressdesk/monitoring/query/matcher.py: every query over an article in one pass, explained."""

from __future__ import annotations

from django.utils import translation

from pressdesk.monitoring.query import Document, Matcher, named_query, parse


def found(queries: dict[str, str], document: Document) -> dict[str, list[str]]:
    """Each matching query's name and the original text of its spans."""
    matcher = Matcher({name: parse(expression) for name, expression in queries.items()})
    result = {}
    for match in matcher.match(document):
        source = {"text": document.text, "title": document.title}
        result[match.query] = [source[s.field][s.start : s.end] for s in match.spans]
    return result


FRUIT = Document("Un jus d’orange pressé et des fruits de saison.")
BRAND = Document("L’opérateur Orange étend son réseau de fibre à Saint-Étienne.")


def test_it_finds_the_brand_and_not_the_fruit() -> None:
    queries = {"Orange": 'case:"Orange" NOT (jus OR fruit*)'}
    assert found(queries, BRAND) == {"Orange": ["Orange"]}
    assert found(queries, FRUIT) == {}
    assert found(queries, Document("ORANGE annonce")) == {}


def test_it_finds_names_across_elisions_accents_and_hyphens() -> None:
    queries = {
        "oreal": "l'oreal",
        "st": '"saint etienne"',
        "se": "Saint-Étienne",
        "oeuvre": "oeuvre",
    }
    text = "Chez L’Oréal, à Saint Étienne comme à SAINT-ÉTIENNE, l’Œuvre continue."
    assert found(queries, Document(text)) == {
        "oreal": ["Oréal"],
        "st": ["Saint Étienne", "SAINT-ÉTIENNE"],
        "se": ["Saint Étienne", "SAINT-ÉTIENNE"],
        "oeuvre": ["Œuvre"],
    }


def test_it_finds_a_hyphenated_name_written_in_one_word() -> None:
    assert found({"jl": "Jean-Luc"}, Document("Jeanluc et Jean Luc")) == {
        "jl": ["Jeanluc", "Jean Luc"]
    }


def test_it_matches_whole_words_only_except_prefixes() -> None:
    document = Document("Les énergéticiens parlent d'énergie; orangeade.")
    assert found({"e": "energie", "p": "energ*", "o": "orange"}, document) == {
        "e": ["énergie"],
        "p": ["énergéticiens", "énergie"],
    }


def test_it_keeps_near_to_the_distance() -> None:
    # Four words between "Orange" and "fibre": étend son réseau de.
    assert found({"near": "Orange NEAR/3 fibre"}, BRAND) == {}
    assert found({"near": "Orange NEAR/4 fibre"}, BRAND) == {"near": ["Orange", "fibre"]}
    assert found({"near": "fibre NEAR/4 Orange"}, BRAND) == {"near": ["Orange", "fibre"]}
    assert found({"near": "(Free OR Orange) NEAR/0 étend*"}, BRAND) == {"near": ["Orange", "étend"]}


def test_it_looks_in_the_title_and_filters_on_metadata() -> None:
    document = Document(
        "Rien.",
        title="Orange à Rennes",
        lang="fr-FR",
        outlet="Ouest-France",
        media_type="regional_daily",
    )
    queries = {
        "title": "title:Orange",
        "text": "title:Rien",
        "lang": "Orange lang:fr",
        "lang-en": "Orange lang:en",
        "outlet": 'Orange outlet:"ouest france"',
        "type": "Orange type:regional",
        "pqr": "Orange type:pqr",
        "daily": "Orange type:daily",
        "agency": "Orange type:agency",
    }
    assert set(found(queries, document)) == {"title", "lang", "outlet", "type", "pqr", "daily"}


def test_it_does_not_count_the_outlets_own_name_as_a_mention() -> None:
    document = Document("© Ouest-France. Le maire a parlé.", outlet="Ouest-France")
    assert found({"of": '"Ouest-France"'}, document) == {}
    assert found({"of": '"Ouest-France"'}, Document(document.text)) == {"of": ["Ouest-France"]}


def test_it_runs_named_queries_with_aliases() -> None:
    matcher = Matcher(
        {"Marie Dupont": named_query("Marie Dupont", aliases=["M. Dupont", "Mme Dupont"])}
    )
    document = Document("Selon Mme Dupont, la porte-parole…")
    [match] = matcher.match(document)
    assert [document.text[s.start : s.end] for s in match.spans] == ["Mme Dupont"]
    assert [s.term for s in match.spans] == ["Mme Dupont"]


def test_it_explains_what_matched_where_and_why_not_parts_did_not_exclude() -> None:
    matcher = Matcher({"o": parse('case:"Orange" NOT jus NOT (fruit OR pressé)')})
    document = Document("Orange et jus", title="")
    assert matcher.match(document) == []
    document = Document("La marque Orange, pas le jus d'orange.")
    assert matcher.match(document) == []
    [match] = matcher.match(Document("La marque Orange grandit."))
    assert match.explanation == (
        "“Orange” (with these capitals) found in the text at 10–16; "
        "not excluded by NOT “jus”: it does not appear; "
        "not excluded by NOT (fruit OR pressé): that part does not match"
    )
    with translation.override("fr"):
        [match] = matcher.match(Document("La marque Orange grandit."))
    assert match.explanation.startswith(
        "«\u00a0Orange\u00a0» (avec ces majuscules) trouvé dans le texte"
    )


def test_it_evaluates_only_queries_whose_terms_were_found() -> None:
    queries = {f"q{i}": parse(f'"nom{i} prenom{i}" NOT fruit') for i in range(2000)}
    matcher = Matcher(queries)
    assert len(matcher.patterns) == 2001
    [match] = matcher.match(Document("Hier, Nom1234 Prénom1234 a parlé ; Nom12 aussi."))
    assert match.query == "q1234"
    assert matcher.match(Document("Nom1234 Prénom1234 parle de fruit.")) == []


def test_it_gives_offsets_in_the_original_with_a_case_term_on_a_mixed_text() -> None:
    text = "« L’Œuvre » de Cœur-Vaillant, à la FNAC."
    matcher = Matcher({"fnac": parse('case:"FNAC"'), "cv": parse('"coeur vaillant"')})
    spans = {m.query: [(s.start, s.end) for s in m.spans] for m in matcher.match(Document(text))}
    assert [text[a:b] for a, b in spans["fnac"]] == ["FNAC"]
    assert [text[a:b] for a, b in spans["cv"]] == ["Cœur-Vaillant"]
