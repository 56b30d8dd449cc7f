"""From a read record to an article ready to store: cleaned, described, fingerprinted (pure).

Kept free of Django so that an import can prepare articles in worker processes.
"""

import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from urllib.parse import urlsplit

from .cleaning import clean_article
from .cleaning.dates import parse_date
from .cleaning.dedupe import fingerprint
from .cleaning.normalize import content_hash, normalize_words
from .readers.base import RawArticle, ReadError

# Article.format of articles stored exactly as sent (as ingest.verbatim names them): never cleaned.
VERBATIM_FORMAT = "verbatim"
# Longest title kept; Article.title holds 500 characters.
MAX_TITLE_CHARS = 500
# A title made up from the body when the record has none is cut here.
FALLBACK_TITLE_CHARS = 120
# What PostgreSQL text cannot store: NUL, and lone surrogates (no UTF-8 encoding exists for them).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    origin: str
    format: str
    title: str
    body: str
    raw_text: str
    url: str
    byline: str
    published_at: datetime | None
    dateline: str
    language: str
    source_name: str
    domain: str
    content_hash: str
    minhash: bytes
    shingle_count: int
    band_keys: list[int]
    removed_lines: list[dict]
    verbatim: bool = False  # body is the text exactly as sent (never cleaned)
    repairs: str = ""  # what was removed from the record before cleaning, for its import record


def prepare_article(record: RawArticle | ReadError, *, default_source: str = "") -> PreparedArticle | ReadError:
    """Clean ``record`` and compute its hash and fingerprint; a record with no text left is an error."""
    if isinstance(record, ReadError):
        return record
    try:
        if record.verbatim:
            return _prepare_verbatim(record, default_source)
        record, repairs = storable(record)
        prepared = _prepare(record, default_source)
        return replace(prepared, repairs=repairs) if repairs and isinstance(prepared, PreparedArticle) else prepared
    except Exception as exc:  # one odd record must never sink its batch
        return ReadError(record.origin, f"could not clean this article: {type(exc).__name__}: {exc}")


def storable(record: RawArticle) -> tuple[RawArticle, str]:
    """The record without characters the database cannot store, and a note of what was removed
    ("" when nothing was)."""
    changes, removed = {}, {}
    for field in fields(record):
        value = getattr(record, field.name)
        if isinstance(value, str) and UNSTORABLE.search(value):
            cleaned, count = UNSTORABLE.subn("", value)
            changes[field.name], removed[field.name] = cleaned, count
    if not changes:
        return record, ""
    counts = ", ".join(f"{name} {count}" for name, count in removed.items())
    note = f"removed characters the database cannot store (NUL, lone surrogates): {counts}"
    return replace(record, **changes), note


def _prepare(record: RawArticle, default_source: str) -> PreparedArticle | ReadError:
    cleaned = clean_article(
        record.text, title=record.title, byline=record.byline, published=record.published, source=record.source
    )
    removed = [asdict(line) for line in cleaned.removed]
    if not cleaned.body.strip():
        return ReadError(record.origin, f"no article text left after cleaning ({len(removed)} lines removed as junk)")
    words = normalize_words(cleaned.body)
    sketch = fingerprint(cleaned.body, words)
    domain = urlsplit(record.url).hostname or "" if record.url else ""
    return PreparedArticle(
        origin=record.origin,
        format=record.format,
        title=article_title(cleaned.title or record.title, cleaned.body),
        body=cleaned.body,
        raw_text=record.raw_text,
        url=record.url,
        byline=cleaned.byline[:300],
        published_at=cleaned.published_at,
        dateline=cleaned.dateline[:200],
        language=record.language[:16],
        source_name=(record.source or default_source or cleaned.outlet or domain)[:200],
        domain=domain,
        content_hash=content_hash(cleaned.body, words),
        minhash=sketch.to_bytes(),
        shingle_count=sketch.shingle_count,
        band_keys=sketch.band_keys,
        removed_lines=removed,
    )


def _prepare_verbatim(record: RawArticle, default_source: str) -> PreparedArticle | ReadError:
    """The record's text as the body, exactly: nothing removed, no spacing changed, so offsets a
    client computed on it stay valid. Metadata comes from the record's fields only."""
    text = record.text
    if UNSTORABLE.search(text):
        # Removing them would move every offset the sender computed on this text.
        return ReadError(record.origin, "the text holds characters the database cannot store (NUL or lone "
                                        "surrogates); a verbatim text cannot be changed, so remove them and send it again")
    record, _ = storable(record)  # the other fields may lose them
    words = normalize_words(text)
    if not words:
        return ReadError(record.origin, "the text has no words, so it cannot be stored as an article")
    sketch = fingerprint(text, words)
    domain = urlsplit(record.url).hostname or "" if record.url else ""
    return PreparedArticle(
        origin=record.origin, format=VERBATIM_FORMAT, title=article_title(record.title, text), body=text,
        raw_text=text, url=record.url, byline=record.byline[:300],
        published_at=parse_date(record.published) if record.published.strip() else None, dateline="",
        language=record.language[:16], source_name=(record.source or default_source or domain)[:200], domain=domain,
        content_hash=content_hash(text, words), minhash=sketch.to_bytes(), shingle_count=sketch.shingle_count,
        band_keys=sketch.band_keys, removed_lines=[], verbatim=True,
    )


def article_title(title: str, text: str) -> str:
    """The given title on one line, else the text's first non-blank line, shortened."""
    title = " ".join(title.split())
    if title:
        return title[:MAX_TITLE_CHARS]
    first_line = " ".join(next((line for line in text.splitlines() if line.strip()), "").split())
    if len(first_line) <= FALLBACK_TITLE_CHARS:
        return first_line
    return first_line[:FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
