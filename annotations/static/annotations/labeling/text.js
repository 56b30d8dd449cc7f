/* The article text: drawn once as paragraphs of segments (a DocumentFragment), a segment being
   a run of text covered by the same spans. A change re-renders only the paragraphs it touches,
   so labeling stays fast on long articles with hundreds of suggestions. Also converts between
   DOM positions and body offsets. */
import {lastAtOrBefore} from "./offsets.js";
import {articleEl, body, byLength, colourOf, openEntitySentiment, overlap, paragraphs, schema, spans,
        state} from "./state.js";

const paragraphEls = [];

export const paragraphAt = (offset) => Math.max(0, lastAtOrBefore(paragraphs, offset, (p) => p.start));

export function renderText() {
  const buckets = paragraphs.map(() => []);
  for (const span of spans.values()) {
    for (let i = paragraphAt(span.start); i < paragraphs.length && paragraphs[i].start < span.end; i++) {
      if (paragraphs[i].end > span.start) buckets[i].push(span);
    }
  }
  const fragment = document.createDocumentFragment();
  paragraphs.forEach((paragraph, index) => fragment.appendChild(paragraphEl(index, buckets[index])));
  articleEl.replaceChildren(fragment);
}

/* Re-render the paragraphs that [start, end) touches. */
export function renderRange(start, end) {
  const all = Array.from(spans.values());
  for (let i = paragraphAt(start), last = paragraphAt(Math.max(start, end - 1)); i <= last; i++) {
    const paragraph = paragraphs[i];
    const old = paragraphEls[i];
    old.replaceWith(paragraphEl(i, all.filter((span) => overlap(span, paragraph))));
  }
}

function paragraphEl(index, here) {
  const paragraph = paragraphs[index];
  const element = document.createElement("p");
  element.dir = "auto";  // each paragraph takes its direction from its own text (Arabic, Hebrew...)
  element.dataset.s = paragraph.start;
  element.dataset.e = paragraph.end;
  const cuts = new Set([paragraph.start, paragraph.end]);
  for (const span of here) {
    if (span.start > paragraph.start) cuts.add(span.start);
    if (span.end < paragraph.end) cuts.add(span.end);
  }
  const points = Array.from(cuts).sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    element.appendChild(segmentEl(a, b, here.filter((span) => span.start <= a && span.end >= b)));
  }
  paragraphEls[index] = element;
  return element;
}

function segmentEl(start, end, here) {
  const segment = document.createElement("span");
  segment.className = "seg";
  segment.dataset.s = start;
  segment.textContent = body.slice(start, end);
  if (!here.length) return segment;
  const covering = here.filter((span) => !span.suggested).sort(byLength);
  const suggested = here.filter((span) => span.suggested).sort(byLength);
  if (covering.length) styleLabelled(segment, covering, start, end);
  if (suggested.length) styleSuggested(segment, suggested, start, end);
  const tags = [...covering, ...suggested].filter((span) => span.end === end).map(tagOf);
  if (tags.length) segment.dataset.tag = tags.join(" · ");
  if (here.some((span) => span.id === state.activeId)) segment.classList.add("active");
  return segment;
}

function styleLabelled(segment, covering, start, end) {
  segment.classList.add("lab");
  segment.style.setProperty("--c", colourOf(covering[0].label));
  if (covering.some((span) => span.start === start)) segment.classList.add("lab-start");
  if (covering.some((span) => span.end === end)) segment.classList.add("lab-end");
  if (covering.length > 1) {  // overlapping spans: one stripe per further span, in its colour
    segment.classList.add("overlap");
    segment.style.boxShadow = covering.slice(1)
      .map((span, i) => `inset 0 -${3 * (i + 1)}px 0 ${colourOf(span.label)}`).join(", ");
  }
}

function styleSuggested(segment, suggested, start, end) {
  segment.classList.add("sug");
  segment.style.setProperty("--sc", colourOf(suggested[0].label));
  if (suggested.some((span) => span.start === start)) segment.classList.add("sug-start");
  if (suggested.some((span) => span.end === end)) segment.classList.add("sug-end");
}

/* A suggestion's type and score ("ORG? 0.91"); a label's type and the sentiment toward it, or
   the one suggested while it is open ("PERSON (negative?)"). */
function tagOf(span) {
  if (span.suggested) return `${span.label}? ${span.score == null ? "" : Number(span.score).toFixed(2)}`.trim();
  if (span.sentiment) return `${span.label} (${span.sentiment})`;
  const suggested = schema.entity_sentiment && openEntitySentiment(span);
  return suggested ? `${span.label} (${suggested.value}?)` : span.label;
}

// --- between DOM positions and offsets ------------------------------------------------

/* The body offset of a DOM boundary point inside the article. */
function boundaryOffset(node, offset) {
  if (node.nodeType === Node.TEXT_NODE) return Number(node.parentNode.dataset.s) + offset;
  if (node.classList.contains("seg")) return Number(node.dataset.s) + (offset > 0 ? node.textContent.length : 0);
  const child = node.childNodes[offset];
  if (child) return Number(child.dataset.s);
  return node === articleEl ? body.length : Number(node.dataset.e);
}

/* The current selection as body offsets, clipped to the article; null when none. */
export function selectionOffsets() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const whole = document.createRange();
  whole.selectNodeContents(articleEl);
  const inside = (node) => articleEl.contains(node);
  const start = inside(range.startContainer) ? boundaryOffset(range.startContainer, range.startOffset)
    : whole.comparePoint(range.startContainer, range.startOffset) < 0 ? 0 : null;
  const end = inside(range.endContainer) ? boundaryOffset(range.endContainer, range.endOffset)
    : whole.comparePoint(range.endContainer, range.endOffset) > 0 ? body.length : null;
  return start === null || end === null || start >= end ? null : {start, end};
}

/* The text node and offset in it for a body offset (an end offset binds to the text before it). */
function domPoint(offset, isEnd) {
  let index = paragraphAt(offset);
  if (offset >= paragraphs[index].end && !isEnd && index + 1 < paragraphs.length) index++;
  const paragraph = paragraphs[index];
  offset = Math.min(Math.max(offset, paragraph.start), paragraph.end);
  for (const segment of paragraphEls[index].children) {
    const start = Number(segment.dataset.s), end = start + segment.textContent.length;
    if (isEnd ? offset > start && offset <= end : offset >= start && offset < end) {
      return [segment.firstChild, offset - start];
    }
  }
  const last = paragraphEls[index].lastChild;
  return [last.firstChild, last.textContent.length];
}

export function rangeOf(start, end) {
  const range = document.createRange();
  range.setStart(...domPoint(start, false));
  range.setEnd(...domPoint(end, true));
  return range;
}

export function selectRange(start, end) {
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(rangeOf(start, end));
}

export function scrollToOffset(offset) {
  domPoint(offset, false)[0].parentNode.scrollIntoView({block: "nearest"});
}
