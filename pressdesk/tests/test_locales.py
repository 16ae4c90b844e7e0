from django.utils import translation

from pressdesk.lib import locales, typography


def test_it_names_languages_and_countries_in_the_reader_language() -> None:
    with translation.override("fr"):
        assert locales.language_name("en") == "anglais"
        assert locales.country_name("gb") == "Royaume-Uni"
    with translation.override("en"):
        assert locales.language_name("FR") == "French"
        assert locales.country_name("FR") == "France"


def test_it_shows_an_unknown_code_as_it_is() -> None:
    assert locales.language_name("qq") == "QQ"
    assert locales.country_name("QQ") == "QQ"


def test_it_offers_common_languages_first_and_countries_by_name() -> None:
    with translation.override("fr"):
        assert [code for code, _name in locales.language_choices()[:2]] == ["fr", "en"]
        names = [name for _code, name in locales.country_choices()]
    assert names == sorted(names, key=str.casefold)
    assert "Allemagne" in names
    assert locales.is_country("de") and not locales.is_country("150")
    assert locales.is_language("fr") and not locales.is_language("xx")


def test_it_reads_names_back_as_codes_in_either_language() -> None:
    assert locales.language_code("anglais") == locales.language_code("English") == "en"
    assert locales.language_code("FR") == "fr"
    assert locales.country_code("Royaume-Uni") == locales.country_code("united kingdom") == "GB"
    assert locales.country_code("côte d’ivoire") == "CI"
    assert locales.language_code("klingon") == "" and locales.country_code("Atlantis") == ""


def test_it_writes_several_languages_by_name() -> None:
    with translation.override("fr"):
        assert locales.language_names(["fr", "en"]) == "français, anglais"
    assert locales.language_names([]) == ""


def test_label_value_follows_the_language_typography() -> None:
    with translation.override("fr"):
        assert typography.label_value("Rubriques", "énergie") == "Rubriques\u00a0: énergie"
    with translation.override("en"):
        assert typography.label_value("Beats", "energy") == "Beats: energy"
