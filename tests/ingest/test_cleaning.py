"""Cleaning separates a news article from the page around it (pure, no database).

All fixtures are fictional; they reproduce the kinds of junk found in scraped news pages.
Timing check, by hand: ``.venv/bin/python -m tests.ingest.test_cleaning``.
"""

import time

import pytest

from ingest.cleaning import REMOVAL_REASONS, CleanedArticle, RemovedLine, clean_article

TITLE = "Karvenia approves plan to rebuild its northern ports"
STORY = [
    "Karvenia's parliament approved a sweeping plan on Tuesday to rebuild the country's northern ports, "
    "ending months of argument over who should pay for the work and how quickly it should begin.",
    "President Ilse Marrow called the vote “a promise kept to every fishing town that was told to wait,” "
    "and said the first contracts would be signed before the spring storms arrive.",
    "The plan sets aside 4.2 billion crowns over six years for breakwaters, cold-storage depots and a rail "
    "spur to Port Aldane, the busiest of the northern harbours.",
    "Opposition lawmakers said the budget relied on optimistic forecasts for fish exports. “The numbers were "
    "written by people who have never seen a winter at sea,” said Tobin Reyes, who leads the Coastal Union bloc.",
    "Economists at the Orrin Institute estimated that the ports handle about a third of the country's food "
    "imports, and that delays last year added nearly 9% to the price of flour in inland towns.",
    "The government said the first phase would start at Port Aldane in March, with smaller harbours to "
    "follow once the engineering surveys are finished.",
]


def page(*lines: str) -> str:
    """A scraped page: one argument per line."""
    return "\n".join(lines)


def with_story(*before: str, after: tuple[str, ...] = ()) -> str:
    """TITLE, the given lines, the story paragraphs (blank-line separated), then ``after``."""
    story = []
    for paragraph in STORY:
        story += [paragraph, ""]
    return page(TITLE, "", *before, *story, *after)


def line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def assert_removed(text: str, result: CleanedArticle, line: str, reason: str) -> RemovedLine:
    """``line`` left the body and is recorded with ``reason`` and its line number."""
    matches = [removed for removed in result.removed if removed.text == line]
    assert matches, f"not removed: {line!r}; removed: {result.removed}"
    assert (matches[0].reason, matches[0].line) == (reason, line_of(text, line))
    assert line.strip() not in result.body
    return matches[0]


def assert_story_intact(result: CleanedArticle) -> None:
    assert result.body.split("\n\n") == STORY


# --- page chrome: navigation, read-more, related stories -------------------------------------


def test_navigation_chrome_is_removed():
    text = with_story("Must Read", "", after=("You may also like", "", "Leave a Comment"))
    result = clean_article(text)
    for line in ("Must Read", "You may also like", "Leave a Comment"):
        assert_removed(text, result, line, "navigation")
    assert_story_intact(result)


def test_breadcrumb_menu_is_navigation():
    text = with_story("Home | World | Northern Europe", "")
    result = clean_article(text)
    assert_removed(text, result, "Home | World | Northern Europe", "navigation")
    assert_story_intact(result)


@pytest.mark.parametrize("line", ["Read Full Article", "Source: Read Full Article", "Continue reading"])
def test_read_more_links_are_removed(line):
    text = with_story(after=(line,))
    result = clean_article(text)
    assert_removed(text, result, line, "read-more")
    assert_story_intact(result)


def test_next_stories_block_with_numbered_headlines_is_removed():
    headlines = (
        "1Ferry strike ends after\u00a0talks", "2Storm closes mountain passes in the\u00a0east", "3Museum opens"
    )
    text = with_story(after=("Next Stories", *headlines))
    result = clean_article(text)
    assert_removed(text, result, "Next Stories", "navigation")
    for headline in headlines:
        assert_removed(text, result, headline, "related-stories")
    assert_story_intact(result)


def test_latest_news_headline_and_cut_off_teaser_are_removed():
    teaser = "Glimmer Town is a cartoon channel for toddlers. Its songs aim to teach counting with catchy and..."
    text = with_story(after=("\u00a0", "", "Latest News", "", "Glimmer Town Top 10 Songs", "", teaser))
    result = clean_article(text)
    assert_removed(text, result, "Latest News", "navigation")
    assert_removed(text, result, "Glimmer Town Top 10 Songs", "related-stories")
    assert_removed(text, result, teaser, "related-stories")
    assert_story_intact(result)


