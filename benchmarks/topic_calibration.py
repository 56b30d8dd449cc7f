"""Topic suggestions at calibrated thresholds against the old rule:
python -m benchmarks.topic_calibration [--gold 300 1000] [--fresh 1000] [--seed 7]

For each gold size, in a fresh test database: a project with eight topics and ``--gold``
labeled news-like articles (``benchmarks.topic_news``: overlapping vocabularies, one to three
topics per article, passing mentions of other topics, 80 to 1,400 words, a labeler's omissions)
accepted as gold through ``gold_accept``, which puts each item on its side of the split; plus
``--fresh`` articles of the same kind that never become gold, standing in for the articles
annotators will open next. A ``topics`` model version is then trained, calibrated and stored
through the learning framework (``model_version_create``, trained in-process), and the product's predictor and mapping (``project_predictors``,
``suggestions_to_labels``) suggest topics for the held-out and the fresh articles, once at the
version's calibrated thresholds and once by the old rule (every topic from 0.2, at most 3); and,
for reference, by the rule of a version without calibration data (its top topic from 0.5).

Prints, per rule and set of articles: suggested topics per article (mean, and how many got 0, 1,
2, 3 or more), micro precision / recall / F1 and the share of articles whose suggestions are
exactly their gold topics; the figures the admin shows for the version (held-out, cross-fitted)
beside the same thresholds measured on the very items they were calibrated on, and beside what
the fresh articles get; per topic the threshold and precision/recall; and a few articles with
their gold and suggested topics.

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.topic_calibration
"""

import argparse
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.test.utils import teardown_databases  # noqa: E402

from annotations.gold import gold_accept  # noqa: E402
from annotations.models import GoldSplit, Item, Project  # noqa: E402
from annotations.preannotation.calibration import figures, topics_suggested  # noqa: E402
from annotations.preannotation.predictors.mapping import ProjectSchema, suggestions_to_labels  # noqa: E402
from annotations.preannotation.predictors.registry import prediction_context, project_predictors  # noqa: E402
from annotations.preannotation.learning.versions import model_version_create, model_version_load  # noqa: E402
from benchmarks import labeling_data, topic_news  # noqa: E402
from ingest.models import Article, Source  # noqa: E402
from newsroom.celery import app  # noqa: E402

OLD_RULE = {"min_topic_score": 0.2, "max_topics": 3}  # the mapping's defaults, which trained versions used
SAMPLE_ARTICLES = 8


@dataclass
class Trained:
    """What the benchmark reads of a topics version: its training items, thresholds by topic id and
    the held-out figures the admin shows (per topic by id: precision, recall, positives)."""

    trained_on: list[int]
    thresholds: dict[int, float | None]
    shown: dict


def topics_version_train(project: Project) -> Trained:
    """Train, calibrate and store the project's next topics version, in this process."""
    app.conf.task_always_eager = True  # the training runs here, when the version's row commits
    version = model_version_create(project=project, kind="topics", trigger="benchmark")
    version.refresh_from_db()
    if version.status != "done":
        raise SystemExit(f"The topics version did not train: {version.status} {version.error}")
    model, figures_ = model_version_load(version), version.figures
    ids = model.ids
    shown = {"micro_precision": figures_["micro_precision"], "micro_recall": figures_["micro_recall"],
             "micro_f1": figures_["micro_f1"], "items": figures_["n_items"],
             "topics": {ids[name]: {"precision": row["p"], "recall": row["r"], "positives": row["support"]}
                        for name, row in figures_["per_label"].items() if name in ids}}
    return Trained(trained_on=version.trained_on, thresholds=model.thresholds, shown=shown)


def project_create(*, name: str) -> Project:
    project = Project.objects.create(name=name, overlap=1)
    for topic in topic_news.TOPICS:
        project.topics.create(name=topic)
    project.predictors.create(kind="topics", options=OLD_RULE)
    return project


