"""The hot queries read the big tables through indexes (PostgreSQL): every statement that next,
submit, the item and article lists (search included, deep pages too), the counts the pages
show and the export stream run is explained on a corpus big enough that the planner would
rather scan a table than use an index it lacks, and none may scan a big table sequentially."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.agreement.reports import project_agreement_stored
from annotations.counters import project_item_counts
from annotations.datasets import exports
from annotations.datasets.exports import ExportFilters, export_records
from annotations.models import Annotation, AnnotationSpan, Assignment, Gold, GoldSplit, Item, Prediction
from annotations.pages.dashboard import selectors as dashboard
from annotations.pages.dashboard.learning import learning_curves
from annotations.pages.dashboard.selectors import projects_progress
from annotations.pages.labeling.selectors import labeling_progress
from annotations.pages.review import review_queue
from annotations.preannotation.quality import predictor_quality_report
from annotations.queue import assignment_claim_next
from annotations.services import annotation_submit
from ingest.models import Article, Source
from ingest.search import search_vectors_build
from newsroom.db.estimates import EXACT_BELOW, estimated_count
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Rows per big table: enough that a missing index shows as a sequential scan in the plan.
ROWS = 20_000
BIG_TABLES = {"ingest_article", "ingest_articlesearch", "ingest_storybandkey", "annotations_item",
              "annotations_assignment", "annotations_annotation", "annotations_prediction",
              "annotations_annotationspan", "annotations_gold"}
# One article in RARE names a lighthouse: what a search usually finds is a small share of the corpus
# (ranking every match is the search's own cost, whatever the indexes).
RARE = 400
EXPLAINED = ("SELECT", "WITH", "UPDATE", "DELETE")
WORDS = "harbour council ferry storm budget school river bridge market election court police".split()


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """A project of ROWS items (a third submitted by two annotators, each with a prediction), with
    analyzed statistics; built once for the module, rolled back after it."""
    if connection.vendor != "postgresql":
        pytest.skip("Query plans are PostgreSQL's; the embedded SQLite demo has no planner to check.")
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _build() -> dict:
    project, other = ProjectFactory(overlap=2), ProjectFactory()
    annotators = [member(project) for _ in range(2)]
    manager = member(project, "manager", is_staff=True)
    source = Source.objects.create(name="Northwind Wire")
    Article.objects.bulk_create(
        [Article(title=f"Story {n} {WORDS[n % len(WORDS)]}{' lighthouse' if n % RARE == 0 else ''}", body=f"The {WORDS[n % 7]} of town {n} met on day {n}.",
                 raw_text="", content_hash=f"{n:064x}", source=source, minhash=b"", published_at=None)
         for n in range(ROWS)], batch_size=5000)
    articles = list(Article.objects.values_list("pk", flat=True))
    Item.objects.bulk_create([Item(project=project, article_id=pk) for pk in articles], batch_size=5000)
    Item.objects.bulk_create([Item(project=other, article_id=pk) for pk in articles[:ROWS // 4]], batch_size=5000)
    items = list(project.items.order_by("pk").values_list("pk", flat=True))
    done, now = items[:ROWS // 3], timezone.now()
    Assignment.objects.bulk_create([Assignment(item_id=pk, project=project, annotator=who, status="submitted",
                                               leased_until=now, submitted_at=now)
                                    for pk in done for who in annotators], batch_size=5000)
    Annotation.objects.bulk_create([Annotation(item_id=pk, annotator=who, version=1, sentiment="neutral")
                                    for pk in done for who in annotators], batch_size=5000)
    AnnotationSpan.objects.bulk_create([AnnotationSpan(annotation_id=pk, start=4, end=9, label="PERSON", text="x")
                                        for pk in Annotation.objects.values_list("pk", flat=True)], batch_size=5000)
    Item.objects.filter(pk__in=done).update(status="annotated", assigned_count=2, submitted_count=2)
    Prediction.objects.bulk_create([Prediction(item_id=pk, predictor="vader", version="1", labels={})
                                    for pk in items], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO ingest_storybandkey (key, article_id) "
                       "SELECT (random() * 1e15)::bigint, id FROM ingest_article, generate_series(1, 4)")
    search_vectors_build(articles=Article.objects.all())
    from annotations.counters import item_counts_recompute

    item_counts_recompute()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"project": project, "annotators": annotators, "manager": manager, "newcomer": member(project)}


def sequential_scans(operation, *, scans_discouraged: bool = False) -> dict[str, set[str]]:
    """Run ``operation``; the big tables each of its statements would scan sequentially.

    ``scans_discouraged``: explain with sequential scans priced out (``enable_seqscan`` off), for
    a query whose plan at a million rows differs from its plan at ROWS: a sequential scan that
    remains is one no index can replace (the planner still scans where nothing else serves)."""
    with CaptureQueriesContext(connection) as captured:
        operation()
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {'off' if scans_discouraged else 'on'}")
        for sql in {query["sql"] for query in captured.captured_queries}:
            if not sql.lstrip().upper().startswith(EXPLAINED):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            scanned = set(_seq_scans(cursor.fetchone()[0][0]["Plan"])) & BIG_TABLES
            if scanned:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(line for (line,) in cursor.fetchall())
                found[sql[:300]] = scanned
                print(f"\n{sql}\n{plan}")  # shown when the test fails
        cursor.execute("SET LOCAL enable_seqscan = on")
    return found


def _seq_scans(node: dict):
    if node["Node Type"] == "Seq Scan":
        yield node["Relation Name"]
    for child in node.get("Plans", []):
        yield from _seq_scans(child)


def rows_walked(operation, *, besides: tuple[str, ...] = ()) -> dict[str, dict[str, int]]:
    """Run ``operation``; for each of its reads, the big tables it walks through more than
    WALK_LIMIT rows of (rows returned plus rows filtered out, over every loop), explained with
    ANALYZE in the state the operation left (reads starting with one of ``besides`` apart). An
    index that does not match the filter or the order shows here even though it scans nothing
    sequentially: a walk past the items done before the first open one, or every open item read
    to be sorted."""
    with CaptureQueriesContext(connection) as captured:
        operation()
    found = {}
    with connection.cursor() as cursor:
        for sql in dict.fromkeys(query["sql"] for query in captured.captured_queries):
            # A server-side cursor (``iterator()``) is planned for its first rows: explained as declared.
            read = CURSOR.sub("", sql, count=1)
            if not read.lstrip().upper().startswith(("SELECT", "WITH")) or read.startswith(besides):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            walked = {}
            for table, rows in _rows_per_scan(cursor.fetchone()[0][0]["Plan"]):
                walked[table] = max(walked.get(table, 0), rows)
            walked = {table: rows for table, rows in walked.items() if table in BIG_TABLES and rows > WALK_LIMIT}
            if walked:
                cursor.execute(f"EXPLAIN ANALYZE {sql}")
                print(f"\n{sql}\n" + "\n".join(line for (line,) in cursor.fetchall()))  # shown when the test fails
                found[sql[:300]] = walked
    return found


CURSOR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR (WITH(OUT)? HOLD )?FOR ')

# Rows one read of a request may walk through in a big table: a page of a list, a short walk past
# items being worked on; far below the thousands done before the first open item in the corpus.
WALK_LIMIT = 500


def _rows_per_scan(node: dict):
    if "Relation Name" in node:
        loops = node.get("Actual Loops", 1)
        yield node["Relation Name"], (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * loops
    for child in node.get("Plans", []):
        yield from _rows_per_scan(child)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_next_and_submit(corpus):
    project, newcomer = corpus["project"], corpus["newcomer"]

    def next_and_submit():
        assignment = assignment_claim_next(project=project, annotator=newcomer)
        annotation_submit(item=assignment.item, annotator=newcomer, sentiment="positive", topics=[], spans=[])

    assert sequential_scans(next_and_submit) == {}


@pytest.mark.parametrize("order, random_share", [("default", 0.2), ("uncertainty", 1.0), ("uncertainty", 0.0)],
                         ids=["oldest-first", "random-claim", "uncertain-claim"])
@pytest.mark.parametrize("who", ["newcomer", "veteran"])
def test_next_and_submit_walk_few_rows(corpus, order, random_share, who):
    """Over the API, as clients call them: next and submit read an index that matches their filter
    and order, whether the annotator is new or has thousands of items behind them (the first
    third of the project, done before the first open item)."""
    project = corpus["project"]
    type(project).objects.filter(pk=project.pk).update(queue_order=order, uncertainty_random_share=random_share)
    client = client_for(corpus["newcomer"] if who == "newcomer" else corpus["annotators"][0])

    def next_and_submit():
        item = client.post(f"/api/projects/{project.pk}/next/").json()
        response = client.post(f"/api/items/{item['id']}/annotations/", {"sentiment": "positive", "base_version": None},
                               format="json")
        assert response.status_code == 201, response.json()

    # Apart: how many items the annotator has had (the uncertainty order's count of their claims),
    # which reads their own assignments, as many as they did, whatever the size of the project.
    assert rows_walked(next_and_submit, besides=(CLAIMS_COUNT,)) == {}


def test_uncertain_claim_once_every_training_item_is_taken(corpus):
    """Late in an uncertainty-ordered project only held-out items are open: an uncertain claim
    finds no training-side item at once (it does not read every held-out one to learn that) and
    the claim is served at random."""
    project = corpus["project"]
    type(project).objects.filter(pk=project.pk).update(queue_order="uncertainty", uncertainty_random_share=0.0)
    open_items = Item.objects.filter(project=project, status="open")
    train_side = [pk for pk in open_items.values_list("pk", flat=True) if GoldSplit.for_item(pk) == GoldSplit.TRAIN]
    open_items.filter(pk__in=train_side).update(status="annotated")
    client = client_for(corpus["newcomer"])

    def claim():
        item = client.post(f"/api/projects/{project.pk}/next/").json()
        assert GoldSplit.for_item(item["id"]) == GoldSplit.HELD_OUT

    assert rows_walked(claim) == {}


CLAIMS_COUNT = 'SELECT COUNT(*) AS "__count" FROM "annotations_assignment" WHERE ("annotations_assignment"."annotator_id"'


def test_item_list_first_and_deep_pages(corpus):
    client, project = client_for(corpus["manager"]), corpus["project"]

    def pages():
        for params in ({}, {"status": "annotated"}):
            page = client.get("/api/items/", {"project": project.pk, "page_size": 50, **params}).json()
            for _ in range(3):
                page = client.get(page["next"]).json()

    assert sequential_scans(pages) == {}


def test_article_list_and_search(corpus):
    client = client_for(corpus["manager"])

    def pages():
        page = client.get("/api/articles/", {"page_size": 50}).json()
        client.get(page["next"])
        found = client.get("/api/articles/", {"q": "lighthouse", "page_size": 20}).json()
        assert found["results"]
        client.get(found["next"])

    assert sequential_scans(pages) == {}


def gin_only_plan(sql: str, params) -> dict:
    """The plan of the ids step's statement under the planner settings it runs with."""
    from ingest.selectors import GIN_ONLY

    with transaction.atomic(), connection.cursor() as cursor:
        for setting in GIN_ONLY:
            cursor.execute(setting)
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
        transaction.set_rollback(True)
    return plan


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.parametrize("word", ["harbour", "lighthouse", "zeppelin", '"story 400" -harbour'])
def test_search_ids_are_read_through_the_full_text_index_alone(corpus, word):
    """The ids step's statement reads the GIN index (a bitmap scan), never a table in order,
    whatever the word: common, rare, absent, or a phrase with an excluded word. (A small limit: the
    planner left to itself would rather read the table until it has that many, as it does at a
    million articles for any limit, the test of a vector being priced nearly free.)"""
    from ingest.search import SEARCH_CONFIG, VECTOR_INDEX
    from ingest.selectors import _MATCHING_IDS_SQL

    nodes = list(_nodes(gin_only_plan(_MATCHING_IDS_SQL, {"config": SEARCH_CONFIG, "query": word, "limit": 11})))
    assert {node["Node Type"] for node in nodes} <= {"Limit", "Bitmap Heap Scan", "Bitmap Index Scan"}
    assert [node["Index Name"] for node in nodes if node["Node Type"] == "Bitmap Index Scan"] == [VECTOR_INDEX]


