"""Phone numbers in history rows: their kind kept with them, shown by name."""

from __future__ import annotations

from django.utils import translation

from pressdesk.contacts import history, phones


def test_a_history_value_keeps_each_numbers_kind() -> None:
    stored = phones.history_list(
        [("Portable", "+33612345678", "06 12 34 56 78"), ("", "", "poste 12, bureau")]
    )
    assert stored == "mobile|+33612345678, poste 12  bureau"
    with translation.override("fr"):
        shown = history.value_in_words("phones", stored)
    assert shown == "Portable\u00a0: 06 12 34 56 78, poste 12  bureau"


def test_rows_written_before_kinds_were_kept_still_read() -> None:
    with translation.override("en"):
        assert history.value_in_words("phones", "+33199000002, +493046460") == (
            "01 99 00 00 02, +49 30 46460"
        )


def test_an_imported_number_reads_as_the_page_writes_it() -> None:
    stored = phones.history_item("work", "+33199000002", "01 99 00 00 02")
    with translation.override("en"):
        assert history.value_in_words("phone", stored) == "Work: 01 99 00 00 02"
    # A kind typed in no known language is kept as typed.
    with translation.override("fr"):
        assert history.value_in_words("phone", "Standard rédaction|+33199000002") == (
            "Standard rédaction\u00a0: 01 99 00 00 02"
        )
