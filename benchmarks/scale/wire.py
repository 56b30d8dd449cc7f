"""A growing news corpus for the scale benchmark: articles of realistic, long-tailed lengths,
exact duplicates, rewrites of earlier stories and wire copy (many rewrites of a few agency
stories at a time), generated fast enough for a million articles.

Words are drawn from a Zipf-distributed made-up vocabulary (as in ``benchmarks.corpus``), a
paragraph at a time with numpy. Every sentence is new: sentences drawn from a fixed pool would
recur in hundreds of articles at a million, and the shared sentences would chain unrelated
articles into one giant story cluster, which no real feed does.
"""

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.corpus import JUNK, OUTLETS, ArticleMaker

# Paragraph counts (2-4 sentences each): (weight, fewest, most). Mostly news stories of ~300-500
# words, some briefs, some long features.
LENGTHS = ((0.15, 2, 4), (0.65, 5, 9), (0.15, 10, 16), (0.05, 17, 30))
AGENCIES = ["Northwind Wire", "Global Press Agency", "Continental News Service"]


@dataclass(frozen=True)
class Shares:
    """Shares of records that repeat an earlier article exactly, rewrite a random earlier story,
    or are wire copy: a rewrite of one of ``live_stories`` agency stories, each of which is
    replaced by a new story after ``copies`` rewrites."""

    duplicate: float = 0.02
    rewrite: float = 0.05
    wire: float = 0.30
    live_stories: int = 50
    copies: int = 200


class WireCorpus:
    """An endless, reproducible stream of article records (dicts as a JSONL import carries them)."""

    def __init__(self, seed: int, shares: Shares = Shares()):
        self.rng = random.Random(seed)
        self.numbers = np.random.default_rng(seed)
        self.shares = shares
        self.words = ArticleMaker(self.rng).words  # by Zipf rank: words[0] is the commonest
        self._vocabulary = np.array(self.words, dtype=object)
        cumulative = np.cumsum(1 / np.arange(1, len(self.words) + 1))
        self._cumulative = cumulative / cumulative[-1]
        self.earlier: list[list[str]] = []  # a bounded sample of stored stories, for duplicates and rewrites
        self.stories = [self._new_story() for _ in range(shares.live_stories)]  # [paragraphs, copies left]
        self.number = 0

    def records(self, count: int) -> Iterator[dict]:
        """The next ``count`` records of the stream."""
        for _ in range(count):
            yield self._record()

    def write_jsonl(self, path: Path, count: int) -> Path:
        with path.open("w", encoding="utf-8") as handle:
            for record in self.records(count):
                handle.write(json.dumps(record) + "\n")
        return path

    def _record(self) -> dict:
        rng, shares = self.rng, self.shares
        roll = rng.random()
        source = rng.choice(OUTLETS)
        if self.earlier and roll < shares.duplicate:
            paragraphs = rng.choice(self.earlier)
        elif self.earlier and roll < shares.duplicate + shares.rewrite:
            original = rng.choice(self.earlier)
            paragraphs = rng.sample(original, k=max(1, len(original) // 2)) + self._paragraphs(2, 3)
        elif roll < shares.duplicate + shares.rewrite + shares.wire:
            paragraphs, source = self._wire_copy(), rng.choice(AGENCIES + OUTLETS)
        else:
            paragraphs = self._paragraphs(*self._length())
        self._remember(paragraphs)
        self.number += 1
        junk_top = [rng.choice(JUNK)] if rng.random() < 0.5 else []
        junk_bottom = rng.sample(JUNK, k=rng.randint(0, 3))
        return {"title": self._sentences([rng.randint(6, 14)])[0][:90], "text": "\n\n".join([*junk_top, *paragraphs, *junk_bottom]),
                "source": source, "url": f"https://news.example/{self.number}", "language": "en",
                "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"}

    def _wire_copy(self) -> list[str]:
        """An outlet's version of a live agency story: most paragraphs kept, a local lede or
        ending sometimes added; the story is replaced once it has had its copies."""
        slot = self.rng.randrange(len(self.stories))
        story = self.stories[slot]
        story[1] -= 1
        if story[1] <= 0:
            self.stories[slot] = self._new_story()
        kept = [paragraph for paragraph in story[0] if self.rng.random() < 0.85] or story[0][:1]
        lede = self._paragraphs(1, 1) if self.rng.random() < 0.3 else []
        ending = self._paragraphs(1, 2) if self.rng.random() < 0.3 else []
        return lede + kept + ending

    def _new_story(self) -> list:
        return [self._paragraphs(6, 12), self.shares.copies]

    def _remember(self, paragraphs: list[str]) -> None:
        if len(self.earlier) < 2000:
            self.earlier.append(paragraphs)
        else:
            self.earlier[self.rng.randrange(len(self.earlier))] = paragraphs

    def _length(self) -> tuple[int, int]:
        weights = [weight for weight, _, _ in LENGTHS]
        _, fewest, most = self.rng.choices(LENGTHS, weights=weights)[0]
        return fewest, most

    def _paragraphs(self, fewest: int, most: int) -> list[str]:
        """Paragraphs of 2-4 sentences of 10-24 words."""
        rng = self.rng
        return [" ".join(self._sentences([rng.randint(10, 24) for _ in range(rng.randint(2, 4))]))
                for _ in range(rng.randint(fewest, most))]

    def _sentences(self, lengths: list[int]) -> list[str]:
        """Sentences of these word counts, their words drawn at once."""
        ranks = np.searchsorted(self._cumulative, self.numbers.random(sum(lengths)))
        words = self._vocabulary[np.minimum(ranks, len(self.words) - 1)].tolist()
        sentences, start = [], 0
        for length in lengths:
            sentence = " ".join(words[start:start + length])
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            start += length
        return sentences