def items_create(*, project: Project, articles: list[topic_news.LabeledArticle], prefix: str) -> list[Item]:
    source, _ = Source.objects.get_or_create(name="Benchmark Wire")
    with transaction.atomic():
        rows = Article.objects.bulk_create([
            Article(title=f"Article {prefix}{n}", body=a.text, raw_text=a.text, source=source, language="en",
                    url=f"https://news.example/{prefix}{n}", content_hash=f"{prefix}{n}".rjust(64, "0"), minhash=b"")
            for n, a in enumerate(articles)])
        return Item.objects.bulk_create([Item(project=project, article=article) for article in rows])


def gold_create(*, project: Project, items: list[Item], articles: list[topic_news.LabeledArticle]) -> None:
    ids = dict(project.topics.values_list("name", "id"))
    for item, labeled in zip(items, articles):
        gold_accept(item=item, reviewer=None, topics=[ids[name] for name in labeled.topics])


def suggestions(project: Project, items: list[Item]) -> tuple[list[set[int]], list[set[int]], list[dict]]:
    """Per item: topics suggested at the version's thresholds, by the old rule, and all scores."""
    [configured] = project_predictors(project=project, kinds=["topics"])
    schema = ProjectSchema.of(project)
    texts = [item.article.body for item in items]
    calibrated, old, scores = [], [], []
    for suggestion in configured.predictor.predict(texts, prediction_context(project)):
        labels, stored = suggestions_to_labels(suggestion, schema=schema, label_map={}, options=configured.options)
        old_labels, _ = suggestions_to_labels(suggestion, schema=schema, label_map={}, options=OLD_RULE)
        calibrated.append({topic["id"] for topic in labels["topics"]})
        old.append({topic["id"] for topic in old_labels["topics"]})
        scores.append({int(pk): score for pk, score in stored["topics"].items()})
    return calibrated, old, scores


def run(size: int, fresh_count: int, seed: int) -> None:
    rng = random.Random(seed)
    project = project_create(name=f"Topics {size}")
    labeled = topic_news.articles(size, rng)
    fresh_articles = topic_news.articles(fresh_count, rng)
    gold_items = items_create(project=project, articles=labeled, prefix=f"g{size}-")
    fresh_items = items_create(project=project, articles=fresh_articles, prefix=f"f{size}-")
    gold_create(project=project, items=gold_items, articles=labeled)
    started = time.perf_counter()
    classifier = topics_version_train(project)
    trained_in = time.perf_counter() - started
    sides = dict(Item.objects.filter(pk__in=[item.pk for item in gold_items]).values_list("pk", "gold_split"))
    ids = dict(project.topics.values_list("name", "id"))
    names = {pk: name for name, pk in ids.items()}
    held = [(item, {ids[t] for t in a.topics}) for item, a in zip(gold_items, labeled)
            if sides[item.pk] == GoldSplit.HELD_OUT]
    fresh = [(item, {ids[t] for t in a.topics}) for item, a in zip(fresh_items, fresh_articles)]
    assert not set(classifier.trained_on) & {item.pk for item, _ in held}

    _print_data(size, labeled, classifier, len(held), len(fresh), trained_in)
    results = {}
    for label, rows in (("held-out gold", held), ("fresh articles", fresh)):
        calibrated, old, scores = suggestions(project, [item for item, _ in rows])
        gold = [topics for _, topics in rows]
        results[label] = (calibrated, old, scores, gold)
        print(f"\n  {label} ({len(rows)} articles, {statistics.mean(map(len, gold)):.2f} gold topics each)")
        _print_rule("calibrated thresholds", calibrated, gold)
        _print_rule("old rule (0.2, top 3)", old, gold)
        _print_rule("top topic only", [set(topics_suggested(row, {})) for row in scores], gold)
    _print_honesty(classifier, results)
    _print_topics(classifier, names, results["fresh articles"])
    _print_sample(names, results["held-out gold"], rng)


