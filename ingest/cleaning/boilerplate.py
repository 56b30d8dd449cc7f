"""Separate an article from the page around it, line by line, recording why each line went.

Work happens on a ``Page``: the input's lines with one removal reason slot each. Rules run
in passes: line patterns anywhere, then lists of other stories after their headers, the
repeated title, the junk after the last story paragraph, and a lede printed twice.
"""

import re
from dataclasses import dataclass

from . import patterns as p

REMOVAL_REASONS: dict[str, str] = {
    "navigation": "Site navigation or section chrome",
    "read-more": "Link to the full article or to read more",
    "related-stories": "Headlines and teasers of other stories",
    "newsletter": "Newsletter or subscription plea",
    "social": "Social-media plea or share buttons",
    "email-protection": "E-mail address hidden by the site's e-mail protection",
    "contact": "Contact details: address, phone, e-mail",
    "imprint": "Publisher, editor or registration line",
    "copyright": "Copyright notice",
    "footer": "Site footer: legal links, slogans",
    "caption": "Photo caption",
    "photo-credit": "Photo credit",
    "tags": "Tag or keyword list",
    "promo": "Site promotion: video teasers, market-data blurbs",
    "advertising": "Advertisement marker",
    "title": "Headline, moved to the title",
    "repeated-title": "Headline printed again inside the article",
    "repeated-lede": "Standfirst printed again as a paragraph",
    "page-date": "Date the page was viewed on, not the publication date",
    "date": "Publication date line, moved to published_at",
    "byline": "Byline, moved to byline",
    "dateline": "Dateline, moved to dateline",
    "outlet": "Outlet name, moved to outlet",
}

# A line after a related-stories header is another headline when this short and without a full stop.
HEADLINE_MAX_WORDS = 20
# Numbered headlines and cut-off teasers can run longer.
TEASER_MAX_WORDS = 60
# Lines shorter than this get an exact word count; longer ones a cheaper estimate.
EXACT_COUNT_CHARS = 200
# Footer fragments (slogans, address parts) are this short and end without a full stop.
FOOTER_FRAGMENT_WORDS = 12
# Tag lists: several words, almost all capitalised.
TAG_MIN_WORDS, TAG_MAX_WORDS, TAG_CAPITALISED_SHARE = 3, 30, 0.75
# An outlet line under a repeated title is a short name ("Voice of America").
OUTLET_LINE_MAX_WORDS = 6
# A lede shorter than this is too generic to call a repeat.
LEDE_MIN_CHARS = 40
# Paragraphs whose first words differ are not compared in full.
LEDE_PROBE_CHARS, LEDE_PROBE_WORDS = 60, 4
# The repeated lede comes within the first few paragraphs.
LEDE_WINDOW = 4


_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line cleaning took out of the body (for a stripped dateline prefix: that prefix)."""

    line: int  # 1-based line number in the input text
    text: str  # the line as it was
    reason: str  # one of REMOVAL_REASONS


@dataclass(slots=True)
class Paragraph:
    """Kept lines that run together between blank or removed lines, and their joined text."""

    lines: list[int]
    text: str


class Page:
    """The input's lines with a removal reason per line (None while kept)."""

    __slots__ = ("lines", "stripped", "words", "reasons", "extra_removed")

    def __init__(self, text: str):
        self.lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.stripped = [line.strip() for line in self.lines]
        self.words = [_word_count(line) for line in self.stripped]
        self.reasons: list[str | None] = [None] * len(self.lines)
        self.extra_removed: list[RemovedLine] = []

    def is_blank(self) -> bool:
        return not any(self.stripped)

    def mark(self, index: int, reason: str) -> None:
        if self.reasons[index] is None:
            self.reasons[index] = reason

    def kept(self, index: int) -> bool:
        return bool(self.stripped[index]) and self.reasons[index] is None

    def removed(self) -> tuple[RemovedLine, ...]:
        """Every removed line (and stripped prefix) with its reason, in line order."""
        lines = [
            RemovedLine(i + 1, self.lines[i], reason) for i, reason in enumerate(self.reasons) if reason is not None
        ]
        return tuple(sorted(lines + self.extra_removed, key=lambda removed: removed.line))


def _word_count(line: str) -> int:
    if len(line) < EXACT_COUNT_CHARS:
        return len(line.split())
    # Long lines: spaces counted, not words split; double spaces only make a line look longer.
    return line.count(" ") + line.count("\xa0") + 1


