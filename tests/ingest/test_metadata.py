"""Metadata extraction: title, byline, publication date, dateline and outlet (pure, no database).

All fixtures are fictional.
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.cleaning import RemovedLine, clean_article
from ingest.cleaning.dates import find_date, parse_date

TITLE = "Karvenia approves plan to rebuild its northern ports"
FIRST = (
    "Karvenia's parliament approved a sweeping plan on Tuesday to rebuild the country's northern ports, "
    "ending months of argument over who should pay for the work."
)
SECOND = (
    "President Ilse Marrow said the first contracts would be signed before the spring storms arrive, and that "
    "smaller harbours would follow once surveys are finished."
)
KST = timezone(timedelta(hours=9))
IST = timezone(timedelta(hours=5, minutes=30))


def page(*lines: str) -> str:
    return "\n".join(lines)


def story_page(*header: str, footer: tuple[str, ...] = ()) -> str:
    """TITLE, header lines, two story paragraphs, footer lines."""
    return page(TITLE, *header, "", FIRST, "", SECOND, "", *footer)


def reasons(result) -> dict[str, str]:
    return {removed.text: removed.reason for removed in result.removed}


# --- title ----------------------------------------------------------------------------------------


def test_title_is_the_first_meaningful_line_after_page_dates_and_chrome():
    text = page("Thursday Sep 15, 2022", "Thursday Sep 15, 2022", "", "Must Read", "", TITLE, "", FIRST)
    result = clean_article(text)
    assert result.title == TITLE
    assert reasons(result)[TITLE] == "title"
    assert result.body == FIRST


def test_title_hint_wins_and_the_matching_first_line_leaves_the_body():
    text = story_page()
    result = clean_article(text, title="  Karvenia approves plan to rebuild its northern ports ")
    assert result.title == TITLE
    assert RemovedLine(1, TITLE, "title") in result.removed
    assert result.body == f"{FIRST}\n\n{SECOND}"


def test_title_hint_wins_over_a_different_first_line():
    result = clean_article(story_page(), title="Ports plan passes")
    assert result.title == "Ports plan passes"
    assert result.body.startswith(TITLE)  # not the record's headline: left for the reviewer to see


def test_a_long_first_paragraph_is_not_taken_as_title():
    long_first = " ".join([FIRST, SECOND])
    result = clean_article(page(long_first, "", SECOND))
    assert result.title == ""
    assert result.body == f"{long_first}\n\n{SECOND}"


# --- byline ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Petra Lind", "Petra Lind"),
        ("by Chief Editor", "Chief Editor"),
        ("By: |", ""),
        ("BY PETRA LIND AND JON HALDEN", "Petra Lind and Jon Halden"),
        ("Written by Anna de la Cruz", "Anna de la Cruz"),
        ("Author: Jon Halden", "Jon Halden"),
        ("By Petra Olson", "Petra Olson"),
        ("By 김하나", "김하나"),
    ],
)
def test_byline_lines_become_the_byline_and_leave_the_body(line, byline):
    text = story_page("", line)
    result = clean_article(text)
    assert result.byline == byline
    assert RemovedLine(3, line, "byline") in result.removed
    assert result.body == f"{FIRST}\n\n{SECOND}"


@pytest.mark.parametrize(
    ("lines", "byline"),
    [
        (("Petra Lind, Science Correspondent", "Jan. 8, 2021"), "Petra Lind"),
        (("Petra Lind", "Jan. 8, 2021"), "Petra Lind"),
        (("By Petra Lind, North Coast Wire", "Jan. 8, 2021"), "Petra Lind"),
        (("Ledger Staff — 8 January 2021, 18:30",), "Ledger Staff"),
        (("BY PETRA LIND | NORTH COAST WIRE", "Updated Jan. 8, 2021"), "Petra Lind"),
    ],
)
def test_bylines_without_by_or_with_an_affiliation(lines, byline):
    result = clean_article(story_page("", *lines))
    assert result.byline == byline
    assert result.published_at.date() == datetime(2021, 1, 8).date()
    assert result.dateline == ""
    assert result.body == f"{FIRST}\n\n{SECOND}"


def test_a_short_line_without_a_date_under_the_title_is_not_a_byline():
    result = clean_article(page(TITLE, "", "Petra Lind", "", FIRST))
    assert result.byline == ""
    assert result.body == f"Petra Lind\n\n{FIRST}"


def test_byline_with_date_on_one_line():
    result = clean_article(story_page("By Petra Lind | January 6, 2021 1:42 PM"))
    assert result.byline == "Petra Lind"
    assert result.published_at == datetime(2021, 1, 6, 13, 42, tzinfo=UTC)


def test_sentence_starting_with_by_is_not_a_byline():
    sentence = "By the end of the year, the first breakwater should be finished."
    result = clean_article(page(TITLE, "", sentence, "", FIRST))
    assert result.byline == ""
    assert result.body == f"{sentence}\n\n{FIRST}"


def test_byline_hint_wins():
    result = clean_article(story_page("By Petra Lind"), byline="By Jon Halden")
    assert result.byline == "Jon Halden"
    assert reasons(result)["By Petra Lind"] == "byline"


# --- publication date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("January 06, 2021 1:42 PM", datetime(2021, 1, 6, 13, 42, tzinfo=UTC)),
        ("2021-07-01T10:04:00+09:00", datetime(2021, 7, 1, 10, 4, tzinfo=KST)),
        ("Jan. 8, 2021", datetime(2021, 1, 8, tzinfo=UTC)),
        ("8 January 2021", datetime(2021, 1, 8, tzinfo=UTC)),
        ("Updated: January 8, 2021 10:04 AM IST", datetime(2021, 1, 8, 10, 4, tzinfo=IST)),
        ("Published: 8 January 2021", datetime(2021, 1, 8, tzinfo=UTC)),
        ("Posted on Friday, 8th of January, 2021 at 3 p.m.", datetime(2021, 1, 8, 15, tzinfo=UTC)),
        ("10:04 KST, Jan 6, 2021", datetime(2021, 1, 6, 10, 4, tzinfo=KST)),
        ("Sept 30, 2021, 11:00 PM GMT+5:30", datetime(2021, 9, 30, 23, tzinfo=IST)),
        ("07/01/2021", datetime(2021, 7, 1, tzinfo=UTC)),
        ("13.01.2021 08:30", datetime(2021, 1, 13, 8, 30, tzinfo=UTC)),
    ],
)
def test_date_lines_under_the_title_give_the_publication_date(line, expected):
    text = story_page("", line)
    result = clean_article(text)
    assert result.published_at == expected
    assert result.published_at.tzinfo is not None
    assert RemovedLine(3, line, "date") in result.removed
    assert line not in result.body


def test_year_first_dateline_gives_date_time_and_place():
    line = "2021 Jul 01, 10:04, LINDQVAR, Karvenia"
    result = clean_article(story_page("", line))
    assert result.published_at == datetime(2021, 7, 1, 10, 4, tzinfo=UTC)
    assert result.dateline == "LINDQVAR, Karvenia"
    assert RemovedLine(3, line, "dateline") in result.removed


def test_time_printed_apart_from_its_date():
    result = clean_article(story_page("", "Mar 26, 2021 · 8:00 AM"))
    assert result.published_at == datetime(2021, 3, 26, 8, tzinfo=UTC)


def test_published_beats_updated_whatever_the_order():
    text = story_page("Updated: March 9, 2021 8:00 AM", "Published: March 5, 2021 6:30 PM")
    assert clean_article(text).published_at == datetime(2021, 3, 5, 18, 30, tzinfo=UTC)


def test_dates_combined_on_one_line_with_separators():
    text = story_page("Published: March 5, 2021 | Updated: March 9, 2021")
    result = clean_article(text)
    assert result.published_at == datetime(2021, 3, 5, tzinfo=UTC)
    assert reasons(result)["Published: March 5, 2021 | Updated: March 9, 2021"] == "date"


def test_repeated_page_date_at_the_top_is_not_the_publication_date():
    text = page("Thursday Sep 15, 2022", "Thursday Sep 15, 2022", "", TITLE, "", "Jan. 8, 2021", "", FIRST)
    result = clean_article(text)
    assert result.published_at == datetime(2021, 1, 8, tzinfo=UTC)
    assert [(r.line, r.reason) for r in result.removed] == [
        (1, "page-date"), (2, "page-date"), (4, "title"), (6, "date")
    ]


def test_single_date_before_the_title_is_the_scrape_date():
    text = page("Thursday Sep 15, 2022", "", TITLE, "", FIRST)
    result = clean_article(text)
    assert result.published_at is None
    assert RemovedLine(1, "Thursday Sep 15, 2022", "page-date") in result.removed


def test_page_date_printed_again_under_the_title_is_still_a_page_date():
    text = page("Sep 15, 2022", "", TITLE, "Sep 15, 2022", "Jan. 8, 2021", "", FIRST)
    result = clean_article(text)
    assert result.published_at == datetime(2021, 1, 8, tzinfo=UTC)
    assert RemovedLine(4, "Sep 15, 2022", "page-date") in result.removed


def test_untitled_text_with_a_title_hint_keeps_its_single_top_date():
    result = clean_article(page("Jan. 8, 2021", "", FIRST), title="Ports plan passes")
    assert result.published_at == datetime(2021, 1, 8, tzinfo=UTC)
    assert result.body == FIRST


@pytest.mark.parametrize("line", ["Updated 2 hours ago", "Posted yesterday", "a few minutes ago"])
def test_relative_dates_are_ignored(line):
    result = clean_article(story_page("", line))
    assert result.published_at is None
    assert reasons(result)[line] == "page-date"


def test_title_mentioning_today_is_a_title_not_a_relative_date():
    text = page("Karvenia votes today on the ports plan", "", FIRST)
    result = clean_article(text)
    assert result.title == "Karvenia votes today on the ports plan"
    assert result.body == FIRST


def test_dates_inside_story_sentences_are_not_publication_dates():
    sentence = "The previous plan, announced on March 3, 2019, was abandoned within a year."
    result = clean_article(page(TITLE, "", sentence, "", FIRST))
    assert result.published_at is None
    assert result.body.startswith(sentence)


def test_labelled_date_line_at_the_bottom_is_used_when_the_top_has_none():
    text = story_page(footer=("Published: March 5, 2021",))
    result = clean_article(text)
    assert result.published_at == datetime(2021, 3, 5, tzinfo=UTC)
    assert reasons(result)["Published: March 5, 2021"] == "date"


def test_non_english_date_line_is_read_by_the_fallback_parser():
    result = clean_article(story_page("", "11 de agosto de 2022"))
    assert result.published_at == datetime(2022, 8, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("2021-03-05T18:30:00Z", datetime(2021, 3, 5, 18, 30, tzinfo=UTC)),
        ("Fri, 05 Mar 2021 18:30:00 +0900", datetime(2021, 3, 5, 18, 30, tzinfo=KST)),
        ("1614969000", datetime(2021, 3, 5, 18, 30, tzinfo=UTC)),
        ("March 5, 2021", datetime(2021, 3, 5, tzinfo=UTC)),
    ],
)
def test_published_hint_wins_over_the_text(hint, expected):
    result = clean_article(story_page("", "Jan. 8, 2021"), published=hint)
    assert result.published_at == expected


def test_unreadable_published_hint_falls_back_to_detection():
    result = clean_article(story_page("", "Jan. 8, 2021"), published="sometime last winter")
    assert result.published_at == datetime(2021, 1, 8, tzinfo=UTC)


def test_find_date_reports_the_span_it_read():
    found = find_date("Posted 2021 Jul 01, 10:04, LINDQVAR")
    assert (found.value, found.start, found.end) == (datetime(2021, 7, 1, 10, 4, tzinfo=UTC), 7, 25)


@pytest.mark.parametrize("text", ["", "sometime last winter", "2 hours ago", "2021", "Feb 30, 2021", "Jan 1, 1850"])
def test_parse_date_refuses_non_dates(text):
    assert parse_date(text) is None


# --- dateline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "place"),
    [
        ("LINDQVAR (AP) — ", "LINDQVAR"),
        ("PORT ALDANE, March 3 (Reuters) - ", "PORT ALDANE"),
        ("LINDQVAR, Karvenia (AP) — ", "LINDQVAR, Karvenia"),
        ("LINDQVAR — ", "LINDQVAR"),
        ("PORT ALDANE: ", "PORT ALDANE"),
    ],
)
def test_in_paragraph_dateline_is_stripped_and_recorded(prefix, place):
    text = page(TITLE, "", prefix + FIRST, "", SECOND)
    result = clean_article(text)
    assert result.dateline == place
    assert result.body == f"{FIRST}\n\n{SECOND}"
    assert RemovedLine(3, prefix.strip(), "dateline") in result.removed


@pytest.mark.parametrize("start", ["BREAKING: ", "EXCLUSIVE — ", "NATO (North Atlantic Treaty Organization) — "])
def test_labels_and_acronyms_in_capitals_are_not_datelines(start):
    result = clean_article(page(TITLE, "", start + FIRST))
    assert (result.dateline, result.outlet) == ("", "")
    assert result.body == start + FIRST


def test_place_line_after_a_date_line_is_the_dateline():
    result = clean_article(story_page("Jan. 8, 2021", "LINDQVAR, Karvenia"))
    assert result.dateline == "LINDQVAR, Karvenia"
    assert reasons(result)["LINDQVAR, Karvenia"] == "dateline"


# --- outlet ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "outlet"),
    [
        ("© Harbor Ledger. 2021 All rights reserved. | Karvenia's First Paper", "Harbor Ledger"),
        ("Copyright © 2021 The Karvenia Daily Post. All rights reserved.", "The Karvenia Daily Post"),
        ("Published by Harbor Ledger Media Ltd", "Harbor Ledger Media Ltd"),
        ("North Coast Wire is now on Telegram. Click here to join our channel.", "North Coast Wire"),
        ("Source: North Coast Wire", "North Coast Wire"),
    ],
)
def test_outlet_is_read_from_footer_lines(footer, outlet):
    result = clean_article(story_page(footer=(footer,)))
    assert result.outlet == outlet
    assert footer not in result.body


def test_outlet_line_under_a_repeated_title():
    text = page(TITLE, "", FIRST, "", TITLE, "Voice of Karvenia", "", SECOND)
    result = clean_article(text)
    assert result.outlet == "Voice of Karvenia"
    assert reasons(result)["Voice of Karvenia"] == "outlet"


def test_outlet_label_beside_the_byline():
    result = clean_article(story_page("", "Karvenia Daily Post | Petra Lind, Correspondent", "6 March 2021"))
    assert (result.outlet, result.byline) == ("Karvenia Daily Post", "Petra Lind")


def test_masthead_above_the_menu_bar_is_the_outlet_not_the_title():
    text = page("Harbor Ledger Online", "Menu   Search   Share", "", TITLE, "", FIRST)
    result = clean_article(text)
    assert (result.title, result.outlet) == (TITLE, "Harbor Ledger Online")
    assert RemovedLine(1, "Harbor Ledger Online", "outlet") in result.removed


@pytest.mark.parametrize(
    ("footer", "outlet"),
    [
        (("Karvenia Daily Post · 3 Mill Lane, Lindqvar · Tel. (045) 555-0148",), "Karvenia Daily Post"),
        (("More from The Harbor Ledger", "Ferry timetable changes from April 1"), "The Harbor Ledger"),
    ],
)
def test_outlet_from_contact_footer_or_more_from_list(footer, outlet):
    assert clean_article(story_page(footer=footer)).outlet == outlet


def test_more_from_a_section_is_not_an_outlet():
    assert clean_article(story_page(footer=("More from Northern Europe", "Ferry strike ends"))).outlet == ""


def test_byline_affiliation_is_the_outlet_only_as_a_last_resort():
    text = story_page("", "Petra Lind, North Coast Wire", "6 March 2021")
    assert clean_article(text).outlet == "North Coast Wire"
    assert clean_article(text.replace(SECOND, SECOND + "\n\n© Harbor Ledger 2021")).outlet == "Harbor Ledger"


def test_copyright_name_beats_the_publishing_company():
    footer = ("Published by Harbor Ledger Media Ltd", "© Harbor Ledger. 2021")
    assert clean_article(story_page(footer=footer)).outlet == "Harbor Ledger"


def test_read_full_article_is_not_an_outlet():
    assert clean_article(story_page(footer=("Source: Read Full Article",))).outlet == ""


def test_agency_in_the_dateline_is_the_last_resort_outlet():
    result = clean_article(page(TITLE, "", "LINDQVAR (AP) — " + FIRST))
    assert result.outlet == "AP"


def test_no_outlet_when_the_text_reveals_none():
    assert clean_article(story_page()).outlet == ""


# --- hints together -------------------------------------------------------------------------------


def test_all_hints_win_over_detection():
    text = story_page("By Petra Lind", "Jan. 8, 2021", footer=("© Harbor Ledger. 2021",))
    result = clean_article(
        text, title="Ports plan passes", byline="Jon Halden", published="2021-03-05", source="North Coast Wire"
    )
    assert (result.title, result.byline, result.outlet) == ("Ports plan passes", "Jon Halden", "North Coast Wire")
    assert result.published_at == datetime(2021, 3, 5, tzinfo=UTC)


def test_detection_without_hints_reads_everything_from_the_text():
    text = story_page("By Petra Lind", "Jan. 8, 2021", footer=("© Harbor Ledger. 2021",))
    result = clean_article(text)
    assert (result.title, result.byline, result.outlet) == (TITLE, "Petra Lind", "Harbor Ledger")
    assert result.published_at == datetime(2021, 1, 8, tzinfo=UTC)
    assert result.body == f"{FIRST}\n\n{SECOND}"


def test_story_sentence_opening_with_the_title_hint_stays_in_the_body():
    first = ("The harbour board of Lowmere voted on Tuesday to close the old ferry terminal after inspectors "
             "found deep cracks in the concrete pier that has served commuters for sixty years.")
    cleaned = clean_article(first + "\n\nA second paragraph follows here.", title="The harbour board of Lowmere voted")
    assert cleaned.body.startswith("The harbour board of Lowmere voted on Tuesday")
    assert cleaned.title == "The harbour board of Lowmere voted"
    assert cleaned.removed == ()
