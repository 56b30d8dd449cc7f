"""A million articles: python -m benchmarks.scale [--sizes 10000,100000,1000000] [--quick] [--out FILE]

Grows one corpus (generated: long-tailed lengths, exact duplicates, rewrites of earlier stories
and wire copy, i.e. many rewrites of a few agency stories at a time) and imports it into a fresh
PostgreSQL test database through the product's import path (the reader and service of
``manage.py import_articles``: cleaning, metadata, dedupe, story clusters, and items of a
project whose intake takes every article). At each checkpoint size it measures:

- import rate per stage (articles/s end to end, generation not counted) and the cost per article
  of the last 10,000 articles before the checkpoint (and the story clustering's share of it);
- with gunicorn (4 sync workers) and a Celery worker (2 processes) serving that database:
  item list pages (first, deep: 20 ``next`` links on, filtered, searched) through the API and the
  item browser page where there is one; the dashboard and project pages; ``next`` + submit with
  50 annotators and saturated (``benchmarks.queue``'s clients); a release built by the worker;
  idle and peak RSS/PSS of the web and worker process trees;
- the streamed export (JSONL, CoNLL) of the project's gold in a process of its own: docs/s and
  peak RSS (as ``benchmarks.export`` measures);
- database bytes per article (article table and indexes, band keys, items, labels, predictions).

No pre-annotation runs over the corpus: gold (5,000 items, with two annotators' labels and one
prediction each) is written in bulk. Progress with rates and ETA is printed as it goes, a table
with the targets at the end; ``--out`` writes everything as JSON (after every checkpoint, so a
run stopped early keeps what it measured).

Use PostgreSQL and Redis:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
      python -m benchmarks.scale --out scale.json
"""
