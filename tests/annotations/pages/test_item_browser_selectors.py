"""The item browser's reads: filters, keyset pages both ways (ties in the sort key and items
without a value included), what each role sees, and the blind project's limits."""

from datetime import datetime, timedelta, timezone

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Item, Prediction
from annotations.pages.items import selectors
from annotations.pages.items.keyset import cursor_decode, cursor_encode
from annotations.pages.items.selectors import Filters, browser_count, browser_page, browser_viewer
from tests.factories import ArticleFactory, ItemFactory, ProjectFactory, SourceFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db

DAY = datetime(2025, 3, 1, 9, tzinfo=timezone.utc)


def all_pages(viewer, filters=Filters(), size=2) -> list[list[int]]:
    """Every page from the first, following "next"; then back from the last, following "previous"
    (asserting both walks agree)."""
    forward, page = [], browser_page(viewer=viewer, filters=filters, size=size)
    forward.append([item.pk for item in page.rows])
    while page.next is not None:
        page = browser_page(viewer=viewer, filters=filters, size=size, after=page.next)
        forward.append([item.pk for item in page.rows])
    backward = [forward[-1]]
    while page.previous is not None:
        page = browser_page(viewer=viewer, filters=filters, size=size, before=page.previous)
        backward.insert(0, [item.pk for item in page.rows])
    assert backward == forward
    return forward


@pytest.fixture
def desk():
    """Seven items: published on three days (ties on two of them) and two never dated."""
    project = ProjectFactory(overlap=2)
    days = [DAY, DAY, DAY + timedelta(days=1), DAY - timedelta(days=1), None, DAY + timedelta(days=1), None]
    items = [ItemFactory(project=project, article=ArticleFactory(published_at=day)) for day in days]
    return project, items


def test_pages_by_publication_date_walk_ties_and_undated_items_both_ways(desk):
    project, items = desk
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))
    by_id = [item.pk for item in items]
    newest_first = [by_id[5], by_id[2], by_id[1], by_id[0], by_id[3], by_id[6], by_id[4]]
    oldest_first = [by_id[3], by_id[0], by_id[1], by_id[2], by_id[5], by_id[4], by_id[6]]

    pages = all_pages(viewer)
    assert sum(pages, []) == newest_first and [len(page) for page in pages] == [2, 2, 2, 1]
    assert sum(all_pages(viewer, Filters(sort="published"), size=3), []) == oldest_first


def test_pages_by_agreement_put_unknown_agreement_last(desk):
    project, items = desk
    for item, agreement in zip(items, [0.5, 0.5, 1.0, 0.2, None, 0.5, None]):
        Item.objects.filter(pk=item.pk).update(agreement=agreement)
    viewer = browser_viewer(project=project, user=member(project, "manager"))
    ids = [item.pk for item in items]

    assert sum(all_pages(viewer, Filters(sort="agreement")), []) == [ids[3], ids[0], ids[1], ids[5], ids[2], ids[4],
                                                                      ids[6]]
    assert sum(all_pages(viewer, Filters(sort="-agreement"), size=3), []) == [ids[2], ids[5], ids[1], ids[0],
                                                                             ids[3], ids[6], ids[4]]


def test_pages_by_id_both_directions(desk):
    project, items = desk
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))
    ids = [item.pk for item in items]

    assert sum(all_pages(viewer, Filters(sort="id"), size=3), []) == ids
    assert sum(all_pages(viewer, Filters(sort="-id"), size=4), []) == ids[::-1]


def test_a_cursor_round_trips_and_a_forged_one_gives_the_first_page():
    from annotations.pages.items.keyset import Cursor

    assert cursor_decode(cursor_encode(Cursor(DAY, 7)), datetimes=True) == Cursor(DAY, 7)
    assert cursor_decode(cursor_encode(Cursor(None, 7)), datetimes=True) == Cursor(None, 7)
    assert cursor_decode(cursor_encode(Cursor(0.25, 3)), datetimes=False) == Cursor(0.25, 3)
    assert cursor_decode("not-a-cursor", datetimes=True) is None
    assert cursor_decode(cursor_encode(Cursor("x'; drop", 1)), datetimes=False) is None


