"""Metadata from the lines above a story: title, byline, dates, dateline place, outlet.

The header is read from the top until the first story line; only short lines there are
parsed for dates, so date parsing never runs over the whole article. A date printed before
the title (or twice over the title) is the day the page was viewed on, not its publication.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from . import patterns as p
from .boilerplate import Page, norm_text
from .dates import (
    DATE_LABEL,
    RANK_BELOW_STORY,
    RELATIVE_DATE,
    DateMatch,
    find_date,
    label_rank,
    parse_date_fallback,
    with_time_of_day,
)

# Non-blank lines looked at before the story must have started (chrome, title, byline, dates).
HEADER_MAX_LINES = 15
# Byline and date lines are short; longer lines are article text.
HEADER_LINE_MAX_WORDS = 20
# Headlines are rarely longer; a longer first line is the article's first paragraph.
TITLE_MAX_WORDS = 30
# A first line ending in a full stop is a headline only when short.
TITLE_PERIOD_MAX_WORDS = 12
# Names in a byline ("Jane Doe and John Roe"); a name on its own line is shorter still.
BYLINE_MAX_WORDS, NAME_LINE_MAX_WORDS = 10, 5
# dateparser is only asked about this few words: anything longer is not a date line.
FALLBACK_MAX_WORDS = 8
# Dateline places are short ("SEOUL, South Korea").
PLACE_MAX_WORDS = 6

_DIGIT = re.compile(r"\d")
_SEGMENTS = re.compile(r"\s*[|·•]\s*")
_BYLINE = re.compile(
    r"^(?:(?:(?:written|reported|words|story)\s+)?by\b|(?:author|reporter|writer)s?\s*:)\s*:?\s*(?P<rest>.*)$", re.I
)
_NAME_TAIL = re.compile(r"[\s,;:|–—-]*(?:\b(?:(?:last\s+)?updated|published|posted|on)\b)?[\s,;:|–—-]*$", re.I)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?", re.I)
_EDGE = " ,;:|–—-·•"
_PLACE = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*(?:, ?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*){0,2}$")
_SHOUTED_PLACE = re.compile(r"^[A-Z]{2,}[A-Z .'’-]*(?:, ?[A-Z][\w.'’ -]*)?$")


@dataclass(slots=True)
class LineInfo:
    """What one header line says: byline, dates as (rank, value), place, outlets, or a relative date."""

    byline: str | None = None
    dates: list[tuple[int, datetime]] = field(default_factory=list)
    place: str = ""
    outlet: str = ""  # named as a label before the byline: "Kestrel Bay Gazette | Jane Doe"
    affiliation: str = ""  # named after the byline: "By Jane Doe, Northwind Wire"
    relative: bool = False

    @property
    def date_only(self) -> bool:
        return self.byline is None and not (self.place or self.outlet) and bool(self.dates or self.relative)


@dataclass(slots=True)
class Header:
    """Metadata read above the story, and the index of the story's first line."""

    title: str = ""
    byline: str | None = None
    dates: list[tuple[int, datetime]] = field(default_factory=list)
    place: str = ""
    outlet: str = ""
    affiliation: str = ""
    story_start: int = 0


def read_header(page: Page, title_hint: str = "") -> Header:
    """Read title, byline, dates and dateline above the story, marking those lines removed."""
    header, pending, page_dates = Header(), [], set()
    lines = [i for i, line in enumerate(page.stripped) if line][:HEADER_MAX_LINES + 1]
    for n, i in enumerate(lines):
        header.story_start = i
        if n == HEADER_MAX_LINES:
            break
        if page.reasons[i] is not None:
            continue
        line = page.stripped[i]
        info = _header_info(page, lines, n) if header.title else parse_line(line, page.words[i])
        if info is not None and info.date_only and not header.title:
            pending.append(i)
        elif info is not None and info.date_only and norm_text(line) in page_dates:
            page.mark(i, "page-date")
        elif info is not None and _belongs_to_header(info, header):
            _apply(header, page, i, info)
        elif not header.title and _is_masthead(page, lines, n):
            page.mark(i, "outlet")
        elif not header.title and _is_title(line, page.words[i], title_hint):
            header.title = " ".join(line.split())
            page.mark(i, "title")
            page_dates.update(norm_text(page.stripped[j]) for j in pending)
            _mark_all(page, pending, "page-date")
            pending = []
        else:
            break
    else:
        header.story_start = len(page.lines)
    _settle_untitled_dates(header, page, pending)
    return header


