"""Dates in news text: precompiled regexes for the common formats, dateparser as a cached fallback.

dateparser costs about a millisecond per call (over a second on the first one, which loads
its data), so it is only asked about short candidate lines the regexes could not read.
Times without a zone are taken as UTC.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from dateutil.parser import isoparse

# Years outside this range are page furniture ("Est. 1897"), footnotes or typos.
MIN_YEAR, MAX_YEAR = 1900, 2100
# Distinct strings dateparser results are kept for; headers repeat, so hits are common.
FALLBACK_CACHE_SIZE = 4096
# Longest text handed to dateparser: it slows down with length and dates are short.
FALLBACK_MAX_CHARS = 60
# A bare "2021" is a year, not a date: ISO strings shorter than YYYY-MM-DD are not read.
ISO_MIN_CHARS = 10
# Unix timestamps in structured records: 10 digits are seconds, 13 are milliseconds.
EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Fixed offsets (hours) of zone abbreviations news sites print; ambiguous ones (ET, PT) are left out.
ZONE_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "EAT": 3,
    "SAST": 2, "WAT": 1, "PKT": 5, "IST": 5.5, "NPT": 5.75, "WIB": 7, "ICT": 7, "HKT": 8, "SGT": 8,
    "PHT": 8, "KST": 9, "JST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ZONE = (
    r"(?P<zone>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|"
    + "|".join(sorted(ZONE_OFFSETS, key=len, reverse=True))
    + r")\b"
)
_CLOCK = (
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\b\.?)?"
    r"|\s*(?P<ampm_only>[ap]\.?m\b\.?))(?:\s*\(?" + _ZONE + r"\)?)?"
)
_TIME_AFTER = r"(?:(?:,|\s+at|\s*[|·•–—-])?\s*(?:" + _CLOCK + r"))?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})\b"

# Each pattern reads one layout; find_date keeps the leftmost match of all of them.
_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # 2021-07-01, 2021-07-01T10:04:00+09:00
        r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
        r"(?::(?P<second>\d{2})(?:\.\d+)?)?\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?)?",
        # January 06, 2021 1:42 PM / Thursday Aug 11, 2022 / Jan. 8, 2021
        r"\b" + _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _TIME_AFTER,
        # 8 January 2021 / Friday, 8th of January, 2021
        r"\b" + _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + _TIME_AFTER,
        # 2021 Jul 01, 10:04
        r"\b" + _YEAR + r"\s+" + _MONTH + r"\s+" + _DAY + r"\b" + _TIME_AFTER,
        # 2021/07/01
        r"\b(?P<year>\d{4})/(?P<mon>\d{1,2})/(?P<day>\d{1,2})\b" + _TIME_AFTER,
        # 01/07/2021, 01.07.2021 (day first when the first number cannot be a month)
        r"\b(?P<first>\d{1,2})(?P<sep>[/.])(?P<second_num>\d{1,2})(?P=sep)(?P<year>\d{4})\b" + _TIME_AFTER,
    )
)
_TIME_ONLY = re.compile(r"(?:at\s+)?(?:" + _CLOCK + r")", re.IGNORECASE)
_LEAD_TIME = re.compile(r"(?:^|\s)(?:" + _CLOCK + r")\s*[,|·•–—-]?\s*$", re.IGNORECASE)
# "2 hours ago", "yesterday": relative to a scrape time we do not know, so never a publication date.
RELATIVE_DATE = re.compile(
    r"\b(?:\d+|an?|one|(?:a\s+)?few)\s+(?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|\b(?:yesterday|today|just now)\b",
    re.IGNORECASE,
)
# Labels in front of a date; group "updated" or "published" tells which.
DATE_LABEL = re.compile(
    r"^(?:(?P<updated>(?:last\s+)?(?:updated|modified|edited))|(?P<published>first published|published|posted"
    r"|released|dated?))(?:\s+(?:on|at))?\b\s*:?\s*",
    re.I,
)
# Ranks of dates by their label: a publication date beats an unlabelled one, which beats an update;
# dates printed below the story come last.
RANK_PUBLISHED, RANK_PLAIN, RANK_UPDATED, RANK_BELOW_STORY = 0, 1, 2, 3
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DIGIT = re.compile(r"\d")
# Letter runs of a string ("de agosto de", "年月日"): a date line has few besides its numbers.
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
# More letter runs than this and the text is a sentence or headline, not a date.
FALLBACK_MAX_LETTER_RUNS = 3


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a line: its value and the character span it covers."""

    value: datetime
    start: int
    end: int


def find_date(text: str) -> DateMatch | None:
    """The leftmost absolute date (with its time, when printed next to it) in ``text``."""
    if not _DIGIT.search(text):
        return None
    best = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best.start:
                break
            value = _from_match(match)
            if value is not None:
                best = DateMatch(value, match.start(), match.end())
                break
    if best is None:
        return None
    return _with_leading_time(text, best)


