"""HTML pages: trafilatura extracts the main text and the page's metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator

from trafilatura import bare_extraction
from trafilatura.settings import Document, set_date_params
from trafilatura.xml import xmltotxt

from .base import RawArticle, ReaderOptions, ReadError, ReadResult, Source, describe
from .decoding import TextError, decode_article_file

# Where a page declares its encoding: <meta charset="..."> or http-equiv content="...; charset=...".
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# A charset declaration must sit near the top of the page (browsers look at the first 1024 bytes).
_CHARSET_SCAN_BYTES = 4096
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do pages that use them.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""", re.IGNORECASE)
# <noscript> holds "please enable JavaScript" pleas and tracking pixels, never article text.
_PRUNE_XPATH = "//noscript"


def read_html(data: Source, origin: str, options: ReaderOptions) -> Iterator[ReadResult]:
    """Yield one article (raw_text: the page source; text: the main text), or one ReadError.

    Paragraphs of text are separated by a blank line; scripts, styles, navigation and comments
    are left out. Reads at most MAX_ARTICLE_FILE_BYTES + 1 bytes.
    """
    try:
        page = decode_article_file(data, options, declared=declared_charset)
    except TextError as error:
        yield ReadError(origin, str(error))
        return
    try:  # item boundary: trafilatura and lxml can fail in many ways on broken markup
        document = bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            prune_xpath=_PRUNE_XPATH,
            date_extraction_params=set_date_params(False),  # no guessing from copyright lines
        )
        text = main_text(document)
    except Exception as error:
        yield ReadError(origin, f"cannot parse the HTML ({describe(error)})")
        return
    if not text:
        yield ReadError(origin, "no article text found in the HTML")
        return
    yield RawArticle(
        origin=origin,
        raw_text=page,
        text=text,
        title=_clean(document.title),
        url=_clean(document.url),
        byline=_clean(document.author),
        published=_clean(document.date),
        source=_clean(document.sitename),
        language=_clean(document.language) or page_language(page),
        format="html",
    )


def main_text(document: Document | None) -> str:
    """The extracted text with one block (paragraph, heading, list, table) per paragraph, blank-line separated."""
    if document is None:
        return ""
    body = document.body
    blocks = []
    if body is not None:
        blocks.append(body.text or "")
        blocks.extend(xmltotxt(child, include_formatting=False) for child in body)
    blocks = [block.strip() for block in blocks if block and block.strip()]
    if not blocks and document.text:  # no block structure: trafilatura's text has one block a line
        blocks = [line.strip() for line in document.text.split("\n") if line.strip()]
    return "\n\n".join(blocks)


def declared_charset(content: bytes) -> str | None:
    """The encoding a page declares in a <meta> tag near its top, as browsers would read it."""
    match = _META_CHARSET.search(content[:_CHARSET_SCAN_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    return "cp1252" if label in _WINDOWS_1252_LABELS else label


def page_language(page: str) -> str:
    """The language in <html lang="...">, or ""."""
    match = _HTML_LANG.search(page[:_CHARSET_SCAN_BYTES])
    return match.group(1) if match else ""


def _clean(value: str | None) -> str:
    return (value or "").strip()
