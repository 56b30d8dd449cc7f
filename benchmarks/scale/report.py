"""The benchmark's output: a line per stage as it goes, then one table of every figure per
checkpoint with the target beside it, and the same as JSON."""

import json
from pathlib import Path

INTERACTIVE_P95_MS = 200
NEXT_P99_MS = 50
IMPORT_RATE_SHARE = 0.9
EXPORT_PEAK_MB = 300


def _get(data: dict, path: str):
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def interactive_paths(checkpoint: dict) -> list[str]:
    """Every interactive figure's p95 path in a checkpoint (lists, browser, pages, next, submit)."""
    paths = [f"lists.{name}.p95_ms" for name in checkpoint.get("lists", {})]
    paths += [f"browser.{name}.p95_ms" for name in checkpoint.get("browser") or {}]
    paths += [f"pages.{name}.p95_ms" for name in checkpoint.get("pages", {})]
    paths += ["queue.steady.next.p95_ms", "queue.steady.submit.p95_ms"]
    return paths


def rows(result: dict) -> list[tuple[str, str, list, str]]:
    """(label, unit, [value per checkpoint], target) for the table."""
    checkpoints = [result["checkpoints"][key] for key in sorted(result["checkpoints"], key=int)]
    first = checkpoints[0] if checkpoints else {}
    table = [
        ("import rate, stage", "art/s", "import.rate", ""),
        ("import rate, last 10k", "art/s", "import.last_window_rate",
         f">= {IMPORT_RATE_SHARE:.0%} of the first size's ({IMPORT_RATE_SHARE * (_get(first, 'import.last_window_rate') or 0):,.0f})"),
        ("import cost, last 10k", "ms/art", "import.last_window_ms", ""),
        ("clustering, last 10k", "ms/art", "import.clustering_last_window_ms", "flat"),
        ("generation (not counted)", "s", "import.generate_s", ""),
    ]
    if _get(checkpoints[-1] if checkpoints else {}, "search_lag") is not None:
        table += [("search vectors, worker", "s", "search_lag.seconds", ""),
                  ("search vectors, worker", "art/s", "search_lag.rate", "")]
    for path in interactive_paths(checkpoints[-1] if checkpoints else {}):
        table.append((path.rsplit(".", 1)[0].replace("lists.", "").replace("pages.", "page ").replace(".", " "),
                      "ms p95", path, f"< {INTERACTIVE_P95_MS}"))
    table += [
        ("next p50", "ms", "queue.steady.next.p50_ms", ""),
        ("next p99 (50 annotators)", "ms", "queue.steady.next.p99_ms", f"< {NEXT_P99_MS}"),
        ("submit p99", "ms", "queue.steady.submit.p99_ms", ""),
        ("queue errors (steady+saturated)", "", "queue.errors", "0"),
        ("saturated throughput", "req/s", "queue.saturated.requests_per_s", ""),
        ("saturated submits", "/s", "queue.saturated.submits_per_s", ""),
        ("export jsonl", "docs/s", "exports.jsonl.rate", ">= first size's"),
        ("export jsonl peak RSS", "MB", "exports.jsonl.peak_rss_mb", f"< {EXPORT_PEAK_MB}"),
        ("export conll", "docs/s", "exports.conll.rate", ">= first size's"),
        ("export conll peak RSS", "MB", "exports.conll.peak_rss_mb", f"< {EXPORT_PEAK_MB}"),
        ("export documents (gold)", "", "exports.jsonl.documents", ""),
        ("release build in worker", "s", "release.seconds", ""),
        ("db per article, total", "bytes", "storage.database_per_article", ""),
        ("  articles table", "bytes", "storage.per_article.articles.table", ""),
        ("  articles indexes", "bytes", "storage.per_article.articles.indexes", ""),
        ("  band keys (table+idx)", "bytes", "storage.band_keys_per_article", ""),
        ("  items (table+idx)", "bytes", "storage.items_per_article", ""),
        ("  per prediction", "bytes", "storage.per_prediction", ""),
        ("web idle RSS / PSS", "MB", "memory.idle.web", ""),
        ("web peak RSS / PSS", "MB", "memory.peak.web", ""),
        ("worker idle RSS / PSS", "MB", "memory.idle.worker", ""),
        ("worker peak RSS / PSS", "MB", "memory.peak.worker", ""),
        ("load average (1 min), start", "", "load_average", ""),
        ("load average (1 min), end", "", "load_average_end", ""),
    ]
    return [(label, unit, [_get(c, path) for c in checkpoints], target) for label, unit, path, target in table]


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict) and "rss_mb" in value:
        return f"{value['rss_mb']:,.0f}/{value['pss_mb']:,.0f}"
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(result: dict) -> None:
    sizes = sorted(result["checkpoints"], key=int)
    print("\n" + f"{'figure':<36}{'unit':<8}" + "".join(f"{int(size):>14,}" for size in sizes) + "   target")
    for label, unit, values, target in rows(result):
        print(f"{label:<36}{unit:<8}" + "".join(f"{_cell(value):>14}" for value in values) + f"   {target}")
    print("\ntargets at the largest size:")
    for line, met in verdicts(result):
        print(f"  [{'met' if met else 'MISSED' if met is False else 'n/a'}] {line}")
    for note in result["notes"]:
        print(f"note: {note}")
    server = result.get("database_server") or {}
    print("database server: " + ", ".join(f"{name} {value}" for name, value in server.items()))


def verdicts(result: dict) -> list[tuple[str, bool | None]]:
    sizes = sorted(result["checkpoints"], key=int)
    if not sizes:
        return []
    first, last = result["checkpoints"][sizes[0]], result["checkpoints"][sizes[-1]]
    out = []
    small, large = _get(first, "import.last_window_rate"), _get(last, "import.last_window_rate")
    out.append((f"import rate at {int(sizes[-1]):,} (last 10k) {large:,.0f}/s >= {IMPORT_RATE_SHARE:.0%} of "
                f"{small:,.0f}/s at {int(sizes[0]):,}", large >= IMPORT_RATE_SHARE * small if small else None))
    slow = [(path, _get(last, path)) for path in interactive_paths(last)
            if (_get(last, path) or 0) >= INTERACTIVE_P95_MS]
    out.append((f"every interactive p95 < {INTERACTIVE_P95_MS} ms" + (
        ": over it " + ", ".join(f"{path} {value:,.0f}" for path, value in slow) if slow else ""), not slow))
    next_p99 = _get(last, "queue.steady.next.p99_ms")
    out.append((f"next p99 {next_p99:,.1f} ms < {NEXT_P99_MS} ms", next_p99 < NEXT_P99_MS))
    for fmt in ("jsonl", "conll"):
        rate_small, rate_large = _get(first, f"exports.{fmt}.rate"), _get(last, f"exports.{fmt}.rate")
        peak = _get(last, f"exports.{fmt}.peak_rss_mb")
        out.append((f"export {fmt} {rate_large:,.0f} docs/s >= {rate_small:,.0f} at the first size, peak "
                    f"{peak:,.0f} MB < {EXPORT_PEAK_MB}", rate_large >= rate_small and peak < EXPORT_PEAK_MB))
    return out


def write_json(result: dict, path: Path | None) -> None:
    if path:
        result = {**result, "verdicts": [{"target": line, "met": met} for line, met in verdicts(result)]}
        path.write_text(json.dumps(result, indent=2, default=str))
