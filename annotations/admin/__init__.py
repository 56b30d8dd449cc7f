"""Admin for labeling, one module per concern: projects with their schema, taxonomy, members
and predictors; items with the manager's bulk actions; the labels (annotations, gold,
releases); the pipeline's pre-annotation rows, read-only; and the versions of the models trained on
a project's gold, with promotion and roll-back.

Django autodiscovers ``annotations.admin``: importing the modules registers their admins.
Actions call the same domain functions as the API (``actions`` holds what they share).
"""

from . import articles, items, labels, model_versions, preannotation, projects  # noqa: F401  (registers the admins)
