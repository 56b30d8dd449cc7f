"""The labeling: projects and their schema, items and assignments, annotations, review into
gold, agreement, pre-annotation, datasets, and the pages, API and admin over them.

Core domain modules (plain functions over the models)::

    models/         one module per concern: projects (schema, members), items (assignments, gold
                    split), labels (annotations, gold), preannotation, model_versions, releases
    querysets.py    reusable filters: each annotator's current annotation, labels with a topic
    projects.py     a project's schema and members, what labels it accepts, its topic paths
    validation.py   checks of labels against a project's rules and the article body (pure)
    queue.py        the next-item queue: assignments, leases, skipping
    services.py     writes of labeling: submitting annotations
    provenance.py   where each submitted label came from; suggestions rejected or pending (pure)
    gold.py         writes of review: gold versions (accepted, composed, unanimous), reopening, sending back
    selectors.py    reads of labeling, scoped to the caller; an item's review and gold history
    review.py       annotators' versions side by side, disagreements marked, entity sentiment
                    included (pure; the same rule decides unanimous gold)
    intake.py       which imported articles join which project
    permissions.py  project roles and the per-action permission declarations
    receivers.py    reactions to ingest's signals; tasks.py the Celery adapters

One folder per concern::

    agreement/      inter-annotator agreement, per project and per item
    preannotation/  predictors, runs, suggestion quality, training on gold
    datasets/       export formats, label importers, exports, releases, label imports
    pages/          the browser pages, each with its reads
    api/            the REST API, one module per resource
    admin/          the Django admin, one module per concern

Dependencies point one way: ``annotations`` may import ``ingest``, never the reverse. Inside,
the interfaces (``api``, ``admin``, ``pages``, ``tasks``, commands) import the domain, and
the domain imports no interface (``preannotation.runs`` and ``datasets.releases`` import
``tasks`` only on use, to enqueue).
"""
