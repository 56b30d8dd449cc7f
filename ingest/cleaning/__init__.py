"""Pure text cleaning for imported news: the article apart from the page, plus its metadata.

``clean_article`` takes the text a reader produced and returns the story's paragraphs,
title, byline, publication date, dateline and outlet, and every line it removed with a
reason a reviewer can read (``REMOVAL_REASONS``). No Django imports: runs in worker processes.
"""

from dataclasses import dataclass
from datetime import datetime

from .boilerplate import (
    REMOVAL_REASONS,
    Page,
    RemovedLine,
    build_paragraphs,
    classify_lines,
    drop_repeated_lede,
    find_outlet,
    mark_related_blocks,
    mark_repeated_title,
    mark_tail,
    strip_inline_dateline,
)
from .dates import best_date, parse_date
from .metadata import mark_dated_lines, read_header

__all__ = ["REMOVAL_REASONS", "CleanedArticle", "RemovedLine", "clean_article"]

_BY_PREFIX = ("by ", "by:")


@dataclass(frozen=True, slots=True)
class CleanedArticle:
    """An article's text and metadata after cleaning, with what was removed and why."""

    title: str
    body: str  # paragraphs joined by "\n\n", whitespace inside a paragraph collapsed
    byline: str  # "Jane Doe" (without "By"), "" if none
    published_at: datetime | None  # timezone-aware; UTC when the text gives no zone
    dateline: str  # the dateline's place ("SEOUL, South Korea"), "" if none
    outlet: str  # the outlet's name when the text reveals it, else ""
    removed: tuple[RemovedLine, ...]


def clean_article(
    text: str, *, title: str = "", byline: str = "", published: str = "", source: str = ""
) -> CleanedArticle:
    """Separate the article in ``text`` from page chrome and read its metadata.

    Keyword hints come from structured records and win over what the text shows; an
    unreadable ``published`` hint falls back to detection. Pure and deterministic: the
    same input always gives the same result. Whitespace-only text gives an empty body.
    """
    page = Page(text)
    if page.is_blank():
        return CleanedArticle(
            _one_line(title), "", _clean_byline(byline), _parse_hint(published), "", source.strip(), ()
        )
    classify_lines(page)
    header = read_header(page, title_hint=_one_line(title))
    start = header.story_start
    mark_related_blocks(page, start)
    mark_repeated_title(page, [title, header.title], start)
    later_dates = mark_dated_lines(page, start)
    mark_tail(page, start)
    paragraphs = drop_repeated_lede(page, build_paragraphs(page))
    inline_place, agency = strip_inline_dateline(page, paragraphs)
    return CleanedArticle(
        title=_one_line(title) or header.title,
        body="\n\n".join(paragraph.text for paragraph in paragraphs if paragraph.text),
        byline=_clean_byline(byline) or header.byline or "",
        published_at=_parse_hint(published) or best_date(header.dates + later_dates),
        dateline=header.place or inline_place,
        outlet=source.strip()
        or find_outlet(page, label=header.outlet, affiliation=header.affiliation, agency=agency),
        removed=page.removed(),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean_byline(text: str) -> str:
    text = _one_line(text)
    if text.lower().startswith(_BY_PREFIX):
        text = text[3:].lstrip(" :")
    return text


def _parse_hint(published: str) -> datetime | None:
    return parse_date(published) if published and published.strip() else None
