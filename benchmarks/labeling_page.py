"""Labeling page speed in Chromium: python -m benchmarks.labeling_page [--words 5000] [--spans 500] [--runs 7]

Makes a fresh test database holding one project (PERSON, ORG, GPE; a small topic tree), one
fictional article of ``--words`` words (news-like sentences of made-up words, in paragraphs),
assigned to an annotator, and a prediction with ``--spans`` suggested spans (one or two words
each, on word boundaries), a document sentiment and two topics. Collects the static files into a
temporary folder, starts gunicorn (newsroom.wsgi, DEBUG off, WhiteNoise serving the files, as
deployed) on 127.0.0.1, logs in with Debian's Chromium through Playwright (the browser tests'
launch arguments) and, ``--runs`` times after one unmeasured warm-up load (the browser's cache
is warm afterwards, as for an annotator going from item to item):

- opens the item page and reads the Navigation Timing entry (responseStart, responseEnd,
  domInteractive, domContentLoadedEventEnd, loadEventEnd) and the ``labeling:ready`` mark the
  page's script sets once the text, its spans and the panels are drawn and the keys bound:
  "interactive" is that mark, counted from the start of navigation;
- applies one label through the real keyboard path (ArrowRight selects a word, a type's hotkey
  labels it) and reads the page's ``labeling:apply`` measure (script work: state, re-render of
  the touched paragraph, panels) and ``labeling:apply-frame`` (until the frame after it, so
  style, layout and paint are included);
- accepts one suggestion (``]`` then Enter) and all of them (Shift+A), read the same way; then
  drops the local draft the run left, so that every run starts from the same saved labels.

Prints the median and the range of each figure next to the targets (interactive < 300 ms, one
label < 50 ms); it asserts nothing.

Use PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom python -m benchmarks.labeling_page
"""

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test.utils import teardown_databases  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from annotations import queue  # noqa: E402
from annotations.models import Item, Membership, Prediction  # noqa: E402
from benchmarks import labeling_data  # noqa: E402
from benchmarks.corpus import ArticleMaker  # noqa: E402
from benchmarks.queue import HOST, Server  # noqa: E402
from ingest.models import Article, Source  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TARGET_INTERACTIVE_MS = 300
TARGET_APPLY_MS = 50
PASSWORD = "bench-pass-123"
REPO = Path(__file__).resolve().parent.parent
# Sentences per paragraph: about 60 words, a typical news paragraph.
SENTENCES_PER_PARAGRAPH = (2, 4)
VIEWPORT = {"width": 1280, "height": 800}
# One page load or one measure may take this long; beyond it something is broken, not slow.
WAIT_MS = 30_000
READY = "performance.getEntriesByName('labeling:ready').length > 0"
NAVIGATION = """() => { const n = performance.getEntriesByType("navigation")[0];
  return {response_start: n.responseStart, response_end: n.responseEnd, dom_interactive: n.domInteractive,
          dom_content_loaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          interactive: performance.getEntriesByName("labeling:ready")[0].startTime}; }"""
LAST_MEASURES = """() => { const last = (name) => performance.getEntriesByName(name).at(-1).duration;
  return {script: last("labeling:apply"), frame: last("labeling:apply-frame")}; }"""
COUNT_MEASURES = "(before) => performance.getEntriesByName('labeling:apply-frame').length > before"


# --- data ------------------------------------------------------------------------

def article_body(words: int, rng: random.Random) -> str:
    """About ``words`` words of news-like made-up sentences, in paragraphs."""
    maker, paragraphs, count = ArticleMaker(rng), [], 0
    while count < words:
        sentences = [maker.sentence() for _ in range(rng.randint(*SENTENCES_PER_PARAGRAPH))]
        paragraphs.append(" ".join(sentences))
        count += sum(len(sentence.split()) for sentence in sentences)
    return "\n\n".join(paragraphs)


def fill(*, words: int, spans: int, seed: int) -> tuple[Item, str]:
    """The project, the article, its item assigned to an annotator, and the suggestions."""
    rng = random.Random(seed)
    project = labeling_data.project_create(name="Labeling page benchmark")
    body = article_body(words, rng)
    article = Article.objects.create(title="A very long story", body=body, raw_text=body, content_hash="0" * 64,
                                     source=Source.objects.get_or_create(name="Harbor Ledger")[0], minhash=b"")
    item = Item.objects.create(project=project, article=article)
    annotator = get_user_model().objects.create_user("bench-annotator", password=PASSWORD)
    Membership.objects.create(project=project, user=annotator, role=Membership.Role.ANNOTATOR)
    queue.assignment_claim_next(project=project, annotator=annotator)
    suggested = [{"start": start, "end": end, "label": rng.choice(labeling_data.ENTITY_LABELS),
                  "text": body[start:end], "score": round(rng.uniform(0.3, 0.99), 2)}
                 for start, end in labeling_data.word_spans(body, rng, spans)]
    topics = [{"id": topic.pk, "name": topic.name, "score": score}
              for topic, score in zip(project.topics.order_by("id"), (0.6, 0.3))]
    Prediction.objects.create(item=item, predictor="spacy-ner", version="bench", labels={
        "spans": suggested, "entities": [], "sentiment": {"label": "neutral", "polarity": 0.0, "score": 0.6},
        "topics": topics})
    return item, annotator.username


