"""Grouping the mentions of one article that name the same thing.

Three passes, each cheap and conservative (when a short mention could belong to two things, it
joins neither; an annotator merges by hand faster than they split):

1. Same key: mentions whose normalised tokens are equal ("Kim Jong Un", "Kim Jong-un",
   "President Kim Jong Un", "North Korea's"), whatever label the model gave each.
2. Person names: a shorter PERSON key joins the one longer PERSON key that contains all its
   tokens and shares its first or last token ("Mr. Kim", "Kim" -> "Kim Jong Un";
   "Donald Trump" -> "Donald J. Trump"). The shorter key may be an ORG too: small models often
   take a lone surname for an organisation. Not a GPE: "Washington" is rarely George.
3. Acronyms: an all-capitals ORG or GPE mention joins the one long form of the same label whose
   initials spell it ("KCNA" -> "Korean Central News Agency", "US" -> "United States").

Keys are casefolded, accent-free tokens without punctuation, hyphens, a possessive "'s", a
leading "the", honorifics ("Mr.", "Dr.", "former") and, for PERSON mentions, titles ("President",
"Prime Minister", "General", ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

Key = tuple[str, ...]

# Stripped from the front of any mention, as normalised token sequences: never part of a name.
HONORIFICS = frozenset(tuple(title.split()) for title in (
    "the", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "former", "late",
))
# Stripped from the front of PERSON mentions only: "General Motors" and "Justice Department"
# are names, "General Kim" and "Justice Hale" are people with a rank.
TITLES = HONORIFICS | frozenset(tuple(title.split()) for title in (
    "lord", "lady", "president", "vice president", "president elect", "prime minister",
    "deputy prime minister", "minister", "foreign minister", "chancellor", "premier",
    "supreme leader", "leader", "senator", "sen", "representative", "rep", "congressman",
    "congresswoman", "governor", "gov", "mayor", "judge", "justice", "chief justice", "secretary",
    "secretary general", "ambassador", "general", "gen", "colonel", "col", "lieutenant", "lt",
    "captain", "capt", "admiral", "adm", "sergeant", "sgt", "king", "queen", "prince", "princess",
    "pope", "rev", "reverend", "father", "chairman", "chairwoman", "chief executive", "ceo",
))
_LONGEST_TITLE = max(len(title) for title in TITLES)
# Words left out of an acronym: "Bank of England" -> BOE as well as BE.
ACRONYM_SKIPPED_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "du", "la"})
ACRONYM_LABELS = frozenset({"ORG", "GPE"})
PERSON = "PERSON"
# Labels a short mention may carry and still join a longer person's name.
SHORT_PERSON_LABELS = frozenset({PERSON, "ORG"})

_POSSESSIVE = re.compile(r"['’`]s?\s*$", re.IGNORECASE)
_HYPHENS = re.compile(r"[-‐‑‒–—]")
_PUNCTUATION = re.compile(r"[^\w\s]")
_NOT_WORD = re.compile(r"\W")


@dataclass
class MentionGroup:
    """Mentions (indices into the list given) that name one thing."""

    name: str
    label: str
    members: list[int] = field(default_factory=list)


def mention_key(text: str, label: str) -> Key:
    """The tokens that identify what a mention names; empty for bare punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _PUNCTUATION.sub("", _HYPHENS.sub(" ", _POSSESSIVE.sub("", text)))
    return _without_titles(tuple(text.split()), TITLES if label == PERSON else HONORIFICS)


def _without_titles(tokens: Key, titles: frozenset[Key]) -> Key:
    """tokens without leading titles, as long as a name is left after them."""
    stripped = True
    while stripped:
        stripped = False
        for length in range(min(_LONGEST_TITLE, len(tokens) - 1), 0, -1):
            if tokens[:length] in titles:
                tokens, stripped = tokens[length:], True
                break
    return tokens


