"""Labeling data for benchmarks, written in bulk: a fresh database, a project with its schema,
news-like articles (~300 words) with their items, annotators with API tokens, and accepted gold.

Rows are written with bulk_create, not through the per-item services, so that 100,000 gold
articles take a minute or two instead of an hour; ``gold_create`` checks once, with a real
``gold_accept`` call, that its rows look like the ones the service writes.
"""

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from annotations.models import EntityType, Gold, GoldSpan, GoldSplit, Item, Membership, Project, Topic
from annotations.gold import gold_accept
from annotations.validation import SpanInput
from benchmarks.corpus import OUTLETS, ArticleMaker
from ingest.models import Article, Source

ENTITY_LABELS = ("PERSON", "ORG", "GPE")
# Rows per INSERT: big enough to amortise the round trip, small enough to keep statements short.
BULK_BATCH = 2000
# Distinct sentences articles are drawn from: drawing ~18 of them per article is ~50x faster than
# making every sentence word by word, and 5,000 sentences keep the text varied for the tokenizer.
SENTENCE_POOL = 5000
PARAGRAPHS = (5, 7)  # per article, with 2-4 sentences of 10-24 words each: ~300 words
SPANS_PER_GOLD = (3, 8)
# Articles are published over one year, so that date filters and indexes see a spread.
FIRST_PUBLISHED = datetime(2024, 1, 1, tzinfo=UTC)
_WORD = re.compile(r"\w+")


# --- database -----------------------------------------------------------------

def fresh_database(suffix: str):
    """A new, migrated test database test_<name>_<suffix>: never real data, and never the database
    of another benchmark running at the same time (benchmarks.ingest uses test_<name>)."""
    from django.test.utils import setup_databases

    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    settings = connection.settings_dict
    settings["TEST"]["NAME"] = f"test_{settings['NAME']}_{suffix}"
    return setup_databases(verbosity=0, interactive=False, serialized_aliases=set())


def database_url(url: str) -> str:
    """``url`` (a DATABASE_URL) pointing at the database this process is connected to now."""
    return urlsplit(url)._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


def analyze() -> None:
    """Fresh planner statistics, so that query plans do not depend on when autovacuum last ran."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- project and people --------------------------------------------------------

def project_create(*, name: str, overlap: int = 2) -> Project:
    """A project with entity types PERSON, ORG and GPE and a small topic tree."""
    project = Project.objects.create(name=name, overlap=overlap)
    EntityType.objects.bulk_create([EntityType(project=project, name=label, hotkey=label[0].lower())
                                    for label in ENTITY_LABELS])
    politics = Topic.objects.create(project=project, name="Politics")
    Topic.objects.create(project=project, name="Elections", parent=politics)
    Topic.objects.create(project=project, name="Economy")
    return project


def members_create(*, project: Project, count: int, role: str = Membership.Role.ANNOTATOR,
                   prefix: str = "annotator") -> list[tuple[int, str]]:
    """``count`` users with ``role`` in ``project`` and an API token each: [(user id, token key)]."""
    users = get_user_model().objects.bulk_create([
        get_user_model()(username=f"{prefix}{number}", password=make_password(None)) for number in range(count)])
    Membership.objects.bulk_create([Membership(project=project, user=user, role=role) for user in users])
    tokens = Token.objects.bulk_create([Token(user=user, key=Token.generate_key()) for user in users])
    return [(token.user_id, token.key) for token in tokens]


# --- articles and items -------------------------------------------------------

class BodyMaker:
    """News-like article bodies of ~300 words: paragraphs of sentences from a fixed pool."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        maker = ArticleMaker(rng)
        self.sentences = [maker.sentence() for _ in range(SENTENCE_POOL)]

    def title(self) -> str:
        return self.rng.choice(self.sentences)[:90]

    def body(self) -> str:
        return "\n\n".join(" ".join(self.rng.choices(self.sentences, k=self.rng.randint(2, 4)))
                           for _ in range(self.rng.randint(*PARAGRAPHS)))


def item_chunks(*, project: Project, count: int, rng: random.Random, status: str = Item.Status.OPEN,
                first_number: int = 0) -> Iterator[list[Item]]:
    """Create ``count`` articles and their items in ``project``, BULK_BATCH at a time; yield each
    chunk of items (their ``article`` attached). Article numbers start at ``first_number``."""
    maker = BodyMaker(rng)
    sources = [Source.objects.get_or_create(name=name)[0] for name in OUTLETS]
    for start in range(first_number, first_number + count, BULK_BATCH):
        numbers = range(start, min(start + BULK_BATCH, first_number + count))
        with transaction.atomic():  # committed before the yield: a caller may stop after any chunk
            articles = Article.objects.bulk_create([_article(number, maker, rng, sources) for number in numbers])
            items = Item.objects.bulk_create([Item(project=project, article=article, status=status)
                                              for article in articles])
        yield items


