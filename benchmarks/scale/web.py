"""What people wait for, measured over HTTP against gunicorn: item list pages (first, deep,
filtered, searched) through the API lists and the item browser page where there is one, the
dashboard and project pages, and the labeling queue (next + submit) under 50 annotators and
saturated. Lists are read through their ``next`` links, so page-number and cursor pagination
both work."""

import http.client
import json
import math
import re
import time
from dataclasses import replace
from html import unescape
from urllib.parse import urljoin, urlsplit

from benchmarks import queue as queue_benchmark
from benchmarks.served import HOST

# Requests per URL for its percentiles (--quick uses fewer).
SAMPLES = 20
# A deep page is the one reached by following ``next`` this many times from the first page.
DEEP_FOLLOWS = 20
REQUEST_TIMEOUT_S = 150  # beyond gunicorn's own timeout (processes.REQUEST_TIMEOUT_S)
# A URL whose first answer took longer than this is sampled fewer times, so that one slow query
# cannot take the run's hour: (seconds, samples at most).
SLOW_URL_SAMPLES = ((5.0, 0), (1.0, 3))  # 0: the first answer is the only sample
# Where an item browser page may live; the first that answers 200 is measured.
BROWSER_PATHS = ("/items/?project={project}", "/projects/{project}/items/")
_NEXT_LINK = (re.compile(r'<a[^>]*rel="next"[^>]*href="([^"]+)"'), re.compile(r'<a[^>]*href="([^"]+)"[^>]*rel="next"'),
              re.compile(r'<a[^>]*href="([^"]+)"[^>]*>\s*(?:Next|next|Older|More|›|»)'))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)] if ordered else float("nan")


class Fetcher:
    """One kept-alive connection with the caller's credentials (a token or a session cookie)."""

    def __init__(self, port: int, headers: dict):
        self.port, self.headers = port, headers
        self.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
            status, body = response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            status, body = 0, b""
        return status, body, time.perf_counter() - started

    def timed(self, path: str, samples: int) -> dict:
        """p50/p95 of ``samples`` GETs of ``path`` after one unmeasured GET; ``errors``: every status
        other than 200 seen (0: no answer)."""
        status, body, first = self.get(path)
        timings, statuses = [], {status}
        for slow_s, at_most in SLOW_URL_SAMPLES:
            if first > slow_s:
                samples = min(samples, at_most)
                break
        for _ in range(samples):
            status, body, seconds = self.get(path)
            timings.append(1000 * seconds)
            statuses.add(status)
        timings = timings or [1000 * first]
        return {"path": path, "p50_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95),
                "max_ms": max(timings), "samples": samples,
                "errors": sorted(statuses - {200}), "bytes": len(body)}

    def close(self) -> None:
        self.connection.close()


