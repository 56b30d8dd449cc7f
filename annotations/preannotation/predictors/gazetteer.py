"""A gazetteer: the desk's own list of names, found wherever they occur as whole words.

Newsrooms keep lists of the people, parties and places they cover; suggesting them exactly
is cheap and precise, and complements a statistical model that misses house names.
Options: ``{"terms": {"Eastland": "GPE", "Mara Voss": "PERSON"}, "case_sensitive": false}``.
"""

import hashlib
import re

from .base import PredictionContext, SpanSuggestion, Suggestions


class GazetteerPredictor:
    name = "gazetteer"

    def __init__(self, terms: dict[str, str], *, case_sensitive: bool = False):
        self.terms = dict(terms)
        self.case_sensitive = case_sensitive
        flags = 0 if case_sensitive else re.IGNORECASE
        # Longest terms first, so "Eastland Times" wins over "Eastland" at the same place.
        alternatives = "|".join(re.escape(term) for term in sorted(self.terms, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags) if self.terms else None
        self.label_of = {self._key(term): label for term, label in self.terms.items()}
        # The version changes with the list, so a new list is predicted afresh beside the old one.
        self.version = f"terms-{_fingerprint(self.terms)}"

    @classmethod
    def from_options(cls, options: dict) -> "GazetteerPredictor":
        return cls(options.get("terms") or {}, case_sensitive=bool(options.get("case_sensitive", False)))

    def predict(self, texts: list[str], context: PredictionContext) -> list[Suggestions]:
        return [Suggestions(spans=self._spans(text)) for text in texts]

    def _spans(self, text: str) -> list[SpanSuggestion]:
        if self.pattern is None:
            return []
        return [SpanSuggestion(start=m.start(), end=m.end(), label=self.label_of[self._key(m.group())],
                               text=m.group(), score=1.0) for m in self.pattern.finditer(text)]

    def _key(self, term: str) -> str:
        return term if self.case_sensitive else term.casefold()


def _fingerprint(terms: dict[str, str]) -> str:
    digest = hashlib.sha256(repr(sorted(terms.items())).encode()).hexdigest()
    return digest[:10]
