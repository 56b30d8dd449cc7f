"""The corpus: outlets, articles, story clusters and the import batches that brought them."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .querysets import ArticleQuerySet


class Source(models.Model):
    """An outlet that publishes articles."""

    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=253, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StoryCluster(models.Model):
    """Articles that tell one story: near-duplicates and syndicated rewrites share a cluster."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"Story #{self.pk}"


class ImportBatch(models.Model):
    """One import run: who brought which files, when, and what came of each item."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    format = models.CharField(max_length=16, default="auto", help_text="Forced input format, or auto.")
    source_name = models.CharField(max_length=200, blank=True, help_text="Outlet for items that name none.")
    column_map = models.JSONField(default=dict, blank=True)
    inputs = models.JSONField(default=list, blank=True, help_text="Names of the imported files.")
    total = models.PositiveIntegerField(null=True, blank=True, help_text="Expected items, when known.")
    processed_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    near_duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the whole batch failed, if it did.")
    search_indexed_count = models.PositiveIntegerField(
        default=0, help_text="The batch's articles whose search vector is built (they are found by text search).")
    # An id, not a foreign key: ingest knows nothing of labeling projects (annotations checks it).
    project_id = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="The labeling project the batch's articles go to, new ones and duplicates of stored ones alike.")
    verbatim = models.BooleanField(
        default=False, help_text="Keep every text exactly as sent (no cleaning), so offsets into it stay valid; "
                                 "a record can also ask for it alone.")
    # The job's lifecycle: a run claims the row (claimed_at is its token), commits chunk by chunk
    # (heartbeat_at, cursor), and a run that stops beating is taken over by the sweep.
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker was last asked to run it; empty while the broker was unreachable.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the current run claimed the batch.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When the running import last committed a chunk.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs that claimed the batch (resumes count).")
    cursor = models.JSONField(
        default=dict, blank=True,
        help_text="How far the committed chunks reach: records read so far and the origin of the last one.")

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import #{self.pk} ({self.get_status_display()})"

    @property
    def search_pending(self) -> int:
        """Articles the batch created whose search vectors are not built yet."""
        return max(0, self.created_count - self.search_indexed_count)


class Article(models.Model):
    """A news article: cleaned ``body`` for annotators, ``raw_text`` exactly as imported.

    Span offsets of annotations point into ``body``, so it must not change once an
    item on it has been annotated.
    """

    title = models.CharField(max_length=500)
    body = models.TextField()
    raw_text = models.TextField()
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    url = models.CharField(max_length=2000, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=16, blank=True)
    tokens = models.JSONField(
        null=True, blank=True,
        help_text="The article's own tokens when it came with them (CoNLL, token-level labels): sentences, each a "
                  "list of [start, end] offsets into body. Exports keep them instead of tokenising again.")
    content_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the normalised body.")
    story_cluster = models.ForeignKey(
        StoryCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    origin = models.CharField(max_length=1000, blank=True, help_text="File, line or row it came from.")
    format = models.CharField(max_length=16, blank=True)
    removed_lines = models.JSONField(
        default=list, blank=True, help_text="Lines cleaning removed from the page: line, text, reason."
    )
    shingle_count = models.PositiveIntegerField(default=0)
    minhash = models.BinaryField(help_text="MinHash signature of the body's word shingles.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # (published_at, id): the item browser's keyset pages by publication date, the id breaking ties;
        # with the source first for those pages filtered by outlet.
        indexes = [models.Index(fields=["published_at", "id"], name="article_published_id_idx"),
                   models.Index(fields=["source", "published_at", "id"], name="article_source_published_idx")]

    def __str__(self):
        return self.title


class ArticleSearch(models.Model):
    """An article's full-text search vector (title weighted above body), built by a Celery job
    after the import: indexing it inside the import cost half of the database's time per article.

    An article without a row is not yet searchable on PostgreSQL. The vector is null on other
    databases (the embedded demo searches title and body directly).
    """

    article = models.OneToOneField(Article, primary_key=True, on_delete=models.CASCADE, related_name="search")
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "article search vector"


class StoryBandKey(models.Model):
    """One LSH band key of an article's MinHash: articles sharing a key are same-story candidates.

    Looking candidates up by key keeps near-duplicate search sub-quadratic. Derived data in an
    unlogged table (PostgreSQL, migration 0011: no WAL for ~64 random index writes per article);
    a crash empties it and the next import rebuilds it from the articles' signatures.
    """

    pk = models.CompositePrimaryKey("key", "article")
    key = models.BigIntegerField()
    # No database constraint: checking it costs one query per key (64 per article, a sixth
    # of an import's time). Keys are written only with their article, in its transaction,
    # and deleting an article through the ORM deletes its keys; a key left behind by a
    # raw delete is skipped by the story lookup.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_constraint=False)


class ImportRecord(models.Model):
    """An item of a batch that did not become a new article as it came (a duplicate or a
    failure), or that was stored only after repair (characters the database cannot hold removed)."""

    class Outcome(models.TextChoices):
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"
        REPAIRED = "repaired", "Repaired"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    origin = models.CharField(max_length=1000)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, db_index=True)
    message = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The article a duplicate matched, or the article a repaired item became.",
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.origin}: {self.get_outcome_display()}"
