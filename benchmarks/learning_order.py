"""Random vs uncertainty order: does labelling what the live model is least sure of first teach it
faster? python -m benchmarks.learning_order [--documents 600] [--seeds 5] [--retrain-every 25]
[--random-share 0.2]

The kind the queue scores is document sentiment (``Project.queue_order`` "uncertainty": the live
document-sentiment version's margin uncertainty, ``learning.sentiment.margin_uncertainty``), so
this trains the product's ``SentimentModel`` on the project's scale. Gold: the wire-copy stories of
``benchmarks.learning_news``, each story's sentiment being its headline's: the sentiment of the
headline's entities where they agree (a rescue is positive, a defeat negative), neutral where
they disagree or have none (about 42% negative, 37% neutral, 21% positive).
Split as the product splits gold (``learning.held_out``); every figure is macro-F1 on the same
held-out stories.

Simulated annotators reveal the gold of whatever the queue hands them, from the train-side pool:
- random order: a shuffled pool;
- uncertainty order, as the queue serves it: the first ``--retrain-every`` stories in the
  queue's default order (no live model yet; the pool is shuffled, so at random), then a live
  version retrained every ``--retrain-every`` stories (``MODEL_RETRAIN_MIN_NEW_GOLD``'s default),
  whose scores order the rest; each claim takes a random story instead with ``--random-share``
  (the project's ``uncertainty_random_share``), decided by the queue's own ``claim_is_random``
  hash. (In the product a random claim may also reach a held-out story, which trains nothing;
  here the held-out stories are apart from the start.)
Each order is run with ``--seeds`` shuffles and the F1 averaged. Prints F1 at 25/50/100/150
stories per order and how many stories the uncertainty order needs to reach the random order's
F1 at 150 (measured every 5 stories).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import Counter
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()  # the learners live beside Django models; nothing here touches a database

from annotations.preannotation.learning.metrics import label_scores  # noqa: E402
from annotations.preannotation.learning.sentiment import SentimentModel  # noqa: E402
from annotations.queue_order import claim_is_random  # noqa: E402

from .learning import held_out  # noqa: E402
from .learning_news import SCALE, news_corpus  # noqa: E402

SIZES = (25, 50, 100, 150)
STEP = 5  # stories between two measurements of the uncertainty curve
# A story-set of wire copy big enough that 150 labelled stories are a third of the pool, as when
# a team labels part of what it imported (the active-learning case).
DEFAULT_DOCUMENTS = 600


def document_sentiment(text: str, targets: list) -> str:
    """The story's sentiment: its headline's (the first line's) entity sentiments where they agree,
    neutral where they disagree or have none."""
    headline_end = text.find("\n") if "\n" in text else len(text)
    polar = {sentiment for (_, end), sentiment in targets if end <= headline_end and sentiment != "neutral"}
    return polar.pop() if len(polar) == 1 else "neutral"


def load_stories(documents: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(train-side pool, held-out) as (text, sentiment), split as the product splits gold."""
    stories = news_corpus(documents, held_out=held_out)
    pool, test = [], []
    for number, story in enumerate(stories, start=1):
        (test if held_out(number) else pool).append((story.text, document_sentiment(story.text, story.targets)))
    return pool, test


def macro_f1(labelled: list[tuple[str, str]], test: list[tuple[str, str]]) -> float:
    model = SentimentModel.train([t for t, _ in labelled], [s for _, s in labelled], scale=SCALE, seed=0)
    predicted = [label for label, _ in model.predict([t for t, _ in test])]
    return label_scores([s for _, s in test], predicted, SCALE)["macro_f1"]


def uncertainty_order(pool: list[tuple[str, str]], *, seed: int, until: int, retrain_every: int,
                      random_share: float) -> list[int]:
    """Pool indexes in the order the uncertainty queue hands them out, ``until`` of them."""
    rng = random.Random(seed)
    at_random = list(range(len(pool)))
    rng.shuffle(at_random)
    place = {index: position for position, index in enumerate(at_random)}  # the default order's
    project = SimpleNamespace(pk=seed, uncertainty_random_share=random_share)
    taken: list[int] = []
    left = list(at_random)
    scores: dict[int, float] = {}
    while len(taken) < until:
        if len(taken) % retrain_every == 0 and len(taken) >= retrain_every:
            scores = _scores(pool, taken)  # a new live version pre-annotates the pool
        if not scores or claim_is_random(project=project, annotator_id=1, claims=len(taken)):
            chosen = left[0]
        else:
            chosen = max(left, key=lambda index: (scores[index], -place[index]))
        left.remove(chosen)
        taken.append(chosen)
    return taken


def _scores(pool: list[tuple[str, str]], taken: list[int]) -> dict[int, float]:
    labelled = [pool[index] for index in taken]
    model = SentimentModel.train([t for t, _ in labelled], [s for _, s in labelled], scale=SCALE, seed=0)
    return {index: uncertainty for index, (_, _, uncertainty)
            in enumerate(model.predict_with_uncertainty([text for text, _ in pool]))}


def curves(pool, test, *, seeds: int, retrain_every: int, random_share: float) -> dict[str, dict[int, float]]:
    """Mean held-out macro-F1 by number of labelled stories, per order."""
    points = sorted(set(range(STEP * 5, max(SIZES) + 1, STEP)) | set(SIZES))
    results = {"random": {n: [] for n in points}, "uncertainty": {n: [] for n in points}}
    for seed in range(seeds):
        shuffled = list(range(len(pool)))
        random.Random(seed).shuffle(shuffled)
        ordered = {"random": shuffled, "uncertainty": uncertainty_order(
            pool, seed=seed, until=max(points), retrain_every=retrain_every, random_share=random_share)}
        for name, order in ordered.items():
            for n in points:
                results[name][n].append(macro_f1([pool[index] for index in order[:n]], test))
    return {name: {n: statistics.mean(values) for n, values in by_size.items()} for name, by_size in results.items()}


def reaches(curve: dict[int, float], target: float) -> int | None:
    """The fewest stories from which ``curve`` stays at ``target`` or above at every later
    measurement (a single lucky point does not count), or None."""
    sizes = sorted(curve)
    return next((n for i, n in enumerate(sizes) if all(curve[m] >= target for m in sizes[i:])), None)


def compare_orders(*, documents: int = DEFAULT_DOCUMENTS, seeds: int = 5, retrain_every: int = 25,
                   random_share: float = 0.2) -> dict:
    """Print the comparison; returns the curves and the reaching point."""
    started = time.perf_counter()
    pool, test = load_stories(documents)
    print(f"\n== random vs uncertainty order (document sentiment): pool {len(pool)} train-side stories, "
          f"{len(test)} held out ({dict(Counter(s for _, s in test))}); {seeds} seeds; a live version every "
          f"{retrain_every} stories; random share {random_share:g}", flush=True)
    results = curves(pool, test, seeds=seeds, retrain_every=retrain_every, random_share=random_share)
    print("| stories | random order macro-F1 | uncertainty order macro-F1 |\n|---|---|---|")
    for n in SIZES:
        print(f"| {n} | {results['random'][n]:.3f} | {results['uncertainty'][n]:.3f} |")
    for name, curve in results.items():
        print(f"{name} every {STEP}: " + " ".join(f"{n}:{f1:.3f}" for n, f1 in sorted(curve.items())))
    target = results["random"][max(SIZES)]
    reached = reaches(results["uncertainty"], target)
    print(f"uncertainty order reaches the random order's F1 at {max(SIZES)} ({target:.3f}) at: "
          f"{f'{reached} stories' if reached else f'not within {max(SIZES)} stories'} "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    return {"curves": results, "target": target, "reached": reached}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS, help="generated stories, both sides")
    parser.add_argument("--seeds", type=int, default=5, help="shuffles averaged per order")
    parser.add_argument("--retrain-every", type=int, default=25, help="stories between two live versions")
    parser.add_argument("--random-share", type=float, default=0.2, help="the project's uncertainty_random_share")
    args = parser.parse_args(argv)
    compare_orders(documents=args.documents, seeds=args.seeds, retrain_every=args.retrain_every,
                   random_share=args.random_share)


if __name__ == "__main__":
    main()