def parse_line(line: str, words: int) -> LineInfo | None:
    """Read a short header line made of byline, date, place and outlet parts; None for anything else."""
    if words > HEADER_LINE_MAX_WORDS:
        return None
    info = LineInfo()
    segments = [segment.strip() for segment in _SEGMENTS.split(line) if segment.strip(_EDGE)]
    if not segments or not all(_read_segment(segment, info) for segment in segments):
        return None
    return info


def _header_info(page: Page, lines: list[int], n: int) -> LineInfo | None:
    """A header line's info; a bare name right above a date line ("Jane Doe" / "6 March 2024") is a byline."""
    i = lines[n]
    info = parse_line(page.stripped[i], page.words[i])
    if info is not None or n + 1 >= len(lines) or page.words[i] > NAME_LINE_MAX_WORDS:
        return info
    name = _name_part(page.stripped[i])
    following = parse_line(page.stripped[lines[n + 1]], page.words[lines[n + 1]])
    if name is None or following is None or not following.dates:
        return None
    if p.is_outlet_name(name) and not p.has_word(name, p.ROLE_WORDS):
        return None
    return LineInfo(byline=_normal_name(name))


def _belongs_to_header(info: LineInfo, header: Header) -> bool:
    """A place or outlet alone ("LINDQVAR, Karvenia") counts only next to a byline or date already read."""
    if info.byline is not None or info.dates or info.relative:
        return True
    return bool(header.dates) or header.byline is not None


def _settle_untitled_dates(header: Header, page: Page, pending: list[int]) -> None:
    """Date-only lines with no title after them: scrape dates when repeated, else publication dates."""
    texts = [norm_text(page.stripped[i]) for i in pending]
    for i, text in zip(pending, texts):
        if texts.count(text) > 1:
            page.mark(i, "page-date")
        else:
            _apply(header, page, i, parse_line(page.stripped[i], page.words[i]))


def _apply(header: Header, page: Page, index: int, info: LineInfo) -> None:
    if info.byline is not None:
        reason = "byline"
    elif info.place:
        reason = "dateline"
    else:
        reason = "date" if info.dates else "page-date"
    page.mark(index, reason)
    if header.byline is None:
        header.byline = info.byline
    header.dates.extend(info.dates)
    header.place = header.place or info.place
    header.outlet = header.outlet or info.outlet
    header.affiliation = header.affiliation or info.affiliation


def _mark_all(page: Page, indexes: list[int], reason: str) -> None:
    for i in indexes:
        page.mark(i, reason)


def _is_title(line: str, words: int, hint: str) -> bool:
    if hint:
        line_key, hint_key = norm_text(line), norm_text(hint)
        if line_key == hint_key:
            return True
        # A truncated hint or a headline with a suffix matches, but a story sentence that
        # merely opens with the headline's words does not.
        return _title_sized(line, words) and (
            (len(line_key) >= 20 and hint_key.startswith(line_key))
            or (len(hint_key) >= 20 and line_key.startswith(hint_key))
        )
    return _title_sized(line, words) and any(ch.isalpha() for ch in line)


def _title_sized(line: str, words: int) -> bool:
    return not (words > TITLE_MAX_WORDS or (words > TITLE_PERIOD_MAX_WORDS and line.endswith(".")))


def _is_masthead(page: Page, lines: list[int], n: int) -> bool:
    """The site's name above its menu bar ("Metro Bulletin Online" / "Menu Search Share")."""
    if n + 1 >= len(lines) or page.reasons[lines[n + 1]] != "navigation":
        return False
    return p.is_outlet_name(page.stripped[lines[n]])


def _read_segment(segment: str, info: LineInfo) -> bool:
    byline = _BYLINE.match(segment)
    if byline is not None:
        return _read_byline(byline.group("rest"), info)
    kind = DATE_LABEL.match(segment)
    rest = segment[kind.end():] if kind else segment
    found = find_date(rest)
    if found is not None:
        return _read_dated(rest, found, label_rank(kind), info)
    if RELATIVE_DATE.fullmatch(rest.strip(_EDGE + " .")):
        info.relative = True
        return True
    timed = with_time_of_day(info.dates[-1][1], rest) if info.dates else None
    if timed is not None:
        info.dates[-1] = (info.dates[-1][0], timed)
        return True
    if kind is None and not _DIGIT.search(segment):
        return _read_name_or_outlet(segment, info)
    value = parse_date_fallback(rest) if len(rest.split()) <= FALLBACK_MAX_WORDS else None
    if value is not None:
        info.dates.append((label_rank(kind), value))
    return value is not None


