"""Plain text: the whole file is one article."""

from __future__ import annotations

from collections.abc import Iterator

from .base import RawArticle, ReaderOptions, ReadError, ReadResult, Source
from .decoding import TextError, decode_article_file


def read_txt(data: Source, origin: str, options: ReaderOptions) -> Iterator[ReadResult]:
    """Yield the file as one article (raw_text == text == decoded content), or one ReadError.

    Reads at most MAX_ARTICLE_FILE_BYTES + 1 bytes; title, byline etc. are left to cleaning.
    """
    try:
        text = decode_article_file(data, options)
    except TextError as error:
        yield ReadError(origin, str(error))
        return
    yield RawArticle(origin=origin, raw_text=text, text=text, format="txt")
