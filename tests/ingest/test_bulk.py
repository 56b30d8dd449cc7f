"""Bulk writes and key look-ups of an import, on every database (COPY on PostgreSQL)."""

from datetime import UTC, datetime

import numpy as np
import pytest
from django.db import IntegrityError, connection, transaction

from ingest.bulk import articles_insert, band_key_owners, band_keys_insert
from ingest.models import Article

pytestmark = pytest.mark.django_db


def row(number: int, **fields) -> dict:
    return {
        "title": f"Story {number}", "body": f"Body\twith a tab, a \\ and\nlines {number}", "raw_text": "raw",
        "content_hash": f"{number:064x}", "minhash": bytes(range(8)), "removed_lines": [{"line": 1, "text": "Ad"}],
        "published_at": datetime(2024, 5, 1, 12, tzinfo=UTC), "source_id": None, **fields,
    }


def test_articles_insert_returns_ids_in_order_and_stores_every_value():
    with transaction.atomic():
        ids = articles_insert([row(1), row(2, published_at=None)])
    first, second = (Article.objects.get(pk=pk) for pk in ids)
    assert (first.title, second.title) == ("Story 1", "Story 2")
    assert first.body == "Body\twith a tab, a \\ and\nlines 1"
    assert bytes(first.minhash) == bytes(range(8))
    assert first.removed_lines == [{"line": 1, "text": "Ad"}]
    assert (first.published_at, second.published_at) == (datetime(2024, 5, 1, 12, tzinfo=UTC), None)


def test_articles_insert_after_an_orm_insert_takes_the_next_ids():
    before = Article.objects.create(**row(1)).pk
    with transaction.atomic():
        ids = articles_insert([row(2)])
    after = Article.objects.create(**row(3)).pk
    assert before < ids[0] < after


def test_articles_insert_of_a_stored_hash_is_an_integrity_error():
    Article.objects.create(**row(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        articles_insert([row(2), row(1, title="Same words")])
    assert Article.objects.count() == 1


def test_band_keys_round_trip_from_pairs_and_arrays_over_the_full_64_bit_range():
    with transaction.atomic():
        owner, other = articles_insert([row(1), row(2)])
        band_keys_insert([(2**63 - 1, owner), (-(2**63), owner), (7, owner)])
        band_keys_insert(np.array([[7, other], [-5, other]], dtype=np.int64))
    found = band_key_owners(np.array([-(2**63), -5, 7, 8, 2**63 - 1], dtype=np.int64))
    assert sorted(found) == sorted([(-(2**63), owner), (-5, other), (7, owner), (7, other), (2**63 - 1, owner)])


def test_band_key_owners_leaves_the_planner_settings_of_the_transaction_as_they_were():
    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    with transaction.atomic(), connection.cursor() as cursor:
        query = "SELECT current_setting('enable_seqscan'), current_setting('jit')"
        cursor.execute(query)
        before = cursor.fetchone()
        band_key_owners(np.array([1, 2], dtype=np.int64))
        cursor.execute(query)
        assert cursor.fetchone() == before
