"""The labeling page: ``views`` (start screen, item page), ``selectors`` (the annotator's
assignment, progress, story versions and the item's payload with its suggestions) and
``guidelines`` (the project's Markdown guidelines as safe HTML)."""
