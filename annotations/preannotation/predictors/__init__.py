"""Predictors: the interface (``base``), the built-in kinds (one module each), the mapping of
their labels onto a project's schema (``mapping``) and the per-project registry (``registry``).

settings.NEWSROOM_PREDICTORS lists the kinds an installation offers. This package imports
nothing heavy: spaCy and scikit-learn load on first use, so the web process stays light.
"""