def norm_text(text: str) -> str:
    """Case-folded words only, so "--" and "—" or curly and straight quotes compare equal."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def classify_lines(page: Page) -> None:
    """Mark every line that a line rule recognises as chrome, wherever it is."""
    for i, line in enumerate(page.stripped):
        if line:
            reason = p.line_reason(line, page.words[i])
            if reason is not None:
                page.reasons[i] = reason


def is_related_header(line: str) -> bool:
    """Whether ``line`` heads a list of other stories ("Next Stories", "More from Asia")."""
    return p.phrase_key(line) in p.RELATED_HEADERS or bool(p.RELATED_HEADER_START.match(line))


def mark_related_blocks(page: Page, story_start: int) -> None:
    """After each related-stories header below the story start, remove the headlines that follow."""
    in_block = False
    for i in range(story_start, len(page.lines)):
        line = page.stripped[i]
        if not line:
            continue
        if page.reasons[i] is not None:
            in_block = in_block or is_related_header(line)
            continue
        if in_block and _is_headline_like(line, page.words[i]):
            page.reasons[i] = "related-stories"
        else:
            in_block = False


def _is_headline_like(line: str, words: int) -> bool:
    if words <= TEASER_MAX_WORDS and (p.NUMBERED_HEADLINE.match(line) or p.TRUNCATED.search(line)):
        return True
    return words <= HEADLINE_MAX_WORDS and not line.rstrip("'\"”’»)]").endswith(".")


def mark_repeated_title(page: Page, titles: list[str], story_start: int) -> None:
    """Remove the headline printed again inside the article, and an outlet name right under it."""
    wanted = {norm_text(title) for title in titles if title.strip()}
    if not wanted:
        return
    # Only lines about as long as a title are normalised and compared.
    shortest, longest = min(map(len, wanted)), max(map(len, wanted))
    low, high = shortest * 3 // 4 - 2, longest * 5 // 4 + 2
    stripped, reasons = page.stripped, page.reasons
    for i in range(story_start, len(stripped)):
        if low <= len(stripped[i]) <= high and reasons[i] is None and norm_text(stripped[i]) in wanted:
            reasons[i] = "repeated-title"
            _mark_outlet_line(page, i + 1)


def _mark_outlet_line(page: Page, start: int) -> None:
    for i in range(start, min(start + 3, len(page.lines))):
        if not page.stripped[i]:
            continue
        if page.kept(i) and page.words[i] <= OUTLET_LINE_MAX_WORDS and not p.SENTENCE_END.search(page.stripped[i]):
            page.reasons[i] = "outlet"
        return


def mark_tail(page: Page, story_start: int) -> None:
    """Remove junk after the last story paragraph: a tag list, then footer slogans and address parts.

    Walks up from the end. Short fragments count as footer only below other junk; a tag
    list is the fragment right under the story.
    """
    footer_seen, fragments = False, []
    for i in range(len(page.lines) - 1, story_start - 1, -1):
        line = page.stripped[i]
        if not line:
            continue
        if page.reasons[i] is not None:
            footer_seen = True
        elif _is_tag_line(line, page.words[i]) or (
            footer_seen and page.words[i] <= FOOTER_FRAGMENT_WORDS and not p.SENTENCE_END.search(line)
        ):
            fragments.append(i)
        else:
            break
    for i in fragments:
        page.reasons[i] = "contact" if _looks_like_address(page.stripped[i]) else "footer"
    if fragments and _is_tag_line(page.stripped[fragments[-1]], page.words[fragments[-1]]):
        page.reasons[fragments[-1]] = "tags"


def _is_tag_line(line: str, words: int) -> bool:
    if not TAG_MIN_WORDS <= words <= TAG_MAX_WORDS or p.SENTENCE_END.search(line) or ":" in line:
        return False
    tokens = line.replace(",", " ").split()
    if any(token.lower() in p.NOT_IN_TAG_LISTS or token.endswith(("'s", "’s")) for token in tokens):
        return False
    capitalised = sum(1 for token in tokens if token[0].isupper() or not token[0].isalpha())
    return capitalised >= TAG_CAPITALISED_SHARE * len(tokens) and any(t[0].isupper() for t in tokens)


def _looks_like_address(line: str) -> bool:
    return "," in line or any(ch.isdigit() for ch in line)


def build_paragraphs(page: Page) -> list[Paragraph]:
    """Group kept lines into paragraphs; a blank or removed line ends a paragraph."""
    paragraphs: list[Paragraph] = []
    current: list[int] = []
    stripped, reasons = page.stripped, page.reasons
    for i, line in enumerate(stripped):
        if line and reasons[i] is None:
            current.append(i)
        elif current:
            paragraphs.append(_paragraph(stripped, current))
            current = []
    if current:
        paragraphs.append(_paragraph(stripped, current))
    return paragraphs


def _paragraph(stripped: list[str], lines: list[int]) -> Paragraph:
    text = stripped[lines[0]] if len(lines) == 1 else " ".join(stripped[i] for i in lines)
    return Paragraph(lines, " ".join(text.split()))


def _lede_probe(text: str) -> list[str]:
    return norm_text(text[:LEDE_PROBE_CHARS]).split()[:LEDE_PROBE_WORDS]


def drop_repeated_lede(page: Page, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Keep a lede once when it is printed again as (the start of) one of the next paragraphs."""
    if len(paragraphs) < 2:
        return paragraphs
    probe = _lede_probe(paragraphs[0].text)
    first = ""
    for k in range(1, min(len(paragraphs), LEDE_WINDOW + 1)):
        if _lede_probe(paragraphs[k].text) != probe:
            continue  # cheap test on the first words before normalising whole paragraphs
        first = first or norm_text(paragraphs[0].text)
        other = norm_text(paragraphs[k].text)
        if first.startswith(other):
            drop = k  # an identical (or shorter) copy goes the second time
        elif other.startswith(first):
            drop = 0  # the standfirst is the start of a fuller paragraph: it goes
        else:
            continue
        if min(len(first), len(other)) >= LEDE_MIN_CHARS:
            for i in paragraphs[drop].lines:
                page.reasons[i] = "repeated-lede"
            return paragraphs[:drop] + paragraphs[drop + 1:]
    return paragraphs