def with_time_of_day(value: datetime, text: str) -> datetime | None:
    """``value`` at the time ``text`` states ("8:00 AM", "10:04 KST"); None if ``text`` is not a time."""
    match = _TIME_ONLY.fullmatch(text.strip())
    if match is None:
        return None
    groups = match.groupdict()
    try:
        hour, minute, second = _clock(groups)
        zone = _zone(groups["zone"]) if groups.get("zone") else value.tzinfo
        return value.replace(hour=hour, minute=minute, second=second, tzinfo=zone)
    except (ValueError, TypeError):
        return None


def label_rank(label: re.Match | None) -> int:
    """The rank of a date by its DATE_LABEL match (None: no label)."""
    if label is None:
        return RANK_PLAIN
    return RANK_UPDATED if label.group("updated") else RANK_PUBLISHED


def best_date(dates: list[tuple[int, datetime]]) -> datetime | None:
    """The publication date among (rank, value) pairs: best rank first, then the first printed."""
    return min(dates, key=lambda dated: dated[0])[1] if dates else None


def parse_date(text: str) -> datetime | None:
    """Parse a whole date string (e.g. a structured record's ``published``); None if unreadable."""
    text = " ".join(text.split())
    if not text or RELATIVE_DATE.search(text):
        return None
    if EPOCH.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    value = _parse_iso(text)
    if value is not None:
        return value
    found = find_date(text)
    if found is not None:
        return found.value
    return parse_date_fallback(text)


def parse_date_fallback(text: str) -> datetime | None:
    """dateparser's reading of a short date string (any language), cached; None if unreadable."""
    text = " ".join(text.split())
    if len(text) > FALLBACK_MAX_CHARS or not _HAS_YEAR.search(text) or RELATIVE_DATE.search(text):
        return None
    if len(_LETTER_RUNS.findall(text)) > FALLBACK_MAX_LETTER_RUNS:
        return None
    return _dateparser_cached(text)


@lru_cache(maxsize=FALLBACK_CACHE_SIZE)
def _dateparser_cached(text: str) -> datetime | None:
    import dateparser  # imported lazily: loading its language data costs time no import should pay

    settings = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        # A date missing its day or year would silently be completed from today.
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    try:
        value = dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return value if value is not None and MIN_YEAR <= value.year <= MAX_YEAR else None


def _parse_iso(text: str) -> datetime | None:
    if len(text) < ISO_MIN_CHARS or not text[:4].isdigit():
        return None
    try:
        return _aware(isoparse(text))
    except (ValueError, OverflowError):
        return None


def _from_match(match: re.Match) -> datetime | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month, day = MONTHS[groups["month"][:3].lower()], int(groups["day"])
    elif groups.get("mon"):
        month, day = int(groups["mon"]), int(groups["day"])
    else:
        first, second = int(groups["first"]), int(groups["second_num"])
        # Dotted dates are day-first in every locale that writes them; slashes are US unless impossible.
        day_first = groups["sep"] == "." or first > 12
        day, month = (first, second) if day_first else (second, first)
    try:
        hour, minute, second_value = _clock(groups)
        zone = _zone(groups.get("zone"))
        value = datetime(year, month, day, hour, minute, second_value, tzinfo=zone)
    except (ValueError, TypeError):
        return None
    return value if MIN_YEAR <= year <= MAX_YEAR else None


def _clock(groups: dict) -> tuple[int, int, int]:
    if groups.get("hour") is None:
        return 0, 0, 0
    hour = int(groups["hour"])
    minute = int(groups.get("minute") or 0)
    second = int(groups.get("second") or 0)
    ampm = (groups.get("ampm") or groups.get("ampm_only") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return hour, minute, second


def _zone(name: str | None) -> timezone:
    if not name:
        return UTC
    name = name.upper().replace(" ", "")
    if name in ZONE_OFFSETS:
        return timezone(timedelta(hours=ZONE_OFFSETS[name]))
    offset = name.removeprefix("UTC").removeprefix("GMT")
    sign = -1 if offset.startswith("-") else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _with_leading_time(text: str, found: DateMatch) -> DateMatch:
    """Apply a time printed just before the date ("10:04 KST, Jan 6, 2021") when none follows it."""
    if found.start == 0 or found.value.hour or found.value.minute:
        return found
    lead = _LEAD_TIME.search(text, 0, found.start)
    if lead is None:
        return found
    groups = lead.groupdict()
    try:
        hour, minute, second = _clock(groups)
        zone = _zone(groups.get("zone")) if groups.get("zone") else found.value.tzinfo
        value = found.value.replace(hour=hour, minute=minute, second=second, tzinfo=zone)
    except (ValueError, TypeError):
        return found
    start = lead.start() + (1 if text[lead.start()].isspace() else 0)
    return DateMatch(value, start, found.end)


def _aware(value: datetime) -> datetime | None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