# --- the browser ---------------------------------------------------------------------

def measure(*, url: str, item: Item, username: str, runs: int) -> list[dict]:
    """Open the item page ``runs`` times (after one warm-up) and time loading and labeling."""
    item_url = f"{url}/projects/{item.project_id}/label/{item.pk}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(WAIT_MS)
            page.on("dialog", lambda dialog: dialog.accept())  # leave the labelled page for the next run
            _log_in(page, url, username)
            return [_one_run(page, item_url) for _ in range(runs + 1)][1:]
        finally:
            browser.close()


def _log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(lambda address: "/accounts/login/" not in address)


def _one_run(page, item_url: str) -> dict:
    page.goto(item_url)
    page.wait_for_function(READY)
    figures = page.evaluate(NAVIGATION)
    keys = page.keyboard
    figures["label"] = _timed(page, lambda: [keys.press(key) for key in ("ArrowRight", "ArrowRight", "p")])
    figures["accept_one"] = _timed(page, lambda: (page.click("#article .sug >> nth=0"), keys.press("Enter")))
    figures["accept_all"] = _timed(page, lambda: keys.press("Shift+A"))
    page.evaluate("localStorage.clear()")  # the next run starts from the saved labels, not this run's draft
    return figures


def _timed(page, gesture) -> dict:
    """Do ``gesture`` (the user's steps; the last one applies something) and return the page's
    measures of that apply."""
    before = page.evaluate("performance.getEntriesByName('labeling:apply-frame').length")
    gesture()
    page.wait_for_function(COUNT_MEASURES, arg=before)
    return page.evaluate(LAST_MEASURES)


# --- running and reporting ---------------------------------------------------------------

def collect_static(folder: str) -> None:
    """collectstatic into ``folder`` (the server's NEWSROOM_VAR_DIR), as a deploy does."""
    env = {**os.environ, "NEWSROOM_VAR_DIR": folder}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=REPO,
                   check=True)


def run(args) -> list[dict]:
    old = labeling_data.fresh_database("labeling_page")
    folder = tempfile.mkdtemp(prefix="labeling-bench-")
    try:
        item, username = fill(words=args.words, spans=args.spans, seed=args.seed)
        collect_static(folder)
        # The gunicorn child reads it (static files live under it); this process's settings are loaded.
        os.environ["NEWSROOM_VAR_DIR"] = folder
        with Server(workers=args.workers, threads=1) as server:
            return measure(url=f"http://{HOST}:{server.port}", item=item, username=username, runs=args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        teardown_databases(old, verbosity=0)


def report(results: list[dict], args) -> None:
    print(f"\n{args.words:,}-word article, {args.spans} suggested spans, {len(results)} runs (after a warm-up); "
          "milliseconds, median [min-max]")
    rows = [
        ("response start (time to first byte)", [r["response_start"] for r in results], None),
        ("response end", [r["response_end"] for r in results], None),
        ("DOM interactive (HTML parsed)", [r["dom_interactive"] for r in results], None),
        ("DOMContentLoaded end", [r["dom_content_loaded"] for r in results], None),
        ("page interactive (labeling:ready)", [r["interactive"] for r in results], TARGET_INTERACTIVE_MS),
        ("load event end", [r["load"] for r in results], None),
        ("apply one label: script", [r["label"]["script"] for r in results], TARGET_APPLY_MS),
        ("apply one label: to next frame", [r["label"]["frame"] for r in results], TARGET_APPLY_MS),
        ("accept one suggestion: script", [r["accept_one"]["script"] for r in results], None),
        ("accept one suggestion: to next frame", [r["accept_one"]["frame"] for r in results], None),
        (f"accept all {args.spans} suggestions: script", [r["accept_all"]["script"] for r in results], None),
        (f"accept all {args.spans}: to next frame", [r["accept_all"]["frame"] for r in results], None),
    ]
    for name, values, target in rows:
        met = target is not None and statistics.median(values) < target
        verdict = "" if target is None else f"  target < {target} ms: {'met' if met else 'NOT MET'}"
        print(f"  {name:<40}{statistics.median(values):>8.1f}  [{min(values):.1f}-{max(values):.1f}]{verdict}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=500, help="suggested spans (default 500)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)  # like Ctrl+C: stop what was started, drop the database
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; Chromium {CHROMIUM}; server, database and "
          "browser on this machine", flush=True)
    report(run(args), args)


def _interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
