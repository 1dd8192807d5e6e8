"""The notes' "Next Contact Date: tomorrow" (the first call's standard comment, typed on the
day of the call) is due the day after the call, as the same words in the Next contact
column are; words of no date there still ask for a next step."""
from datetime import date

import pytest
from workbooks import overdue_json, rows_book

HEADER = ["Date", "Call type", "Client", "Contact", "Outcome", "Comment on the call"]


@pytest.mark.parametrize("words, due", [
    ("tomorrow", "2026-11-24"),
    ("завтра", "2026-11-24"),
    ("明天", "2026-11-24"),
    ("Friday 15:00", "2026-11-27T15:00:00"),
    ("in 3 days", "2026-11-26"),
])
def test_the_notes_next_contact_in_words_counts_from_the_call(tmp_path, words, due):
    path = rows_book(tmp_path / "log.xlsx", [HEADER, [date(2026, 11, 23), "First call", "Acme", "Jane Roe", "Done",
                                                      f"Company Name: Acme\nNext Contact Date: {words}\nSM: Olga"]])
    [row] = overdue_json(path, "2026-11-23T18:00")
    assert (row["step"]["key"], row["due"]) == ("next_contact", due)


def test_words_of_no_date_in_the_notes_still_ask_for_a_next_step(tmp_path):
    path = rows_book(tmp_path / "log.xlsx", [HEADER, [date(2026, 11, 23), "First call", "Acme", "Jane Roe", "Done",
                                                      "Company Name: Acme\nNext Contact Date: keep in touch by email"]])
    [row] = overdue_json(path, "2026-11-23T18:00")
    assert row["step"]["key"] == "plan"
