"""Reads of the corpus."""

from django.db.models import QuerySet

from .models import Article, ImportBatch


def article_list() -> QuerySet[Article]:
    """Articles, newest first, with their source (lists never query per row)."""
    return Article.objects.select_related("source").defer("raw_text", "minhash", "removed_lines")


def import_batch_list() -> QuerySet[ImportBatch]:
    """Import batches, newest first."""
    return ImportBatch.objects.select_related("created_by")
