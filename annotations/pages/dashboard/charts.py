"""Server-side SVG charts: horizontal bar charts and line charts as inline, accessible SVG.

Pure: plain values in, markup out, no database. Every piece of text is escaped here, so
callers may pass user-controlled labels (usernames, topic names). Each chart is an image
with a title and a description a screen reader announces; pages show the same numbers in
a table below it, so nothing is only visible as a shape.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

Number = int | float
Formatter = Callable[[Number], str]

WIDTH = 640
# Left column for bar labels; long names are cut to fit, the full name stays in the tooltip.
LABEL_WIDTH = 190
LABEL_CHARS = 28
VALUE_WIDTH = 56  # right column for the value printed after each bar
BAR_HEIGHT = 20
BAR_GAP = 8
PADDING = 10
LINE_HEIGHT = 220
# A line chart names at most this many x positions; more would overlap on a 640-wide chart.
MAX_X_LABELS = 8
BAR_COLOUR = "#417690"  # the admin's header blue
NEGATIVE_COLOUR = "#ba2121"  # the admin's error red: a coefficient below chance
AXIS_COLOUR = "#999"
LIVE_COLOUR = "#f5dd5d"  # the admin's header yellow: rings the version that serves suggestions


def format_number(value: Number) -> str:
    """Whole numbers as they are, fractions to two decimals."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def format_decimal(value: Number) -> str:
    """Two decimals always, for scores between 0 and 1 (so 1 reads "1.00" beside "0.67")."""
    return f"{value:.2f}"


def format_percent(value: Number) -> str:
    return f"{value * 100:.0f}%"


