"""SVG charts: well-formed, escaped, accessible, and drawn to scale (pure, no database)."""

import re
import xml.etree.ElementTree as ET

from annotations.pages.dashboard.charts import (MAX_X_LABELS, CurvePoint, bar_chart, format_decimal, format_number,
                                                format_percent, learning_curve_chart, line_chart)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # raises on malformed markup, unescaped "<" included


def rect_widths(svg: ET.Element) -> list[float]:
    return [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]


def test_bar_chart_is_an_image_named_by_its_title_and_description():
    svg = parse(bar_chart([("PERSON", 0.8), ("ORG", 0.4)], title="Span F1 per type", max_value=1))
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == "Span F1 per type"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert "highest: PERSON at 0.80" in svg.find(f"{SVG}desc").text


def test_bar_lengths_are_proportional_to_the_values():
    svg = parse(bar_chart([("a", 1.0), ("b", 0.5), ("c", 0.25)], title="t", max_value=1))
    full, half, quarter = rect_widths(svg)
    assert abs(full / half - 2) < 0.01
    assert abs(full / quarter - 4) < 0.01


def test_labels_and_titles_are_escaped():
    markup = bar_chart([("<script>alert(1)</script>", 3)], title='Ann & "Bob" <b>')
    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == 'Ann & "Bob" <b>'
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts


def test_missing_values_show_na_without_a_bar():
    svg = parse(bar_chart([("measured", 0.5), ("unknown", None)], title="t", max_value=1))
    assert len(rect_widths(svg)) == 1
    assert "n/a" in [t.text for t in svg.iter(f"{SVG}text")]


def test_negative_values_point_left_of_zero_in_red():
    svg = parse(bar_chart([("below chance", -0.5), ("good", 1.0)], title="alpha", max_value=1))
    negative, positive = list(svg.iter(f"{SVG}rect"))
    zero = float(svg.find(f"{SVG}line").get("x1"))
    assert float(negative.get("x")) + float(negative.get("width")) <= zero + 0.1 < float(positive.get("x")) + 1
    assert negative.get("fill") != positive.get("fill")


def test_empty_charts_say_so():
    for markup in (bar_chart([], title="Nothing"), line_chart([], title="Nothing")):
        assert "No data yet" in markup
        parse(markup)


def test_line_chart_has_a_point_per_value_and_few_x_labels():
    points = [(f"day {n}", n % 5) for n in range(30)]
    svg = parse(line_chart(points, title="Submits per day"))
    assert len(list(svg.iter(f"{SVG}circle"))) == 30
    polyline = svg.find(f"{SVG}polyline").get("points")
    assert len(polyline.split()) == 30
    x_labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("day")]
    assert 1 < len(x_labels) <= MAX_X_LABELS
    assert "total 60, highest 4" in svg.find(f"{SVG}desc").text


def test_line_chart_puts_the_highest_value_at_the_top():
    svg = parse(line_chart([("a", 0), ("b", 10), ("c", 5)], title="t"))
    ys = [float(c.get("cy")) for c in svg.iter(f"{SVG}circle")]
    assert ys[1] < ys[2] < ys[0]


def test_number_formats():
    assert format_number(3) == "3" and format_number(2.0) == "2" and format_number(0.456) == "0.46"
    assert format_decimal(1) == "1.00" and format_decimal(0.666) == "0.67"
    assert format_percent(0.375) == "38%"
    assert re.fullmatch(r"chart-[0-9a-f]{10}", parse(bar_chart([("a", 1)], title="x")).get("id"))


def curve(points, **kwargs):
    return parse(learning_curve_chart(points, title="Entities", x_title="gold items trained on",
                                      baseline_name="spacy-ner", **kwargs))


def test_learning_curve_puts_each_version_at_its_training_size_and_score_to_scale():
    svg = curve([CurvePoint("v1", 20, 0.4, baseline=0.5), CurvePoint("v2", 40, 0.6, baseline=0.5, live=True),
                 CurvePoint("v3", 80, 0.8, baseline=0.5)])
    points = [c for c in svg.iter(f"{SVG}circle") if "point" in c.get("class")]
    xs, ys = [float(c.get("cx")) for c in points], [float(c.get("cy")) for c in points]
    zero = xs[0] - (xs[1] - xs[0])  # the x axis starts at 0 gold items, to scale
    assert abs((xs[2] - zero) / (xs[1] - zero) - 2) < 0.01
    assert ys[0] > ys[1] > ys[2]  # higher scores are higher up
    assert abs((ys[0] - ys[1]) - (ys[1] - ys[2])) < 0.01  # equal score steps, equal heights
    assert [c.find(f"{SVG}title").text for c in points] == [
        "v1: 0.40 after 20", "v2 (live): 0.60 after 40", "v3: 0.80 after 80"]


def test_learning_curve_rings_the_live_version_and_dashes_the_baseline():
    svg = curve([CurvePoint("v1", 20, 0.4, baseline=0.5, live=True), CurvePoint("v2", 40, 0.3, baseline=0.45)])
    live = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "point live"]
    assert len(live) == 1 and live[0].get("stroke")
    baseline = [line for line in svg.iter(f"{SVG}polyline") if line.get("class") == "baseline"]
    assert len(baseline) == 1 and baseline[0].get("stroke-dasharray")
    assert len(baseline[0].get("points").split()) == 2
    description = svg.find(f"{SVG}desc").text
    assert "live: v1" in description and "spacy-ner on the same items: 0.45" in description
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "legend"] == ["versions", "spacy-ner"]


def test_learning_curve_without_baseline_or_live_version():
    svg = curve([CurvePoint("v1", 10, 0.7)])
    assert not [line for line in svg.iter(f"{SVG}polyline") if line.get("class") == "baseline"]
    assert "none live" in svg.find(f"{SVG}desc").text
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "legend"] == ["versions"]
    assert "No data yet" in learning_curve_chart([], title="t", x_title="x")