def _read_dated(rest: str, found: DateMatch, rank: int, info: LineInfo) -> bool:
    """A date with what is printed around it: a name before it, a place after (or before) it."""
    before = _WEEKDAY.sub(" ", rest[: found.start]).strip(_EDGE)
    place = _WEEKDAY.sub(" ", rest[found.end:]).strip(_EDGE)
    if before and not place and _SHOUTED_PLACE.match(before):
        place = before  # "SEOUL, South Korea, July 1, 2021"
    elif before:
        name = _name_part(before)  # "Gazette Staff — 28 March 2024"
        if name is None or info.byline is not None:
            return False
        info.byline = _normal_name(name)
    if place and not _is_place(place):
        return False
    info.dates.append((rank, found.value))
    info.place = info.place or place
    return True


def _read_name_or_outlet(segment: str, info: LineInfo) -> bool:
    """A segment without digits: "Jane Doe, Correspondent", an outlet's name, or a place in capitals."""
    name, _, affiliation = segment.partition(",")
    if affiliation and _name_part(name) and (p.has_word(affiliation, p.ROLE_WORDS) or p.is_outlet_name(affiliation)):
        return _read_byline(segment, info)
    if p.is_outlet_name(segment):
        if info.byline is None:
            info.outlet = info.outlet or segment
        else:
            info.affiliation = info.affiliation or segment
        return True
    if _SHOUTED_PLACE.match(segment) and segment.upper() not in p.NOT_DATELINE_PLACES:
        info.place = info.place or segment
        return True
    return False


def _read_byline(rest: str, info: LineInfo) -> bool:
    """ "Jane Doe", "Jane Doe, Science Correspondent", "JANE DOE, Northwind Wire | Jan 6, 2021"."""
    found = find_date(rest)
    name_part = rest[: found.start] if found else rest
    first, *others = _NAME_TAIL.sub("", name_part).split(",")
    names = [first.strip(_EDGE)]
    for other in (part.strip(_EDGE) for part in others):
        if p.is_outlet_name(other) and not p.has_word(other, p.ROLE_WORDS):
            info.affiliation = info.affiliation or other
        elif other and not p.has_word(other, p.ROLE_WORDS):
            names.append(other)
    name = ", ".join(filter(None, names))
    if name and _name_part(name) is None:
        return False
    if found is not None:
        label = _NAME_TAIL.search(name_part).group().strip(_EDGE)
        info.dates.append((label_rank(DATE_LABEL.match(label)), found.value))
    info.byline = _normal_name(name)
    return True


def _name_part(text: str) -> str | None:
    """``text`` when it reads as a person's (or desk's) name: capitalised words, a few particles."""
    text = text.strip(_EDGE)
    tokens = text.replace(",", " ").split()
    if not tokens or len(tokens) > BYLINE_MAX_WORDS or _DIGIT.search(text) or p.SENTENCE_END.search(text):
        return None
    # Names are capitalised (or in a script without case); "By the end of ..." is a sentence.
    if any(token[0].islower() and token.lower() not in p.NAME_PARTICLES for token in tokens):
        return None
    return text


def _is_place(text: str) -> bool:
    return len(text.split()) <= PLACE_MAX_WORDS and bool(_PLACE.match(text) or _SHOUTED_PLACE.match(text))


def _normal_name(name: str) -> str:
    """A name in capitals in title case ("PRIYA CASTELLANOS-REED" -> "Priya Castellanos-Reed")."""
    if not name.isupper():
        return name
    return " ".join(w if w in p.NAME_PARTICLES else w.title() for w in name.lower().split())


def mark_dated_lines(page: Page, start: int) -> list[tuple[int, datetime]]:
    """Dates on labelled lines below the header ("Published: Jan 6, 2021"), marked removed."""
    dates = []
    for i in range(start, len(page.lines)):
        line = page.stripped[i]
        if not page.kept(i) or not DATE_LABEL.match(line):
            continue
        info = parse_line(line, page.words[i])
        if info is not None and info.dates and info.byline is None:
            page.mark(i, "date")
            dates.extend((max(rank, RANK_BELOW_STORY), value) for rank, value in info.dates)
    return dates