def test_filters_by_source_dates_status_agreement_suggestions_and_annotator():
    project = ProjectFactory(overlap=1)
    wire, daily = SourceFactory(name="Wire"), SourceFactory(name="Daily")
    ana, ben = member(project, username="ana"), member(project, username="ben")
    early = ItemFactory(project=project, article=ArticleFactory(source=wire, published_at=DAY))
    late = ItemFactory(project=project, article=ArticleFactory(source=daily, published_at=DAY + timedelta(days=3)))
    labelled = ItemFactory(project=project, article=ArticleFactory(source=wire, published_at=DAY + timedelta(days=1)))
    label(labelled, ana, sentiment="positive")
    Item.objects.filter(pk=late.pk).update(agreement=0.3)
    Prediction.objects.create(item=late, predictor="spacy-ner", version="1", labels={})
    label(late, ben)
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))

    def found(**given):
        return {item.pk for item in browser_page(viewer=viewer, filters=Filters(**given)).rows}

    assert found(source=wire.pk) == {early.pk, labelled.pk}
    assert found(published_from=DAY + timedelta(hours=1), published_before=DAY + timedelta(days=2)) == {labelled.pk}
    assert found(status=Item.Status.OPEN) == {early.pk}
    assert found(agreement_min=0.1, agreement_max=0.5) == {late.pk}
    assert found(suggestions=True) == {late.pk} and found(suggestions=False) == {early.pk, labelled.pk}
    assert found(annotator=ana.pk) == {labelled.pk}
    assert browser_count(viewer=viewer, filters=Filters(source=wire.pk)) == selectors.Count(2, exact=True)


def test_search_finds_words_of_the_title_and_the_text():
    project = ProjectFactory()
    council = ItemFactory(project=project, article=ArticleFactory(title="Council votes on harbour budget"))
    bridge = ItemFactory(project=project, article=ArticleFactory(title="Storm", body="The old bridge closed."))
    ItemFactory(project=project, article=ArticleFactory(title="Weather"))
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))

    def found(query):
        return {item.pk for item in browser_page(viewer=viewer, filters=Filters(query=query)).rows}

    assert found("harbour budget") == {council.pk}
    assert found("bridge closed") == {bridge.pk}
    assert found("nowhere-word") == set()


@pytest.mark.parametrize("ids_up_to", [2, 5_000], ids=["many match", "few match"])
def test_search_pages_every_matching_item_of_the_project_once_in_the_sort(monkeypatch, ids_up_to):
    """The ids step reads the whole corpus: articles of another project match too, and filter
    nothing of this one; both steps page the same items in the same order."""
    from ingest import selectors as corpus

    monkeypatch.setattr(corpus, "SEARCH_IDS_UP_TO", ids_up_to)
    project, other = ProjectFactory(), ProjectFactory()
    days = [DAY + timedelta(days=n % 3) for n in range(8)]
    items = [ItemFactory(project=project, article=ArticleFactory(title=f"Harbour {n}" if n % 4 else f"Budget {n}",
                                                                   published_at=day)) for n, day in enumerate(days)]
    for _ in range(3):
        ItemFactory(project=other, article=ArticleFactory(title="Harbour elsewhere"))
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))
    harbour = [item for n, item in enumerate(items) if n % 4]
    expected = [item.pk for item in sorted(harbour, key=lambda item: (item.article.published_at, item.article_id),
                                           reverse=True)]

    pages = all_pages(viewer, Filters(query="harbour"), size=2)
    assert [pk for page in pages for pk in page] == expected
    assert all_pages(viewer, Filters(query="zeppelin")) == [[]]
    assert browser_count(viewer=viewer, filters=Filters(query="harbour")) == selectors.Count(6, exact=True)


def test_a_common_word_is_counted_from_the_first_matches_when_they_suffice_else_in_full(monkeypatch):
    from ingest import selectors as corpus

    monkeypatch.setattr(corpus, "SEARCH_IDS_UP_TO", 3)
    project, other = ProjectFactory(), ProjectFactory()
    for n in range(6):
        ItemFactory(project=project, article=ArticleFactory(title=f"Harbour {n}"))
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))

    with CaptureQueriesContext(connection) as captured:
        count = browser_count(viewer=viewer, filters=Filters(query="harbour"), exact_up_to=3)

    assert not count.exact and count.value >= 4
    counts = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "ingest_articlesearch" not in counts[0]  # the matches are not read again
    # Another project's three items: fewer among the first four matches than the cap, so all are counted.
    for n in range(3):
        ItemFactory(project=other, article=ArticleFactory(title=f"Harbour elsewhere {n}"))
    elsewhere = browser_viewer(project=other, user=member(other, "reviewer"))
    assert browser_count(viewer=elsewhere, filters=Filters(query="harbour"), exact_up_to=3) == selectors.Count(
        3, exact=True)


