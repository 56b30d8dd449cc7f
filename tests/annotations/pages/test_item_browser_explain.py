"""The item browser's queries are served by indexes on PostgreSQL: with enough rows (and fresh
statistics) that a missing index shows as a sequential scan of the items or the articles, the
planner reads the first page, a deep keyset page, filtered pages, a rare topic and a search by index."""

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Item
from annotations.pages.items.keyset import Cursor
from annotations.pages.items.selectors import Filters, browser_count, browser_page, browser_viewer
from ingest.models import Article, Source
from ingest.search import search_vectors_build
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db

ARTICLES = 20_000
# The big tables: a sequential scan of either is what an index must prevent at a million items.
BIG_TABLES = {"annotations_item", "ingest_article", "annotations_annotation"}
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
# One article in this many has no publication date (they are listed after the dated ones).
UNDATED = 500
# One article in this many mentions a lighthouse: a search the full-text index answers.
RARE = 1_000
WORDS = "council budget harbour bridge election court storm market school hospital".split()


@pytest.fixture
def archive():
    """20,000 articles from five outlets over two years (a few undated), all items of one project
    and a second, smaller project beside it; statistics fresh, as after an import."""
    if connection.vendor != "postgresql":
        pytest.fail("The item browser's index checks need PostgreSQL (DATABASE_URL).")
    chance = random.Random(13)
    sources = [Source.objects.create(name=f"Outlet {n}") for n in range(5)]
    Article.objects.bulk_create([
        Article(title=f"{chance.choice(WORDS).title()} story {n}", raw_text="", minhash=b"", content_hash=f"{n:064x}",
                body=" ".join(chance.choices(WORDS, k=12)) + (" lighthouse" if n % RARE == 0 else ""),
                source=sources[n % 5],
                published_at=None if n % UNDATED == 0 else START + timedelta(minutes=chance.randrange(2 * 525_600)))
        for n in range(ARTICLES)], batch_size=2_000)
    project, other = ProjectFactory(name="Archive"), ProjectFactory(name="Sport desk")
    article_ids = list(Article.objects.values_list("pk", flat=True))
    statuses = [Item.Status.OPEN] * 8 + [Item.Status.ANNOTATED, Item.Status.GOLD]
    Item.objects.bulk_create([Item(project=project, article_id=pk, status=chance.choice(statuses),
                                   agreement=chance.choice([None, None, 0.4, 0.8, 1.0]))
                              for pk in article_ids], batch_size=2_000)
    Item.objects.bulk_create([Item(project=other, article_id=pk) for pk in article_ids[:2_000]])
    search_vectors_build(articles=Article.objects.all())  # as the job after an import does
    # One annotation per item; a rare topic on one in RARE.
    annotator, rare_topic = member(project, username="ana"), project.topics.get(name="Economy").pk
    Annotation.objects.bulk_create([
        Annotation(item_id=pk, annotator=annotator, version=1, topics=[rare_topic] if n % RARE == 0 else [])
        for n, pk in enumerate(Item.objects.filter(project=project).values_list("pk", flat=True))], batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ingest_article, ingest_articlesearch, ingest_source, annotations_item, "
                       "annotations_membership, annotations_annotation, annotations_gold")
    return project, sources, rare_topic