def _print_data(size, labeled, classifier, held, fresh, trained_in):
    words = [len(a.text.split()) for a in labeled]
    per_article = Counter(len(a.topics) for a in labeled)
    print(f"\n=== {size} gold articles: {len(classifier.trained_on)} trained on, {held} held out; {fresh} fresh ===")
    print(f"  words per article: median {statistics.median(words):.0f}, 10th-90th percentile "
          f"{sorted(words)[len(words) // 10]}-{sorted(words)[len(words) * 9 // 10]}; gold topics per article: "
          + ", ".join(f"{k}: {per_article[k] / len(labeled):.0%}" for k in sorted(per_article)))
    print(f"  trained, calibrated and stored in {trained_in:.1f} s; thresholds for "
          f"{sum(v is not None for v in classifier.thresholds.values())} of {len(topic_news.TOPICS)} topics")


def _print_rule(name: str, suggested: list[set[int]], gold: list[set[int]]) -> None:
    measured = figures(suggested, gold)
    counts = Counter(min(len(topics), 3) for topics in suggested)
    spread = " ".join(f"{k}{'+' if k == 3 else ''}:{counts[k]}" for k in range(4))
    print(f"    {name:22} {statistics.mean(map(len, suggested)):.2f} per article ({spread})  "
          f"P {measured['micro_precision']:.3f}  R {measured['micro_recall']:.3f}  F1 {measured['micro_f1']:.3f}  "
          f"exact {measured['subset_accuracy']:.3f}")


def _print_honesty(classifier, results) -> None:
    shown = classifier.shown
    calibrated, _, scores, gold = results["held-out gold"]
    thresholds = classifier.thresholds
    in_sample = figures([set(topics_suggested(row, thresholds)) for row in scores], gold)
    fresh = figures(results["fresh articles"][0], results["fresh articles"][3])
    print("\n  what the admin shows against what annotators will get")
    for name, measured in (("admin: held-out, cross-fitted", shown),
                           ("same thresholds on the items they were calibrated on", in_sample),
                           ("fresh articles at the stored thresholds", fresh)):
        print(f"    {name:54} P {measured['micro_precision']:.3f}  R {measured['micro_recall']:.3f}  "
              f"F1 {measured['micro_f1']:.3f}  ({measured['items']} articles)")


def _print_topics(classifier, names, fresh) -> None:
    calibrated, old, _, gold = fresh
    now, before = figures(calibrated, gold)["topics"], figures(old, gold)["topics"]
    shown = classifier.shown["topics"]
    print("\n  per topic: threshold | admin P / R (held-out) | fresh P / R at threshold | fresh P / R, old rule")
    for pk, name in sorted(names.items(), key=lambda pair: pair[1]):
        threshold = classifier.thresholds.get(pk)
        admin = shown.get(pk, {})
        print(f"    {name:12} {'top only' if threshold is None else f'{threshold:.3f}':>8} | "
              f"{_f(admin.get('precision'))} / {_f(admin.get('recall'))} ({admin.get('positives', 0)} with it) | "
              f"{_f(now.get(pk, {}).get('precision'))} / {_f(now.get(pk, {}).get('recall'))} | "
              f"{_f(before.get(pk, {}).get('precision'))} / {_f(before.get(pk, {}).get('recall'))}")


def _print_sample(names, held, rng) -> None:
    calibrated, old, scores, gold = held
    print("\n  held-out articles: gold | calibrated | old rule")
    for index in sorted(rng.sample(range(len(gold)), min(SAMPLE_ARTICLES, len(gold)))):
        def listed(topics):
            return ", ".join(sorted(names[pk] for pk in topics)) or "-"
        print(f"    {listed(gold[index]):32} | {listed(calibrated[index]):32} | {listed(old[index])}")


def _f(value) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=int, nargs="+", default=[300, 1000], help="gold articles per run")
    parser.add_argument("--fresh", type=int, default=1000, help="articles that never become gold")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    old = labeling_data.fresh_database("topic_calibration")
    try:
        for size in args.gold:
            run(size, args.fresh, args.seed)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