def _article(number: int, maker: BodyMaker, rng: random.Random, sources: list[Source]) -> Article:
    title, body = maker.title(), maker.body()
    return Article(title=title, body=body, raw_text=f"{title}\n\n{body}", source=rng.choice(sources),
                   url=f"https://news.example/{number}", language="en", content_hash=f"{number:064x}", minhash=b"",
                   published_at=FIRST_PUBLISHED + timedelta(minutes=rng.randrange(365 * 24 * 60)))


def items_create(*, project: Project, count: int, rng: random.Random) -> int:
    """``count`` open items on new articles; returns how many."""
    return sum(len(chunk) for chunk in item_chunks(project=project, count=count, rng=rng))


def word_spans(body: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """``count`` (start, end) offsets of one or two words of ``body``, in order, never overlapping,
    always on word boundaries (two words only when one space separates them)."""
    words = list(_WORD.finditer(body))
    starts = sorted(rng.sample(range(0, len(words) - 1, 2), k=count))  # every other word: room for a 2nd
    spans = []
    for index in starts:
        first, second = words[index], words[index + 1]
        two = rng.random() < 0.5 and body[first.end():second.start()] == " "
        spans.append((first.start(), (second if two else first).end()))
    return spans


# --- gold -----------------------------------------------------------------------

def gold_labels(body: str, rng: random.Random, topic_ids: list[int], scale: list[str]):
    """Random valid labels for ``body``: (sentiment, sorted topic ids, [SpanInput])."""
    spans = [SpanInput(start, end, rng.choice(ENTITY_LABELS), body[start:end])
             for start, end in word_spans(body, rng, rng.randint(*SPANS_PER_GOLD))]
    return rng.choice(scale), sorted(rng.sample(topic_ids, k=rng.randint(0, 2))), spans


def gold_rows(item: Item, labels, reviewer_id: int | None) -> tuple[Gold, list[GoldSpan]]:
    """Unsaved rows of an accepted gold for ``item``, as gold_accept would write them."""
    sentiment, topics, spans = labels
    gold = Gold(item=item, version=1, status=Gold.Status.ACCEPTED, origin=Gold.Origin.REVIEW, reviewer_id=reviewer_id,
                sentiment=sentiment, topics=topics)
    return gold, [GoldSpan(gold=gold, start=s.start, end=s.end, label=s.label, text=s.text, sentiment=s.sentiment)
                  for s in spans]


def gold_create(*, project: Project, count: int, rng: random.Random, reviewer_id: int) -> int:
    """``count`` gold items in ``project`` (3-8 entity spans each): the first through gold_accept,
    the rest in bulk, after checking that the bulk rows match what the service wrote."""
    topic_ids = list(project.topics.values_list("id", flat=True))
    first = next(item_chunks(project=project, count=1, rng=rng))[0]
    _check_gold_shape(first, gold_labels(first.article.body, rng, topic_ids, project.sentiment_scale), reviewer_id)
    created = 1
    for items in item_chunks(project=project, count=count - 1, rng=rng, status=Item.Status.GOLD, first_number=1):
        rows = [gold_rows(item, gold_labels(item.article.body, rng, topic_ids, project.sentiment_scale), reviewer_id)
                for item in items]
        with transaction.atomic():
            for split in GoldSplit:  # as gold_accept decides it for the item's first gold
                Item.objects.filter(pk__in=[i.pk for i in items if GoldSplit.for_item(i.pk) == split]).update(
                    gold_split=split)
            Gold.objects.bulk_create([gold for gold, _ in rows])
            GoldSpan.objects.bulk_create([span for _, spans in rows for span in spans], batch_size=BULK_BATCH)
        created += len(items)
    return created


_UNCOMPARED = {"id", "created_at"}  # differ between any two rows


def _check_gold_shape(item: Item, labels, reviewer_id: int) -> None:
    """Accept ``labels`` as the item's gold with the real service; fail if our bulk rows differ."""
    reviewer = get_user_model().objects.get(pk=reviewer_id)
    sentiment, topics, spans = labels
    saved = gold_accept(item=item, reviewer=reviewer, sentiment=sentiment, topics=topics, spans=spans)
    built, built_spans = gold_rows(item, labels, reviewer_id)
    item.refresh_from_db()
    expected = (_fields(built), [_fields(s, {"gold_id"}) for s in built_spans], Item.Status.GOLD)
    actual = (_fields(saved), [_fields(s, {"gold_id"}) for s in saved.spans.order_by("start")], item.status)
    if expected != actual:
        raise AssertionError(f"Bulk gold rows differ from gold_accept's:\n  bulk    {expected}\n  service {actual}")


def _fields(row, ignored: set[str] = frozenset()) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields
            if f.attname not in _UNCOMPARED | ignored}
