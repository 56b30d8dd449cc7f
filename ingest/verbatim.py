"""Articles stored exactly as given, for labelled text whose span offsets point into it.

Imported labels (our JSONL, Label Studio, doccano, CoNLL) carry code-point offsets into their text.
Cleaning would remove lines or change spacing and so shift every offset, so this text becomes
``body`` and ``raw_text`` unchanged. It is still hashed, fingerprinted and clustered like any
other article, so that later imports of the same story find it. Text that came with its own
tokens (a CoNLL file) keeps them in ``Article.tokens``, which exports use instead of tokenising.
"""

from datetime import datetime

from django.db import IntegrityError, transaction

from newsroom.errors import Conflict, DomainError

from .cleaning.dedupe import fingerprint
from .cleaning.normalize import content_hash, normalize_words
from .models import Article, Source
from .readers.base import ReadError
from .preparation import VERBATIM_FORMAT, PreparedArticle, article_title
from .stories import story_clusters_assign



class BodyConflict(Conflict):
    """An article with the same words is stored with a different body: offsets would not match it."""

    code = "body_conflict"


def article_store_verbatim(
    *, text: str, title: str = "", url: str = "", byline: str = "", source_name: str = "",
    published_at: datetime | None = None, dateline: str = "", language: str = "",
    tokens: list[list[list[int]]] | None = None,
) -> tuple[Article, bool]:
    """The article whose body is exactly ``text``, and whether it was created now.

    Looks the article up by content hash first. If the stored article with that hash has a
    body that differs from ``text`` (same words, other spacing or typography), raises
    BodyConflict: the caller's offsets point into ``text``, not into that body. Otherwise
    creates the article (body = raw_text = text, never cleaned) with its MinHash fingerprint,
    its story cluster and its band keys, and gets or creates its source by name. ``tokens``
    (sentences, each a list of [start, end] offsets into text) become Article.tokens of a new
    article, or of a stored one that has none yet; a stored article's own tokens are never
    replaced. Idempotent: a second call with the same text returns the stored article and False.
    Raises DomainError for a text without any word or tokens that do not fit it. Safe against a
    concurrent insert of the same text.
    """
    words = normalize_words(text)
    if not words:
        raise DomainError("The text has no words, so it cannot be stored as an article.")
    if tokens is not None:
        tokens_check(text, tokens)
    digest = content_hash(text, words)
    existing = _stored(digest, text)
    if existing is not None:
        if tokens and existing.tokens is None:
            Article.objects.filter(pk=existing.pk, tokens__isnull=True).update(tokens=tokens)
            existing.refresh_from_db(fields=["tokens"])
        return existing, False
    try:
        with transaction.atomic():
            return _create(text, words, digest, title=title, url=url, byline=byline, source_name=source_name,
                           published_at=published_at, dateline=dateline, language=language, tokens=tokens), True
    except IntegrityError:
        # A concurrent import stored the same hash between our look-up and our insert.
        existing = _stored(digest, text)
        if existing is None:
            raise
        return existing, False


def verbatim_body_conflicts(prepared: list) -> list:
    """``prepared`` with each verbatim article whose words match a stored article with another body
    (spacing, typography) turned into a ReadError: it cannot be stored (the hash is taken) and
    the stored body would not match the sender's offsets. One query, for the verbatim items only."""
    verbatim = {item.content_hash: item for item in prepared if isinstance(item, PreparedArticle) and item.verbatim}
    if not verbatim:
        return prepared
    stored = dict(Article.objects.filter(content_hash__in=verbatim).values_list("content_hash", "id"))
    bodies = dict(Article.objects.filter(pk__in=stored.values()).values_list("id", "body"))
    conflicts = {digest for digest, pk in stored.items() if bodies[pk] != verbatim[digest].body}
    return [ReadError(item.origin, f"article #{stored[item.content_hash]} has the same words but a different text "
                                   "(spacing, punctuation or typography); offsets into this text would not point "
                                   "into it")
            if isinstance(item, PreparedArticle) and item.verbatim and item.content_hash in conflicts else item
            for item in prepared]


def tokens_check(text: str, tokens: list) -> None:
    """DomainError unless tokens are sentences of [start, end] offsets, each token inside text, after
    the one before, not empty and without whitespace."""
    position = 0
    for sentence in tokens if isinstance(tokens, list) else [None]:
        for token in sentence if isinstance(sentence, list) else [None]:
            fits = (isinstance(token, list) and len(token) == 2 and all(type(part) is int for part in token)
                    and position <= token[0] < token[1] <= len(text))
            if not fits or any(char.isspace() for char in text[token[0]:token[1]]):
                raise DomainError(f"Token {token!r} does not fit the text: tokens are sentences of [start, end] "
                                  "offsets, in order, inside the text, without whitespace.")
            position = token[1]


def _stored(digest: str, text: str) -> Article | None:
    """The stored article with this hash, if any; BodyConflict if its body is not ``text``."""
    article = Article.objects.filter(content_hash=digest).first()
    if article is not None and article.body != text:
        raise BodyConflict(
            f"Article #{article.pk} has the same words but a different body (spacing, punctuation or "
            "typography differ); the offsets of these labels would not point into it.",
            detail={"article": article.pk},
        )
    return article


def _create(text: str, words: list[str], digest: str, *, title: str, url: str, byline: str, source_name: str,
            published_at: datetime | None, dateline: str, language: str, tokens: list | None) -> Article:
    sketch = fingerprint(text, words)
    name = source_name.strip()[:200]
    source = Source.objects.get_or_create(name=name)[0] if name else None
    article = Article.objects.create(
        title=article_title(title, text), body=text, raw_text=text, source=source, url=url[:2000], byline=byline[:300],
        published_at=published_at, dateline=dateline[:200], language=language[:16], content_hash=digest,
        format=VERBATIM_FORMAT, shingle_count=sketch.shingle_count, minhash=sketch.to_bytes(), tokens=tokens or None,
    )
    keys = sketch.band_keys
    story_clusters_assign(articles=[article], band_keys=[keys])
    article.refresh_from_db(fields=["story_cluster"])
    return article
