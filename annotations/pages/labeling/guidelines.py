"""A project's guidelines, written in Markdown by its managers, as safe HTML for the labeling page."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# No Markdown library is installed, and guidelines are written by managers, not trusted as
# HTML: a small renderer that escapes every piece of text first, then adds only its own tags.

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_CODE = re.compile(r"`([^`]+)`")
_INLINE = [
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"),
     lambda m: f"<em>{m.group(1) or m.group(2)}</em>"),
    (re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)"), r'<a href="\2" rel="noopener noreferrer">\1</a>'),
]


def guidelines_html(markdown: str) -> SafeString:
    """Guidelines as HTML: headings, paragraphs with line breaks, bullet and numbered lists,
    bold, italics, code and http(s) links. Every character of the source is escaped."""
    html, paragraph, items, list_tag = [], [], [], ""

    def flush():
        nonlocal list_tag
        if paragraph:
            html.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            html.append(f"<{list_tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{list_tag}>")
            items.clear()

    for line in markdown.splitlines():
        heading, bullet, numbered = _HEADING.match(line), _BULLET.match(line), _NUMBERED.match(line)
        if not line.strip() or heading or ((bullet or numbered) and paragraph):
            flush()
        if heading:
            level = min(6, len(heading.group(1)) + 2)  # the page already has h1 and h2
            html.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            if items and tag != list_tag:
                flush()
            list_tag = tag
            items.append(_inline((bullet or numbered).group(1)))
        elif line.strip():
            if items:
                flush()
            paragraph.append(_inline(line.strip()))
    flush()
    return mark_safe("".join(html))  # built from escaped text and this renderer's own tags only


def _inline(text: str) -> str:
    """One line of Markdown as escaped HTML; `code` is kept verbatim (no emphasis inside)."""
    parts = _CODE.split(text)  # odd indexes are the contents of `code` spans
    return "".join(f"<code>{escape(part)}</code>" if index % 2 else _emphasised(escape(part))
                   for index, part in enumerate(parts))


def _emphasised(html: str) -> str:
    for pattern, replacement in _INLINE:
        html = pattern.sub(replacement, html)
    return html
