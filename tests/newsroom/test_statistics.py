"""Planner statistics after bulk writes: what ANALYZE covers, and what the import leaves out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest.models import Article
from newsroom.db.statistics import tables_analyze
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'postgresql'")]


def analyze_statements(rows_written: int) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        tables_analyze(Article, rows_written=rows_written)
    return [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]


def planner_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'ingest_article'")
        return cursor.fetchone()[0]


@pytest.fixture
def analyzed_articles(settings):
    settings.DB_ANALYZE_MIN_ROWS = 1
    factories.ArticleFactory.create_batch(10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ingest_article")
    assert planner_rows() == 10


def test_a_write_small_against_the_table_analyzes_its_columns_only_and_still_counts_its_rows(analyzed_articles):
    factories.ArticleFactory.create_batch(1)

    statements = analyze_statements(rows_written=1)

    assert len(statements) == 1
    assert statements[0].startswith('ANALYZE "ingest_article" ("id", "title", ')
    assert planner_rows() == 11


def test_a_write_of_a_fifth_of_the_table_analyzes_all_of_it_index_expressions_included(analyzed_articles):
    factories.ArticleFactory.create_batch(2)

    assert analyze_statements(rows_written=2) == ['ANALYZE "ingest_article"']
    assert planner_rows() == 12


def test_a_write_below_the_minimum_analyzes_nothing(settings, analyzed_articles):
    settings.DB_ANALYZE_MIN_ROWS = 5

    assert analyze_statements(rows_written=4) == []


def test_article_texts_are_not_sampled_and_the_hash_has_no_pattern_index():
    with connection.cursor() as cursor:
        cursor.execute("""SELECT attname, attstattarget FROM pg_attribute
                          WHERE attrelid = 'ingest_article'::regclass AND attname IN ('body', 'raw_text', 'title')""")
        targets = dict(cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'ingest_article' AND indexdef LIKE '%%content_hash%%'")
        indexes = [row[0] for row in cursor.fetchall()]
    assert targets == {"body": 0, "raw_text": 0, "title": -1}
    assert len(indexes) == 1 and "UNIQUE" in indexes[0]