def strip_inline_dateline(page: Page, paragraphs: list[Paragraph]) -> tuple[str, str]:
    """Cut "WASHINGTON (AP) — " from the start of the first or second paragraph; returns (place, agency)."""
    for paragraph in paragraphs[:2]:
        match = p.INLINE_DATELINE.match(paragraph.text) or p.INLINE_DATELINE_BARE.match(paragraph.text)
        if match is None or match.group("place").upper() in p.NOT_DATELINE_PLACES:
            continue
        prefix = paragraph.text[: match.end()].strip()
        paragraph.text = paragraph.text[match.end():]
        page.extra_removed.append(RemovedLine(paragraph.lines[0] + 1, prefix, "dateline"))
        return match.group("place").strip(), (match.groupdict().get("agency") or "").strip()
    return "", ""


def find_outlet(page: Page, *, label: str = "", affiliation: str = "", agency: str = "") -> str:
    """The outlet's name as the page reveals it, or "".

    Most telling first: an outlet line (under a repeated title, "Source: X", a masthead), a
    label beside the byline, "© X", "X is now on Telegram", "Published by X", a contact
    footer, "More from X", a promo, the byline's affiliation, the dateline's agency.
    """
    lines: dict[str, list[str]] = {}
    for line, reason in zip(page.stripped, page.reasons):
        if reason in p.OUTLET_IN_LINE:
            lines.setdefault(reason, []).append(line)
    candidates = (
        _outlets_in(lines, "outlet"), [label], _outlets_in(lines, "copyright"), _outlets_in(lines, "social"),
        _outlets_in(lines, "imprint"), filter(p.is_outlet_name, _outlets_in(lines, "contact")),
        filter(p.is_outlet_name, _outlets_in(lines, "navigation")), _outlets_in(lines, "promo"),
        [affiliation], [agency],
    )
    for names in candidates:
        for name in names:
            name = " ".join(name.strip(" .,:;|–—-·•").split())
            if _usable_outlet(name):
                return name
    return ""


def _usable_outlet(name: str) -> bool:
    words = len(name.split())
    return 0 < words <= p.OUTLET_NAME_MAX_WORDS and name[0].isalnum() and "read full" not in name.lower()


def _outlets_in(lines: dict[str, list[str]], reason: str) -> list[str]:
    pattern = p.OUTLET_IN_LINE[reason]
    return [match.group("name") for match in map(pattern.search, lines.get(reason, ())) if match]