def _local(url: str) -> str:
    """The path and query of a link (absolute or not), to request on this connection."""
    parts = urlsplit(unescape(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def next_link(body: bytes, content_type_json: bool) -> str | None:
    if content_type_json:
        data = json.loads(body)
        return _local(data["next"]) if isinstance(data, dict) and data.get("next") else None
    text = body.decode("utf-8", errors="replace")
    for pattern in _NEXT_LINK:
        found = pattern.search(text)
        if found:
            return _local(found.group(1))
    return None


def deep_path(fetcher: Fetcher, first: str, *, json_list: bool, follows: int = DEEP_FOLLOWS) -> tuple[str, int]:
    """The page reached by following ``next`` up to ``follows`` times, and how many were followed."""
    path, followed = first, 0
    for _ in range(follows):
        status, body, _ = fetcher.get(path)
        link = next_link(body, json_list) if status == 200 else None
        if not link:
            break
        path, followed = _local(urljoin(path, link)), followed + 1  # a link may be relative ("?after=...")
    return path, followed


def api_lists(*, port: int, token: str, project_id: int, source_id: int, title_word: str, text_word: str,
              rare_word: str, samples: int) -> dict:
    """The API's item and article lists: first page, deep page, filtered page, searches."""
    fetcher = Fetcher(port, {"Authorization": f"Token {token}"})
    try:
        first = f"/api/items/?project={project_id}"
        deep, followed = deep_path(fetcher, first, json_list=True)
        results = {
            "items_first": fetcher.timed(first, samples),
            "items_deep": {**fetcher.timed(deep, samples), "follows": followed},
            "items_filtered": fetcher.timed(f"/api/items/?project={project_id}&status=open&source={source_id}"
                                            f"&published_after=2024-07-01T00:00:00Z", samples),
            "items_title_search": fetcher.timed(f"/api/items/?project={project_id}&q={title_word}", samples),
            "articles_first": fetcher.timed("/api/articles/", samples),
            "articles_search": fetcher.timed(f"/api/articles/?q={text_word}", samples),
            "articles_search_rare": fetcher.timed(f"/api/articles/?q={rare_word}", samples),
        }
        status, body, _ = fetcher.get(first)
        count = json.loads(body).get("count") if status == 200 else None
        if count and "page=" in (json.loads(body).get("next") or ""):
            # Page numbers: also the middle of the list, which OFFSET reaches by reading every row before it.
            size = len(json.loads(body)["results"]) or 1
            results["items_middle"] = fetcher.timed(f"{first}&page={max(1, count // size // 2)}", max(3, samples // 4))
        return results
    finally:
        fetcher.close()


def browser_pages(*, port: int, cookie: str, project_id: int, source_id: int, title_word: str,
                  samples: int) -> dict | None:
    """The item browser page, if the product has one: first, deep, filtered and searched pages."""
    fetcher = Fetcher(port, {"Cookie": cookie})
    try:
        for template in BROWSER_PATHS:
            first = template.format(project=project_id)
            if fetcher.get(first)[0] == 200:
                break
        else:
            return None
        joiner = "&" if "?" in first else "?"
        deep, followed = deep_path(fetcher, first, json_list=False)
        return {
            "browser_first": fetcher.timed(first, samples),
            "browser_deep": {**fetcher.timed(deep, samples), "follows": followed},
            "browser_filtered": fetcher.timed(f"{first}{joiner}status=open&source={source_id}", samples),
            "browser_search": fetcher.timed(f"{first}{joiner}q={title_word}", samples),
        }
    finally:
        fetcher.close()


def pages(*, port: int, cookie: str, project_id: int, samples: int) -> dict:
    """The project's pages a manager opens: dashboard, project page (admin), review list, home."""
    fetcher = Fetcher(port, {"Cookie": cookie})
    try:
        return {
            "dashboard": fetcher.timed(f"/projects/{project_id}/dashboard/", samples),
            "project_page": fetcher.timed(f"/admin/annotations/project/{project_id}/change/", samples),
            "review_list": fetcher.timed(f"/projects/{project_id}/review/", samples),
            "home": fetcher.timed("/", samples),
        }
    finally:
        fetcher.close()


def labeling_queue(*, server, project_id: int, tokens: list[str], steady_s: float, saturated_s: float,
                   seed: int) -> dict:
    """next + submit with 50 annotators pausing 1 s between requests, then 20 clients without pause."""
    results = {}
    for mode, seconds in (("steady", steady_s), ("saturated", saturated_s)):
        run = queue_benchmark.drive(server=server, project_id=project_id, tokens=tokens,
                                    mode=replace(queue_benchmark.MODES[mode], duration_s=seconds), seed=seed)
        results[mode] = _queue_figures(run, clients=queue_benchmark.MODES[mode].clients)
    return results


def _queue_figures(run, *, clients: int) -> dict:
    figures = {"clients": clients, "seconds": run.elapsed,
               "requests_per_s": len(run.samples) / run.elapsed,
               "errors": sum(1 for _, status, _ in run.samples if status not in queue_benchmark.OK_STATUSES)}
    for endpoint in ("next", "submit"):
        timings = [1000 * seconds for name, _, seconds in run.samples if name == endpoint]
        figures[endpoint] = {"requests": len(timings), "p50_ms": percentile(timings, 50),
                             "p95_ms": percentile(timings, 95), "p99_ms": percentile(timings, 99)}
    figures["submits_per_s"] = figures["submit"]["requests"] / run.elapsed
    return figures