def test_article_search_of_a_common_word_reads_newest_first(corpus, monkeypatch):
    """More matches than the ids step takes: pages are read newest first, testing the vectors of
    the articles in that order (at a million articles a page is found within a few thousand)."""
    from ingest import selectors

    monkeypatch.setattr(selectors, "SEARCH_IDS_UP_TO", 100)
    client = client_for(corpus["manager"])

    def pages():
        found = client.get("/api/articles/", {"q": "harbour", "page_size": 20}).json()
        assert len(found["results"]) == 20
        client.get(found["next"])

    assert sequential_scans(pages, scans_discouraged=True) == {}


def test_item_title_search(corpus):
    """Titles are searched through their trigram index (a word in few titles, or in none), or the
    items are read in order until a page is full (a common word). At ROWS the planner would rather
    read these tables whole, so the plans are explained with sequential scans priced out (see
    sequential_scans): an index must serve every table. (Which of the two plans a word gets shows
    only at scale: at a million articles a word in 67 titles is found in 36 ms through the
    trigram index and a text in no title in 1 ms; without the index such a search tests the title
    of every item of the project.)"""
    client, project = client_for(corpus["manager"]), corpus["project"]

    def pages():
        for word in ("lighthouse", "harbour", "zeppelin"):  # rare, common (one title in 12), none
            found = client.get("/api/items/", {"project": project.pk, "q": word, "page_size": 20}).json()
            assert bool(found["results"]) == (word != "zeppelin")
            if found["next"]:
                client.get(found["next"])

    assert sequential_scans(pages, scans_discouraged=True) == {}