def bar_chart(bars: Sequence[tuple[str, Number | None]], *, title: str, max_value: Number | None = None,
              value_format: Formatter = format_number, chart_id: str = "") -> SafeString:
    """Horizontal bars, one per (label, value); a None value is drawn as "n/a" without a bar.

    The scale runs from min(0, smallest value) to max(max_value, largest value), so
    negative coefficients (an alpha below chance) point left of the zero line.
    """
    chart_id = chart_id or _chart_id(title)
    if not bars:
        return _empty(title, chart_id)
    values = [value for _, value in bars if value is not None]
    low = min([0, *values])
    high = max([max_value or 0, *values])
    high = high if high > low else low + 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING

    def x(value: Number) -> float:
        return LABEL_WIDTH + PADDING + (value - low) / (high - low) * plot

    rows = [_bar_row(index, label, value, x, value_format) for index, (label, value) in enumerate(bars)]
    height = PADDING * 2 + len(bars) * (BAR_HEIGHT + BAR_GAP)
    zero = x(0)
    axis = (f'<line x1="{zero:.1f}" y1="{PADDING / 2}" x2="{zero:.1f}" y2="{height - PADDING / 2}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    description = _bars_description(bars, value_format)
    return _svg(chart_id, title, description, height, axis + "".join(rows))


def _bar_row(index: int, label: str, value: Number | None, x, value_format: Formatter) -> str:
    top = PADDING + index * (BAR_HEIGHT + BAR_GAP)
    middle = top + BAR_HEIGHT / 2
    shown = _truncate(label)
    text = "n/a" if value is None else value_format(value)
    parts = [f'<g class="bar"><title>{escape(label)}: {escape(text)}</title>',
             f'<text x="{LABEL_WIDTH}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle">'
             f"{escape(shown)}</text>"]
    end = LABEL_WIDTH + PADDING
    if value is not None:
        start, stop = sorted((x(0), x(value)))
        colour = NEGATIVE_COLOUR if value < 0 else BAR_COLOUR
        parts.append(f'<rect x="{start:.1f}" y="{top}" width="{max(stop - start, 1):.1f}" height="{BAR_HEIGHT}" '
                     f'fill="{colour}" rx="2"/>')
        end = max(stop, x(0))
    parts.append(f'<text x="{end + 4:.1f}" y="{middle:.1f}" dominant-baseline="middle" class="value">'
                 f"{escape(text)}</text></g>")
    return "".join(parts)


def _bars_description(bars: Sequence[tuple[str, Number | None]], value_format: Formatter) -> str:
    values = [(label, value) for label, value in bars if value is not None]
    if not values:
        return f"{len(bars)} bars, none with a value."
    label, top = max(values, key=lambda pair: pair[1])
    return f"{len(bars)} bars; highest: {label} at {value_format(top)}."


def line_chart(points: Sequence[tuple[str, Number]], *, title: str, value_format: Formatter = format_number,
               chart_id: str = "") -> SafeString:
    """A line through (x label, value) points in order, the y axis from 0 to the largest value."""
    chart_id = chart_id or _chart_id(title)
    if not points:
        return _empty(title, chart_id)
    left, right, top, bottom = 48, WIDTH - PADDING * 2, PADDING * 2, LINE_HEIGHT - 36
    high = max(max(value for _, value in points), 1)
    step = (right - left) / max(len(points) - 1, 1)
    coords = [(left + index * step, bottom - value / high * (bottom - top)) for index, (_, value) in enumerate(points)]
    grid = "".join(_gridline(left, right, bottom - share * (bottom - top), value_format(high * share))
                   for share in (0, 0.5, 1))
    line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
    dots = "".join(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{BAR_COLOUR}"><title>{escape(label)}: '
                   f"{escape(value_format(value))}</title></circle>"
                   for (cx, cy), (label, value) in zip(coords, points))
    every = -(-len(points) // MAX_X_LABELS)  # ceiling division
    ticks = "".join(f'<text x="{coords[i][0]:.1f}" y="{bottom + 18}" text-anchor="middle">{escape(points[i][0])}</text>'
                    for i in range(0, len(points), every))
    body = (f'{grid}<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS_COLOUR}"/>'
            f'<polyline points="{line}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2"/>{dots}{ticks}')
    total = sum(value for _, value in points)
    description = (f"{len(points)} points from {points[0][0]} to {points[-1][0]}; total {value_format(total)}, "
                   f"highest {value_format(max(value for _, value in points))}.")
    return _svg(chart_id, title, description, LINE_HEIGHT, body)


def _gridline(left: float, right: float, y: float, label: str) -> str:
    return (f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle">{escape(label)}</text>')


def _svg(chart_id: str, title: str, description: str, height: Number, body: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>")


def _empty(title: str, chart_id: str) -> SafeString:
    body = f'<text x="{WIDTH / 2}" y="30" text-anchor="middle" fill="{AXIS_COLOUR}">No data yet</text>'
    return _svg(chart_id, title, "No data yet.", 50, body)


def _chart_id(title: str) -> str:
    # Stable, so the markup of a page is the same on every render (handy in tests and caches).
    return "chart-" + hashlib.sha1(title.encode()).hexdigest()[:10]


def _truncate(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class CurvePoint:
    """One version on a learning curve: its score at ``x`` training items, the baseline's score
    on the same held-out items (None where the kind has no baseline), and whether it is live."""

    label: str
    x: Number
    y: Number
    baseline: Number | None = None
    live: bool = False


def learning_curve_chart(points: Sequence[CurvePoint], *, title: str, x_title: str, baseline_name: str = "",
                         chart_id: str = "") -> SafeString:
    """Scores (0 to 1) against a count on a true-to-scale x axis from 0, the points joined in
    the order given; the baseline's scores dashed in grey; the live point ringed."""
    chart_id = chart_id or _chart_id(title)
    if not points:
        return _empty(title, chart_id)
    left, right, top, bottom = 48, WIDTH - PADDING * 2, PADDING * 2, LINE_HEIGHT - 36
    high_x = max(max(point.x for point in points), 1)

    def at(x: Number, y: Number) -> tuple[float, float]:
        return left + x / high_x * (right - left), bottom - y * (bottom - top)

    grid = "".join(_gridline(left, right, at(0, share)[1], format_decimal(share)) for share in (0, 0.5, 1))
    ticks = "".join(f'<text x="{at(x, 0)[0]:.1f}" y="{bottom + 18}" text-anchor="middle">{format_number(x)}</text>'
                    for x in sorted({0, *(point.x for point in points)})[-MAX_X_LABELS:])
    axis = (f'<text x="{right}" y="{LINE_HEIGHT - 4}" text-anchor="end" class="value">{escape(x_title)}</text>'
            f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS_COLOUR}"/>')
    body = (grid + axis + ticks + _curve_legend(right, baseline_name if _has_baseline(points) else "")
            + _baseline_series(points, at, baseline_name) + _score_series(points, at))
    return _svg(chart_id, title, _curve_description(points, baseline_name), LINE_HEIGHT, body)


def _has_baseline(points: Sequence[CurvePoint]) -> bool:
    return any(point.baseline is not None for point in points)


def _curve_legend(right: float, baseline_name: str) -> str:
    """Top right: the solid line is the versions, the dashed one the baseline (if drawn)."""
    entries = [("versions", BAR_COLOUR, "")] + ([(baseline_name, AXIS_COLOUR, ' stroke-dasharray="6 4"')]
                                               if baseline_name else [])
    parts, x = [], right - 130 * len(entries)
    for name, colour, dash in entries:
        parts.append(f'<line x1="{x}" y1="8" x2="{x + 24}" y2="8" stroke="{colour}" stroke-width="2"{dash}/>'
                     f'<text x="{x + 30}" y="8" dominant-baseline="middle" class="legend">{escape(name)}</text>')
        x += 130
    return "".join(parts)


def _score_series(points: Sequence[CurvePoint], at) -> str:
    coords = [at(point.x, point.y) for point in points]
    line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
    dots = "".join(_score_dot(point, cx, cy) for (cx, cy), point in zip(coords, points))
    return f'<polyline points="{line}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2"/>{dots}'


def _score_dot(point: CurvePoint, cx: float, cy: float) -> str:
    ring = f' stroke="{LIVE_COLOUR}" stroke-width="3"' if point.live else ""
    return (f'<circle class="{"point live" if point.live else "point"}" cx="{cx:.1f}" cy="{cy:.1f}" '
            f'r="{6 if point.live else 4}" fill="{BAR_COLOUR}"{ring}>'
            f"<title>{escape(_point_text(point))}</title></circle>")


def _baseline_series(points: Sequence[CurvePoint], at, name: str) -> str:
    measured = [point for point in points if point.baseline is not None]
    if not measured:
        return ""
    coords = [at(point.x, point.baseline) for point in measured]
    line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
    dots = "".join(f'<circle class="baseline" cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{AXIS_COLOUR}"><title>'
                   f"{escape(name)} on the items of {escape(point.label)}: {format_decimal(point.baseline)}"
                   f"</title></circle>" for (cx, cy), point in zip(coords, measured))
    return (f'<polyline class="baseline" points="{line}" fill="none" stroke="{AXIS_COLOUR}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>{dots}')


def _point_text(point: CurvePoint) -> str:
    live = " (live)" if point.live else ""
    return f"{point.label}{live}: {format_decimal(point.y)} after {format_number(point.x)}"


def _curve_description(points: Sequence[CurvePoint], baseline_name: str) -> str:
    live = next((point for point in points if point.live), None)
    text = f"{len(points)} versions, from {_point_text(points[0])} to {_point_text(points[-1])}"
    text += f"; live: {live.label}." if live else "; none live."
    last = points[-1]
    if last.baseline is not None:
        text += f" {baseline_name} on the same items: {format_decimal(last.baseline)}."
    return text
