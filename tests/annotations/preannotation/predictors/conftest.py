import pytest

from annotations.preannotation.predictors.spacy_ner import load_pipeline


@pytest.fixture(scope="session")
def nlp():
    """The real NER pipeline, loaded once for the session (about a second)."""
    return load_pipeline()