def test_related_list_in_mid_article_ends_at_the_next_real_paragraph():
    lines = [TITLE, "", STORY[0], "", "Related Stories", "Port workers vote on new contract", "Rail spur delayed",
             "", *[line for paragraph in STORY[1:] for line in (paragraph, "")]]
    text = page(*lines)
    result = clean_article(text)
    assert_removed(text, result, "Port workers vote on new contract", "related-stories")
    assert_removed(text, result, "Rail spur delayed", "related-stories")
    assert_story_intact(result)


def test_inline_also_read_link_is_related_stories():
    text = with_story(after=("Also read: Fish prices climb for a third month",))
    result = clean_article(text)
    assert_removed(text, result, "Also read: Fish prices climb for a third month", "related-stories")


def test_advertisement_marker_mid_article_is_removed():
    lines = [TITLE, "", STORY[0], "", "Advertisement", "", *[line for p in STORY[1:] for line in (p, "")]]
    text = page(*lines)
    result = clean_article(text)
    assert_removed(text, result, "Advertisement", "advertising")
    assert_story_intact(result)


# --- pleas: newsletter, social, promos ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to our newsletter for the latest updates.",
        "Stay informed! Explore more articles on coastal affairs on our website. Subscribe to our newsletter.",
        "Sign up for our free morning newsletter",
    ],
)
def test_newsletter_pleas_are_removed(line):
    text = with_story(after=(line,))
    result = clean_article(text)
    assert_removed(text, result, line, "newsletter")
    assert_story_intact(result)


@pytest.mark.parametrize(
    "line",
    [
        "Harbor Ledger is now on Telegram. Click here to join our channel and stay updated with the latest news.",
        "Like us on Facebook and follow us on Twitter.",
        "Share this article",
    ],
)
def test_social_pleas_are_removed(line):
    text = with_story(after=(line,))
    result = clean_article(text)
    assert_removed(text, result, line, "social")
    assert_story_intact(result)


def test_market_data_promo_blurb_is_removed():
    blurb = (
        "Get live Stock Prices from the Lindqvar exchange and latest fund prices, check out latest IPO News, "
        "Best Performing IPOs, calculate your tax with our calculator, and know the market's Top Gainers and "
        "Top Losers. Like us on Facebook and follow us on Twitter."
    )
    text = with_story(after=(blurb,))
    result = clean_article(text)
    assert_removed(text, result, blurb, "promo")
    assert_story_intact(result)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Get live quotes from the Lindqvar Exchange: HRBR ▲2.1% | KVNX ▼0.3% — open a free account today.", "promo"),
        ("Premium readers get our analysis first. Upgrade now and save 30%.", "newsletter"),
        ("Subscribe to Harbor Ledger — your first month for 1 crown. Cancel anytime.", "newsletter"),
        ("Sign up for the Ledger's Weekend Letter, every Saturday morning.", "newsletter"),
        ("Follow @LedgerSport for live updates from the final.", "social"),
        ("Share this article: Facebook | X | Email | Print", "social"),
        ("(c) North Coast Wire 2021. Redistribution without permission is prohibited.", "copyright"),
        ("Harbor Ledger · 14 Dock Road, Port Aldane · Tel. (041) 555-0192", "contact"),
        ("View non-AMP version", "navigation"),
    ],
)
def test_more_site_pleas_and_footers_are_removed(line, reason):
    text = with_story(after=(line,))
    result = clean_article(text)
    assert_removed(text, result, line, reason)
    assert_story_intact(result)


def test_menu_bar_of_navigation_words_is_removed():
    text = with_story("Menu   Search   Share", "")
    result = clean_article(text)
    assert_removed(text, result, "Menu   Search   Share", "navigation")
    assert_story_intact(result)


def test_video_teaser_lines_at_the_top_are_removed():
    text = with_story(
        "North Coast Wire Flash top headlines for March 4", "",
        "North Coast Wire Flash top headlines are here. Check out what's clicking on", "",
    )
    result = clean_article(text)
    assert_removed(text, result, "North Coast Wire Flash top headlines for March 4", "promo")
    assert_removed(text, result, "North Coast Wire Flash top headlines are here. Check out what's clicking on", "promo")
    assert result.published_at is None  # "March 4" in a teaser is not the publication date
    assert_story_intact(result)


# --- footers: e-mail protection, contact, imprint, copyright -----------------------------------


