"""Synthetic news-like articles for benchmarks: Zipf-distributed made-up words, page junk,
exact duplicates and syndicated rewrites, in about the shares a scraped feed has."""

import json
import random
from itertools import accumulate
from pathlib import Path

VOCABULARY_SIZE = 20_000
SYLLABLES = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "an", "is", "ur", "pe", "qua", "zin", "bra", "ol"]
JUNK = ["Read Full Article", "Subscribe to our newsletter for the latest updates.", "Latest News",
        "Like us on Facebook and follow us on Twitter.", "[email protected]", "Next Stories"]
OUTLETS = ["Harbor Ledger", "Northwind Wire", "Valley Courier", "Metro Bulletin", "Coastline Times"]
# Shares of records that repeat an earlier article exactly, or rewrite an earlier story.
DUPLICATE_SHARE = 0.02
REWRITE_SHARE = 0.05


class ArticleMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = [self._word() for _ in range(VOCABULARY_SIZE)]
        # Cumulative Zipf weights, computed once: random.choices would redo it on every call.
        self.cum_weights = list(accumulate(1 / (rank + 1) for rank in range(VOCABULARY_SIZE)))

    def _word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4)))

    def sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=self.rng.randint(10, 24))
        return " ".join(words).capitalize() + "."

    def paragraphs(self) -> list[str]:
        return [" ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))
                for _ in range(self.rng.randint(5, 9))]


def records(count: int, rng: random.Random):
    """Yield ``count`` JSON-ready article records."""
    maker = ArticleMaker(rng)
    earlier: list[list[str]] = []
    for number in range(count):
        roll = rng.random()
        if earlier and roll < DUPLICATE_SHARE:
            paragraphs = rng.choice(earlier)
        elif earlier and roll < DUPLICATE_SHARE + REWRITE_SHARE:
            original = rng.choice(earlier)
            kept = rng.sample(original, k=max(1, len(original) // 2))
            paragraphs = kept + maker.paragraphs()[:3]
        else:
            paragraphs = maker.paragraphs()
        if len(earlier) < 2000:
            earlier.append(paragraphs)
        else:
            earlier[rng.randrange(len(earlier))] = paragraphs
        junk_top = [rng.choice(JUNK)] if rng.random() < 0.5 else []
        junk_bottom = rng.sample(JUNK, k=rng.randint(0, 3))
        text = "\n\n".join([*junk_top, *paragraphs, *junk_bottom])
        yield {"title": maker.sentence()[:90], "text": text, "source": rng.choice(OUTLETS),
               "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
               "url": f"https://news.example/{number}", "language": "en"}


def write_jsonl(path: Path, count: int, rng: random.Random) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records(count, rng):
            handle.write(json.dumps(record) + "\n")
    return path
