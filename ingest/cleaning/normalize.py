"""Text normalisation for comparing articles: exact-duplicate hashes and shingles."""

import hashlib
import re
import unicodedata

# Words only: quotes, dashes and other punctuation that outlets swap freely when they
# reprint a story never count.
_WORD = re.compile(r"\w+")


def normalize_words(text: str) -> list[str]:
    """Case-folded words of ``text``, punctuation, typography and spacing ignored."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(text.casefold())


def content_hash(body: str, words: list[str] | None = None) -> str:
    """SHA-256 of the normalised words: equal for bodies that differ only in typography or spacing.
    Pass ``words`` when the caller already has ``normalize_words(body)``."""
    words = normalize_words(body) if words is None else words
    return hashlib.sha256(" ".join(words).encode()).hexdigest()
