"""Learners trained on a project's gold, as pure machine-learning code (no Django imports).

    ner.py               spaCy NER fine-tuned from the shipped English pipeline onto the
                         project's own entity types
    entity_sentiment.py  target-dependent sentiment toward one entity mention, from the words
                         around it, and the sentence-VADER baseline it replaces
    metrics.py           exact-span P/R/F1 and label accuracy / macro-F1 (pure)

Each learner has ``train(examples, labels, seed=0, settings=None)``, ``predict(texts)``,
``evaluate(examples)`` and ``to_bytes()`` / ``from_bytes(data)``; versioning, storage and
promotion live outside this package.
"""