def test_counts_the_pages_show(corpus):
    project, annotator = corpus["project"], corpus["annotators"][0]

    def counts():
        projects_progress(projects=type(project).objects.filter(pk=project.pk))
        project_item_counts(project=project)
        labeling_progress(project=project, annotator=annotator)
        list(review_queue(project=project)[:50])

    assert sequential_scans(counts) == {}


def test_dashboard_and_project_admin_page(corpus):
    project, manager = corpus["project"], corpus["manager"]
    # A project's labels and gold are mostly older than the month of throughput the dashboard shows.
    Gold.objects.bulk_create([Gold(item_id=pk, version=1, status="accepted", sentiment="neutral")
                              for pk in project.items.filter(status="annotated").values_list("pk", flat=True)],
                             batch_size=5000)
    long_ago = timezone.now() - timedelta(days=90)
    Annotation.objects.filter(item__project=project).update(created_at=long_ago)
    Gold.objects.update(created_at=long_ago)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE annotations_annotation, annotations_gold")
    type(manager).objects.filter(pk=manager.pk).update(is_superuser=True)
    client = Client()
    client.force_login(manager)
    project_agreement_stored(project=project)  # the worker's refresh (eager here), before the pages read it

    def pages():
        dashboard.throughput(project=project)
        dashboard.agreement_summary(project=project)  # the stored report: no annotation is read
        dashboard.predictor_quality(project=project)  # stored with it
        predictor_quality_report(project=project)  # as the refresh computes it
        learning_curves(project=project)
        assert client.get(f"/admin/annotations/project/{project.pk}/change/").status_code == 200
        assert client.get("/admin/annotations/project/").status_code == 200

    assert sequential_scans(pages) == {}


