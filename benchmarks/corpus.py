"""Synthetic news-like articles for benchmarks: Zipf-distributed made-up words, page junk,
exact duplicates and syndicated rewrites, in about the shares a scraped feed has, or, in
the syndication-heavy mix, wire copy: most articles rewrites of a few agency stories."""

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
# Syndication-heavy mix (wire copy): the share of records that rewrite an agency story, how
# many agency stories run at once, and how many copies each gets before it drops off the wire.
WIRE_REWRITE_SHARE = 0.90
WIRE_LIVE_STORIES = 50
WIRE_COPIES_PER_STORY = 200
LOCAL_LINES = ["{outlet} contacted local officials, who declined to comment.",
               "Residents in the {outlet} area said they were following the news closely.",
               "This story has been updated with additional reporting by {outlet} staff.",
               "Additional reporting by the {outlet} newsdesk."]


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


class WireDesk:
    """Agency stories on the wire and the rewrites outlets make of them.

    ``WIRE_LIVE_STORIES`` stories run at once; one that got ``WIRE_COPIES_PER_STORY``
    copies drops off and a new one replaces it, as a news cycle moves on.
    """

    def __init__(self, maker: ArticleMaker, rng: random.Random, live: int = WIRE_LIVE_STORIES,
                 copies: int = WIRE_COPIES_PER_STORY):
        self.maker, self.rng, self.copies = maker, rng, copies
        self.filed = 0  # agency stories so far: their serial numbers
        self.stories = [self._file() for _ in range(live)]

    def _file(self) -> list:
        self.filed += 1
        return [self.maker.paragraphs(), 0, self.filed]

    def copy(self, outlet: str) -> tuple[list[str], int]:
        """A rewrite of a live agency story for ``outlet``, and the story's serial number."""
        slot = self.rng.randrange(len(self.stories))
        story = self.stories[slot]
        story[1] += 1
        if story[1] >= self.copies:
            self.stories[slot] = self._file()
        return rewrite(story[0], self.maker, self.rng, outlet), story[2]


def rewrite(paragraphs: list[str], maker: ArticleMaker, rng: random.Random, outlet: str) -> list[str]:
    """What an outlet does to wire copy: a new or reworded lead, paragraphs moved, the end cut,
    a word changed here and there, and a local line or two inserted."""
    lead, *body = paragraphs
    if rng.random() < 0.6:
        lead = maker.sentence() + " " + lead.split(". ", 1)[-1]  # its own first sentence
    if len(body) > 2 and rng.random() < 0.7:
        moved = body.pop(rng.randrange(len(body)))
        body.insert(rng.randrange(len(body) + 1), moved)
    body = body[:len(body) - rng.randint(0, min(3, len(body) - 1))] if body else body
    body = [_reword(paragraph, maker, rng) if rng.random() < 0.3 else paragraph for paragraph in body]
    for _ in range(rng.randint(0, 2)):
        local = rng.choice([maker.sentence(), rng.choice(LOCAL_LINES).format(outlet=outlet)])
        body.insert(rng.randrange(len(body) + 1), local)
    return [lead, *body]


def _reword(paragraph: str, maker: ArticleMaker, rng: random.Random) -> str:
    words = paragraph.split(" ")
    position = rng.randrange(len(words))
    words[position] = rng.choice(maker.words[:2000])
    return " ".join(words)


def records(count: int, rng: random.Random, syndication: str = "default", live_stories: int = WIRE_LIVE_STORIES,
            stories: list | None = None):
    """Yield ``count`` JSON-ready article records (``syndication``: "default" or "heavy", with
    ``live_stories`` agency stories on the wire at once). With a ``stories`` list, append
    to it, per record, the serial number of the agency story it rewrites (None if none)."""
    maker = ArticleMaker(rng)
    wire = WireDesk(maker, rng, live_stories) if syndication == "heavy" else None
    rewrite_share = WIRE_REWRITE_SHARE if wire else REWRITE_SHARE
    earlier: list[list[str]] = []
    for number in range(count):
        roll, outlet, story = rng.random(), None, None
        if earlier and roll < DUPLICATE_SHARE:
            paragraphs = rng.choice(earlier)
        elif wire and roll < DUPLICATE_SHARE + rewrite_share:
            outlet = rng.choice(OUTLETS)
            paragraphs, story = wire.copy(outlet)
        elif earlier and roll < DUPLICATE_SHARE + rewrite_share:
            original = rng.choice(earlier)
            kept = rng.sample(original, k=max(1, len(original) // 2))
            paragraphs = kept + maker.paragraphs()[:3]
        else:
            paragraphs = maker.paragraphs()
        if len(earlier) < 2000:
            earlier.append(paragraphs)
        else:
            earlier[rng.randrange(len(earlier))] = paragraphs
        if stories is not None:
            stories.append(story)
        junk_top = [rng.choice(JUNK)] if rng.random() < 0.5 else []
        junk_bottom = rng.sample(JUNK, k=rng.randint(0, 3))
        text = "\n\n".join([*junk_top, *paragraphs, *junk_bottom])
        yield {"title": maker.sentence()[:90], "text": text, "source": outlet or rng.choice(OUTLETS),
               "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
               "url": f"https://news.example/{number}", "language": "en"}


def write_jsonl(path: Path, count: int, rng: random.Random, syndication: str = "default") -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records(count, rng, syndication):
            handle.write(json.dumps(record) + "\n")
    return path