def test_email_protection_placeholders_are_removed():
    text = with_story(after=("[email\u00a0protected]", "", "[email protected] [email protected]"))
    result = clean_article(text)
    assert_removed(text, result, "[email\u00a0protected]", "email-protection")
    assert_removed(text, result, "[email protected] [email protected]", "email-protection")
    assert "protected" not in result.body


def test_contact_imprint_and_copyright_footer_is_removed():
    footer = (
        "Karvenia's Oldest Online Paper",
        "Published by Harbor Ledger Media Ltd",
        "Editor: Petra Lind",
        "Press Council Registration No. 2207 / 081-82",
        "",
        "Dock Road 14,",
        "Port Aldane, Karvenia",
        "",
        "+355–02–5550123 / 5550124",
        "",
        "Terms of Use Disclaimer",
        "© Harbor Ledger. 2021 All rights reserved.\u00a0| Karvenia's First Paper",
    )
    text = with_story(after=footer)
    result = clean_article(text)
    assert_removed(text, result, "Karvenia's Oldest Online Paper", "footer")
    assert_removed(text, result, "Published by Harbor Ledger Media Ltd", "imprint")
    assert_removed(text, result, "Editor: Petra Lind", "imprint")
    assert_removed(text, result, "Press Council Registration No. 2207 / 081-82", "imprint")
    assert_removed(text, result, "Dock Road 14,", "contact")
    assert_removed(text, result, "Port Aldane, Karvenia", "contact")
    assert_removed(text, result, "+355–02–5550123 / 5550124", "contact")
    assert_removed(text, result, "Terms of Use Disclaimer", "footer")
    assert_removed(text, result, footer[-1], "copyright")
    assert_story_intact(result)


def test_contact_lines_with_labels_are_removed():
    text = with_story(after=("Phone: +355 2 555 0199", "Email: desk@harborledger.example"))
    result = clean_article(text)
    assert_removed(text, result, "Phone: +355 2 555 0199", "contact")
    assert_removed(text, result, "Email: desk@harborledger.example", "contact")


# --- captions and credits ----------------------------------------------------------------------


def test_caption_ending_in_photo_source_and_glued_alt_text_is_removed():
    caption = "Ilse MarrowIlse Marrow also hinted at a cabinet reshuffle. (Photo source: Harbor Ledger)"
    text = with_story(caption, "")
    result = clean_article(text)
    assert_removed(text, result, caption, "caption")
    assert_story_intact(result)


def test_glued_alt_text_alone_marks_a_short_caption():
    caption = "Tobin ReyesTobin Reyes speaks to reporters in Lindqvar."
    text = with_story(caption, "")
    assert_removed(text, clean_article(text), caption, "caption")


def test_caption_paragraphs_ending_in_agency_credits_are_removed():
    first = "Dockworkers unload a trawler in Port Aldane, Karvenia, on Monday. (AP/Karvenia State News/Pool)"
    second = (
        "President Ilse Marrow inspects a breakwater near Lindqvar. She said repairs would begin soon, "
        "state media reported. (AP Photo/Jon Halden)"
    )
    lines = [TITLE, "", STORY[0], "", first, "", "", *[ln for p in STORY[1:4] for ln in (p, "")], second, "", "",
             *[ln for p in STORY[4:] for ln in (p, "")]]
    text = page(*lines)
    result = clean_article(text)
    assert_removed(text, result, first, "caption")
    assert_removed(text, result, second, "caption")
    assert_story_intact(result)


def test_in_this_file_photo_caption_ending_in_photo_credit_is_removed():
    caption = (
        "In this March 3, 2021, file photo provided by the Karvenian government, President Ilse Marrow speaks "
        "in Lindqvar. Independent journalists could not verify the scene shown. Photo: AP"
    )
    text = with_story(caption, "")
    result = clean_article(text)
    assert_removed(text, result, caption, "caption")
    assert result.published_at is None  # the date inside a caption is not the publication date
    assert_story_intact(result)


@pytest.mark.parametrize("line", ["File photo", "Image: Harbor Ledger", "(Photo source: Karvenia State News)"])
def test_credit_lines_are_photo_credits(line):
    text = with_story(line, "")
    result = clean_article(text)
    assert_removed(text, result, line, "photo-credit")
    assert_story_intact(result)


def test_file_photo_caption_is_removed():
    caption = "File photo of the old customs house in Port Aldane, which will become a training school."
    text = with_story(caption, "")
    assert_removed(text, clean_article(text), caption, "caption")


# --- tags, repeats -------------------------------------------------------------------------------