def test_predictor_quality_reads_the_held_out_gold_in_a_plain_query_not_a_cursor(corpus):
    # PostgreSQL plans a server-side cursor (``iterator()``) for its first rows: at a million items
    # this read then walked the items in id order to merge them with the gold (220 ms against 2 ms
    # for the hash join a plain query gets); at this test's size both plans walk little, so the
    # test checks how the read is made.
    with CaptureQueriesContext(connection) as captured:
        predictor_quality_report(project=corpus["project"])

    gold_reads = [query["sql"] for query in captured.captured_queries if '"annotations_gold"."topics"' in query["sql"]]
    assert len(gold_reads) == 1
    assert not CURSOR.match(gold_reads[0])


def test_export_stream(corpus, monkeypatch):
    project = corpus["project"]
    # A chunk is the same share of this corpus as EXPORT_CHUNK_SIZE is of a million items: the
    # planner's choice between an index and a scan follows that share.
    monkeypatch.setattr(exports, "EXPORT_CHUNK_SIZE", 50)

    def stream():
        records = export_records(project=project, filters=ExportFilters(labels="annotations", gold_only=False))
        for _, _ in zip(range(1000), records):
            pass

    assert sequential_scans(stream) == {}


def test_big_lists_are_counted_from_the_plan(corpus):
    with CaptureQueriesContext(connection) as captured:
        estimate = estimated_count(Article.objects.all())
    assert estimate >= EXACT_BELOW and abs(estimate - ROWS) < ROWS // 10
    # At most a bounded count beside the plan: never one that reads every row.
    counts = [query["sql"].upper() for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
    assert counts and all(f"LIMIT {EXACT_BELOW}" in sql for sql in counts)
    few = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:49])
    assert estimated_count(Article.objects.filter(pk__in=few)) == 49  # small: counted exactly