def sequential_scans(run) -> dict[str, list[str]]:
    """Every query ``run()`` sends, explained: the big tables each reads sequentially."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            scanned = sorted(set(_seq_scanned(plan[0]["Plan"])) & BIG_TABLES)
            if scanned:
                found[query["sql"][:300]] = scanned
    return found


def _seq_scanned(node: dict):
    if node.get("Node Type") == "Seq Scan":
        yield node.get("Relation Name")
    for child in node.get("Plans", []):
        yield from _seq_scanned(child)


def deep_cursor(project, *, value_path: str, tie: str, descending: bool, depth: int) -> Cursor:
    sign = "-" if descending else ""
    row = (Item.objects.filter(project=project, **{f"{value_path}__isnull": False})
           .order_by(f"{sign}{value_path}", f"{sign}{tie}").values_list(value_path, tie)[depth])
    return Cursor(*row)


def test_first_deep_and_filtered_pages_and_searches_read_by_index(archive, monkeypatch):
    from ingest import selectors as corpus

    monkeypatch.setattr(corpus, "SEARCH_IDS_UP_TO", 50)  # about the share of the corpus 5,000 is at a million
    project, sources, rare_topic = archive
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))
    deep = deep_cursor(project, value_path="article__published_at", tie="article_id", descending=True, depth=15_000)
    deep_by_agreement = deep_cursor(project, value_path="agreement", tie="pk", descending=False, depth=10_000)
    filtered = Filters(source=sources[2].pk, status=Item.Status.ANNOTATED,
                       published_from=START + timedelta(days=100), published_before=START + timedelta(days=400))
    pages = {
        "first page": lambda: browser_page(viewer=viewer, filters=Filters()),
        "deep page": lambda: browser_page(viewer=viewer, filters=Filters(), after=deep),
        "deep page backwards": lambda: browser_page(viewer=viewer, filters=Filters(), before=deep),
        "by agreement, deep": lambda: browser_page(viewer=viewer, filters=Filters(sort="agreement"),
                                                   after=deep_by_agreement),
        "undated items": lambda: browser_page(viewer=viewer, filters=Filters(), after=Cursor(None, 10**9)),
        "by id, newest": lambda: browser_page(viewer=viewer, filters=Filters(sort="-id")),
        "filtered page": lambda: browser_page(viewer=viewer, filters=filtered),
        "search": lambda: browser_page(viewer=viewer, filters=Filters(query="lighthouse")),
        "search, common word": lambda: browser_page(viewer=viewer, filters=Filters(query="harbour")),
        "search, no match": lambda: browser_page(viewer=viewer, filters=Filters(query="zeppelin")),
        # As at a million (a word in 3% of titles): far more matches than the first ids read.
        "search counted": lambda: browser_count(viewer=viewer, filters=Filters(query="harbour"), exact_up_to=50),
        "rare topic": lambda: browser_page(viewer=viewer, filters=Filters(topic=rare_topic)),
        "search, filtered": lambda: browser_page(viewer=viewer, filters=Filters(query="lighthouse",
                                                                                source=sources[0].pk)),
    }

    assert {name: sequential_scans(run) for name, run in pages.items()} == dict.fromkeys(pages, {})
    assert len(browser_page(viewer=viewer, filters=Filters(), after=deep).rows) == 50
    assert len(browser_page(viewer=viewer, filters=Filters(query="lighthouse")).rows) == ARTICLES // RARE
    assert len(browser_page(viewer=viewer, filters=Filters(topic=rare_topic)).rows) == ARTICLES // RARE


def test_counts_are_capped_and_estimated_beyond(archive):
    project, sources, rare_topic = archive
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))

    everything = browser_count(viewer=viewer, filters=Filters())
    few = browser_count(viewer=viewer, filters=Filters(query="lighthouse"))

    assert not everything.exact and 15_000 < everything.value < 25_000
    assert few.exact and few.value == ARTICLES // RARE


def test_a_search_of_more_than_the_ids_step_takes_reads_by_index(archive, monkeypatch):
    """A word too common for the ids step: the page tests the vectors of the items read in the
    sort's order (an index), and the count stops at its cap."""
    from ingest import selectors as corpus

    monkeypatch.setattr(corpus, "SEARCH_IDS_UP_TO", 100)
    project, _, _ = archive
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))
    common = Filters(query="harbour")
    searches = {"page": lambda: browser_page(viewer=viewer, filters=common),
                "count": lambda: browser_count(viewer=viewer, filters=common)}

    assert {name: sequential_scans(run) for name, run in searches.items()} == dict.fromkeys(searches, {})
    assert len(browser_page(viewer=viewer, filters=common).rows) == 50