def test_tag_line_after_the_story_is_removed():
    tags = "Karvenia Ilse Marrow Port Aldane Coastal Union Orrin Institute ports"
    text = with_story(after=(tags,))
    result = clean_article(text)
    assert_removed(text, result, tags, "tags")
    assert_story_intact(result)


def test_labelled_tag_list_is_removed():
    text = with_story(after=("Tags: Karvenia, ports, budget",))
    assert_removed(text, clean_article(text), "Tags: Karvenia, ports, budget", "tags")


def test_repeated_title_and_outlet_line_mid_article_are_removed_once():
    lines = [TITLE, "", STORY[0], "", STORY[1], "", TITLE, "Harbor Ledger", "",
             *[ln for p in STORY[2:] for ln in (p, "")]]
    text = page(*lines)
    result = clean_article(text)
    repeated = [r for r in result.removed if r.text == TITLE]
    assert [(r.line, r.reason) for r in repeated] == [(1, "title"), (7, "repeated-title")]
    assert_removed(text, result, "Harbor Ledger", "outlet")
    assert result.title == TITLE
    assert TITLE not in result.body
    assert_story_intact(result)


def test_standfirst_repeated_as_a_paragraph_appears_once():
    standfirst = "The rebuilding plan -- approved after months of argument -- covers six northern ports."
    full = (
        "The rebuilding plan — approved after months of argument — covers six northern ports. Work is due to "
        "start in March at Port Aldane."
    )
    text = page(TITLE, "", standfirst, "", STORY[0], "", full, "", STORY[1])
    result = clean_article(text)
    assert_removed(text, result, standfirst, "repeated-lede")
    assert result.body.split("\n\n") == [STORY[0], full, STORY[1]]


def test_identical_lede_printed_twice_keeps_the_first():
    text = page(TITLE, "", STORY[0], "", STORY[0], "", STORY[1])
    result = clean_article(text)
    assert result.body.split("\n\n") == [STORY[0], STORY[1]]
    assert [(r.line, r.reason) for r in result.removed if r.reason == "repeated-lede"] == [(5, "repeated-lede")]


# --- the story itself stays ----------------------------------------------------------------------


def test_real_paragraphs_mentioning_subscribe_and_facebook_survive():
    mentions = [
        "Readers who subscribe to the harbour authority's newsletter were the first to learn of the delay, and "
        "several fishing cooperatives said they had followed the debate on Facebook and Twitter for weeks.",
        "Protest organisers coordinated through a Telegram channel, the police said.",
        "Shipping rates rose 3% in the quarter, a survey of brokers showed. (Reuters)",
        "In this image-conscious era, the ministry hired a designer for the new harbour signs.",
        "By the end of the year, the first breakwater should be finished.",
        "Copyright lawyers said the new harbour logo was safe to use.",
        "Boat registration no longer needs a visit to Lindqvar, the ministry said.",
        "Home owners near the docks will be offered new windows.",
    ]
    text = page(TITLE, "", *[ln for p in STORY[:2] + mentions + STORY[2:] for ln in (p, "")])
    result = clean_article(text)
    assert result.body.split("\n\n") == STORY[:2] + mentions + STORY[2:]
    assert [r.reason for r in result.removed] == ["title"]


def test_subheadings_inside_the_story_are_kept():
    text = page(TITLE, "", STORY[0], "", "Who pays for the work?", "", STORY[1], "", "What comes next", "", STORY[2])
    result = clean_article(text)
    assert result.body.split("\n\n") == [STORY[0], "Who pays for the work?", STORY[1], "What comes next", STORY[2]]


def test_body_collapses_whitespace_but_keeps_characters():
    text = page(TITLE, "", "  Rates\u00a0rose\u00a0 again,\tsaid “Ms. Lind” — twice.  ", "", "Second\u2009paragraph.")
    result = clean_article(text)
    assert result.body == "Rates rose again, said “Ms. Lind” — twice.\n\nSecond paragraph."


def test_hard_wrapped_lines_join_into_one_paragraph():
    text = page(TITLE, "", "The harbour plan was approved", "after a long night of debate.", "", STORY[1])
    result = clean_article(text)
    assert result.body.split("\n\n") == ["The harbour plan was approved after a long night of debate.", STORY[1]]