def test_topic_filter_reads_everyones_labels_for_reviewers():
    project = ProjectFactory(overlap=2)
    politics = project.topics.get(name="Politics").pk
    ana, ben = member(project, username="ana"), member(project, username="ben")
    theirs, plain = ItemFactory.create_batch(2, project=project)
    label(theirs, ana, topics=[politics])
    label(plain, ben)
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))

    assert [item.pk for item in browser_page(viewer=viewer, filters=Filters(topic=politics)).rows] == [theirs.pk]


@pytest.fixture
def blind_desk():
    """A blind project: ana and ben labelled the same item (ben with a topic), ana holds one more."""
    project = ProjectFactory(overlap=2, blind=True)
    politics = project.topics.get(name="Politics").pk
    ana, ben = member(project, username="ana"), member(project, username="ben")
    shared, anas_other, nobodys = ItemFactory.create_batch(3, project=project)
    label(shared, ana, sentiment="positive")
    label(shared, ben, topics=[politics])
    label(anas_other, ana, topics=[politics])
    return project, ana, ben, politics, (shared, anas_other, nobodys)


def test_annotators_see_only_their_items_and_only_their_own_labels_in_a_blind_project(blind_desk):
    project, ana, ben, politics, (shared, anas_other, nobodys) = blind_desk
    viewer = browser_viewer(project=project, user=ana)

    def found(**given):
        return {item.pk for item in browser_page(viewer=viewer, filters=Filters(**given)).rows}

    assert viewer.blind and not viewer.oversees
    assert found() == {shared.pk, anas_other.pk}
    assert found(topic=politics) == {anas_other.pk}, "ben's topic on the shared item is not hers to see"
    # Status, agreement and the others' names are not hers to filter or sort by: ignored.
    assert found(status=Item.Status.OPEN, agreement_max=0.1, annotator=ben.pk) == {shared.pk, anas_other.pk}
    assert "agreement" not in viewer.sorts and selectors.browser_order(viewer=viewer, sort="agreement").value == (
        "article__published_at")
    rows = selectors.browser_rows(viewer=viewer, items=browser_page(viewer=viewer, filters=Filters()).rows)
    assert {row["status"] for row in rows} == {None} and {row["agreement"] for row in rows} == {None}
    assert all(len(row["assignments"]) == 1 and row["opens"].endswith(f"/label/{row['item']}/") for row in rows)


def test_reviewers_staff_and_outsiders(blind_desk):
    project, ana, ben, politics, items = blind_desk
    reviewer = browser_viewer(project=project, user=member(project, "reviewer"))
    staff = browser_viewer(project=project, user=UserFactory(is_staff=True))
    outsider = browser_viewer(project=project, user=UserFactory())

    assert len(browser_page(viewer=reviewer, filters=Filters()).rows) == 3
    assert len(browser_page(viewer=staff, filters=Filters()).rows) == 3
    assert browser_page(viewer=outsider, filters=Filters()).rows == []
    assert {item.pk for item in browser_page(viewer=reviewer, filters=Filters(topic=politics)).rows} == {
        items[0].pk, items[1].pk}
    rows = selectors.browser_rows(viewer=reviewer, items=browser_page(viewer=reviewer, filters=Filters(sort="id")).rows)
    assert rows[0]["assignments"] == [("ana", "Submitted"), ("ben", "Submitted")]
    assert rows[0]["opens"].endswith(f"/review/{items[0].pk}/")


def test_a_large_count_is_an_estimate(desk):
    project, items = desk
    viewer = browser_viewer(project=project, user=member(project, "reviewer"))

    assert browser_count(viewer=viewer, filters=Filters(), exact_up_to=7) == selectors.Count(7, exact=True)
    estimate = browser_count(viewer=viewer, filters=Filters(), exact_up_to=3)
    assert not estimate.exact and estimate.value >= 4