def group_mentions(mentions: Sequence[tuple[str, str]]) -> list[MentionGroup]:
    """Group (text, label) mentions of one article; groups in order of their first mention."""
    keys = [mention_key(text, label) for text, label in mentions]
    forest = _Forest(len(mentions))
    first_with_key: dict[Key, int] = {}
    labels_of_key: dict[Key, list[str]] = {}
    for index, key in enumerate(keys):
        if key:
            forest.union(first_with_key.setdefault(key, index), index)
            labels_of_key.setdefault(key, []).append(mentions[index][1])
    labels = {key: _majority(key_labels) for key, key_labels in labels_of_key.items()}
    _join_person_names(first_with_key, labels, forest)
    _join_acronyms(first_with_key, labels, forest, mentions)
    groups = [_group(members, mentions, keys) for members in forest.sets()]
    return sorted(groups, key=lambda group: group.members[0])


def _join_person_names(first_with_key: dict[Key, int], labels: dict[Key, str], forest: _Forest) -> None:
    """Join each shorter key to the one longer PERSON key it abbreviates. Longest first: "Donald
    Trump" joins "Donald J. Trump" before "Trump" looks, so "Trump" sees one person, not two."""
    people = [key for key in first_with_key if labels[key] == PERSON]
    for short in sorted(first_with_key, key=len, reverse=True):
        if labels[short] in SHORT_PERSON_LABELS:
            longer = [key for key in people if len(key) > len(short) and _abbreviates(short, key)]
            _join_if_unique(first_with_key[short], [first_with_key[key] for key in longer], forest)


def _abbreviates(short: Key, long: Key) -> bool:
    return set(short) <= set(long) and (short[0] == long[0] or short[-1] == long[-1])


def _join_acronyms(first_with_key: dict[Key, int], labels: dict[Key, str], forest: _Forest,
                   mentions: Sequence[tuple[str, str]]) -> None:
    """Join all-capitals one-word ORG or GPE keys to the one long form whose initials spell them."""
    long_forms: dict[tuple[str, str], list[int]] = {}
    for key, index in first_with_key.items():
        if len(key) >= 2 and labels[key] in ACRONYM_LABELS:
            for initials in _initials(key):
                long_forms.setdefault((initials, labels[key]), []).append(index)
    for key, index in first_with_key.items():
        if len(key) == 1 and _looks_like_acronym(mentions[index][0]):
            _join_if_unique(index, long_forms.get((key[0], labels[key]), []), forest)


def _initials(key: Key) -> set[str]:
    content = [token for token in key if token not in ACRONYM_SKIPPED_WORDS]
    return {"".join(token[0] for token in key), "".join(token[0] for token in content)}


def _looks_like_acronym(text: str) -> bool:
    letters = _NOT_WORD.sub("", _POSSESSIVE.sub("", text))
    return 2 <= len(letters) <= 6 and letters.isupper()


def _join_if_unique(index: int, candidates: list[int], forest: _Forest) -> None:
    roots = {forest.find(candidate) for candidate in candidates}
    if len(roots) == 1:
        forest.union(roots.pop(), index)


def _group(members: list[int], mentions: Sequence[tuple[str, str]], keys: list[Key]) -> MentionGroup:
    """The name is the fullest mention (most key tokens), in its plainest form (the shortest,
    so without a title), then its most frequent, then its first."""
    surfaces = {i: _POSSESSIVE.sub("", mentions[i][0]).strip() for i in members}
    frequency = Counter(surfaces.values())
    fullest = max(len(keys[i]) for i in members)
    candidates = [i for i in members if len(keys[i]) == fullest]
    name_index = min(candidates, key=lambda i: (len(surfaces[i]), -frequency[surfaces[i]], i))
    label = _majority([mentions[i][1] for i in members], prefer=mentions[name_index][1])
    return MentionGroup(name=surfaces[name_index], label=label, members=members)


def _majority(labels: list[str], prefer: str | None = None) -> str:
    counts = Counter(labels)
    return max(counts, key=lambda label: (counts[label], label == prefer))


class _Forest:
    """Union-find over mention indices; the smaller index is the root, so roots are first mentions."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def union(self, first: int, second: int) -> None:
        first, second = self.find(first), self.find(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)

    def sets(self) -> list[list[int]]:
        members: dict[int, list[int]] = {}
        for index in range(len(self.parent)):
            members.setdefault(self.find(index), []).append(index)
        return list(members.values())
