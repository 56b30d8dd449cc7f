"""Pre-annotation: the machine's suggestions, from the predictors to how good they are.

    predictors/     the predictor interface, the built-in kinds (spaCy entities, VADER
                    sentiment, topics, gazetteer, HTTP backend), the mapping of their labels
                    onto a project's schema, and the per-project registry
    runs.py         enqueueing and running predictors over a project's items in batches, with
                    progress on PreannotationRun rows, failures on record and the periodic sweep
    suggestions.py  an item's newest prediction of each predictor, and what its labels suggest
    outcomes.py     what annotators kept of each suggestion, recorded at submit
    quality.py      each predictor version's precision and recall against held-out gold it never saw
    training.py     what each trained version saw of the gold (for the quality report)
    learning/       models each project trains on its own gold (topics, document sentiment,
                    entities, entity sentiment): the pure learners, and ModelVersion rows trained
                    on the train side, measured on held-out gold, promoted only when better
    calibration.py  per-topic thresholds calibrated on held-out gold, the suggestion rule and its
                    cross-fitted held-out figures (pure)
    pickled.py      to_bytes / from_bytes of the fitted scikit-learn models the app writes itself

May import ``annotations.models``, ``annotations.agreement`` and ``ingest``; the interfaces
(``api``, ``admin``, ``tasks``, the ``preannotate`` command, ``pages``) import this package,
never the other way round (``runs`` imports ``tasks`` only on use, to enqueue).
"""
