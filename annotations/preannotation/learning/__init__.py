"""Models a project trains on its own gold, proven on held-out gold and promoted only when better.

Pure machine-learning code (no Django imports), each learner with ``train``, ``predict``,
``evaluate`` and ``to_bytes()`` / ``from_bytes(data)``:

    ner.py               spaCy NER fine-tuned from the shipped English pipeline onto the
                         project's own entity types
    entity_sentiment.py  target-dependent sentiment toward one entity mention, from the words
                         around it, and the sentence-VADER baseline it replaces
    metrics.py           exact-span P/R/F1 and label accuracy / macro-F1 (pure)

The training framework, which reads the gold, versions, stores and promotes (Django):

    base.py         what a learnable kind offers (examples, train, calibrate, evaluate, bytes, predictor)
    kinds.py        KINDS, the registry of learnable kinds (plain dict: name -> kind)
    sentiment.py    document sentiment on the project's scale (TF-IDF + logistic regression), beside VADER
    topics.py       the gold topic classifier with held-out-calibrated thresholds
    versions.py     ModelVersion rows: create (one training per project and kind), train, promote, roll back
    schedule.py     what beat starts (new gold since the last version) and the sweep of lost trainings
    serving.py      the predictor kinds that serve a project's live version (project-sentiment, ...)
    entity_sentiment_serving.py  a live entity-sentiment version inside the entity predictors' suggestions

Every kind trains on the train side of the project's fixed gold split (``Item.gold_split``) only;
its figures are on the held-out side only, and record which items and how many.
"""