def test_emoji_and_non_latin_scripts_are_untouched():
    paragraphs = [
        "Fishermen cheered 🎉🐟 and one posted 👩‍🔬 with the caption “science wins”.",
        "항구 재건 계획이 화요일 의회에서 승인되었다고 정부가 밝혔다.",
        "وافق البرلمان على خطة إعادة بناء الموانئ الشمالية يوم الثلاثاء.",
        "संसद ने मंगलवार को उत्तरी बंदरगाहों के पुनर्निर्माण की योजना को मंजूरी दी।",
        "港口重建计划周二获得议会批准。",
    ]
    text = page("北部港口重建计划获批", "", *[ln for p in paragraphs for ln in (p, "")])
    result = clean_article(text)
    assert result.title == "北部港口重建计划获批"
    assert result.body.split("\n\n") == paragraphs


@pytest.mark.parametrize("text", ["", "   ", "\n\n \u00a0\n\t\n"])
def test_empty_or_whitespace_only_text_gives_an_empty_body(text):
    result = clean_article(text)
    assert (result.body, result.title, result.removed, result.published_at) == ("", "", (), None)


def test_windows_line_endings_keep_line_numbers():
    text = with_story("Must Read", "").replace("\n", "\r\n")
    result = clean_article(text)
    assert [(r.line, r.reason) for r in result.removed] == [(1, "title"), (3, "navigation")]
    assert_story_intact(result)


def test_removed_lines_are_sorted_and_use_known_reasons():
    footer = ("Leave a Comment", "© Harbor Ledger 2021")
    text = with_story("By Petra Lind", "Jan. 8, 2021", "Must Read", "", after=footer)
    result = clean_article(text)
    assert [r.line for r in result.removed] == sorted(r.line for r in result.removed)
    assert {r.reason for r in result.removed} <= set(REMOVAL_REASONS)
    assert all(REMOVAL_REASONS[reason] for reason in REMOVAL_REASONS)


# --- whole pages in the style of real scrapes --------------------------------------------------


def test_page_with_page_dates_dateline_caption_tags_and_footer():
    caption = (
        "In this February 2, 2021, file photo provided by the Karvenian government, dockworkers repair a crane "
        "in Port Aldane. The content of this image cannot be independently verified. Photo: AP"
    )
    text = page(
        "Friday Sep 16, 2022", "Friday Sep 16, 2022", "", TITLE, "", "2021 Mar 02, 09:15, LINDQVAR, Karvenia", caption,
        "", *[ln for p in STORY for ln in (p, "")],
        "Karvenia Ilse Marrow Port Aldane Coastal Union ports", "Published by Harbor Ledger Media Ltd", "",
        "© Harbor Ledger. 2021 All rights reserved.",
    )
    result = clean_article(text)
    assert [(r.line, r.reason) for r in result.removed] == [
        (1, "page-date"), (2, "page-date"), (4, "title"), (6, "dateline"), (7, "caption"),
        (21, "tags"), (22, "imprint"), (24, "copyright"),
    ]
    assert (result.title, result.dateline, result.outlet) == (TITLE, "LINDQVAR, Karvenia", "Harbor Ledger")
    assert result.published_at.isoformat() == "2021-03-02T09:15:00+00:00"
    assert_story_intact(result)


TIMING_WORDS = 500  # the size the import's speed target is stated for


def _timing_article() -> str:
    """A fictional 500-word page with header and footer junk, for the hand-run timing check."""
    words, body = 0, []
    for paragraph in STORY * 10:
        if words >= TIMING_WORDS:
            break
        body += [paragraph, ""]
        words += len(paragraph.split())
    return page(
        "Friday Sep 16, 2022", "", TITLE, "", "By Petra Lind", "January 06, 2021 1:42 PM", "", *body,
        "Next Stories", "1Ferry strike ends after talks", "2Storm closes passes", "",
        "Harbor Ledger is now on Telegram. Click here to join our channel.", "", "© Harbor Ledger. 2021",
    )


def test_timing_article_cleans_to_its_story():
    result = clean_article(_timing_article())
    assert (result.byline, result.outlet) == ("Petra Lind", "Harbor Ledger")
    assert set(result.body.split("\n\n")) == set(STORY)


if __name__ == "__main__":
    article = _timing_article()
    clean_article(article)
    runs = 2000
    started = time.perf_counter()
    for _ in range(runs):
        clean_article(article)
    elapsed = time.perf_counter() - started
    words = len(clean_article(article).body.split())
    print(f"{words}-word article: {elapsed / runs * 1e6:.0f} µs/article ({runs / elapsed:.0f} articles/s)")
