/* Selecting text: a mouse selection snapped to whole words, word-by-word keyboard selection,
   and the span or suggestion the menu is about (the active one). */
import {closeMenu, pendingMenu, showMenu, spanMenu} from "./menu.js";
import {isHigh, isLow, lastAtOrBefore} from "./offsets.js";
import {body, byLength, spans, state} from "./state.js";
import {rangeOf, renderRange, scrollToOffset, selectRange, selectionOffsets} from "./text.js";

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const WORDS = /[\p{L}\p{N}\p{M}]+/gu;

const pairEndsAt = (i) => i >= 2 && isLow(body.charCodeAt(i - 1)) && isHigh(body.charCodeAt(i - 2));
const previousIndex = (i) => (pairEndsAt(i) ? i - 2 : i - 1);
const nextIndex = (i) => (isHigh(body.charCodeAt(i)) && isLow(body.charCodeAt(i + 1)) ? i + 2 : i + 1);
const wordCharAt = (i) => i >= 0 && i < body.length && WORD_CHAR.test(String.fromCodePoint(body.codePointAt(i)));

/* A selection widened to whole words and trimmed of surrounding spaces: a partial word is
   the most common selection error, and a half surrogate pair is never a valid offset. */
export function snapped(start, end) {
  while (start < end && /\s/.test(body[start])) start++;
  while (end > start && /\s/.test(body[end - 1])) end--;
  if (start >= end) return null;
  if (isLow(body.charCodeAt(start))) start--;
  if (isLow(body.charCodeAt(end))) end++;
  while (start > 0 && wordCharAt(start) && wordCharAt(previousIndex(start))) start = previousIndex(start);
  while (end < body.length && wordCharAt(end) && wordCharAt(previousIndex(end))) end = nextIndex(end);
  return {start, end};
}

let words = null;  // [start, end] of every word, built when the keyboard first needs them

function wordList() {
  words = words || Array.from(body.matchAll(WORDS), (m) => [m.index, m.index + m[0].length]);
  return words;
}

export function setPending(range, {menu}) {
  activate(null);
  state.pending = range;
  selectRange(range.start, range.end);
  if (menu) showMenu(rangeOf(range.start, range.end).getBoundingClientRect(), pendingMenu());
}

export function clearPending() {
  state.pending = null;
  window.getSelection().removeAllRanges();
  closeMenu();
}

export function activate(id, {menu = false, scroll = false} = {}) {
  const before = spans.get(state.activeId);
  state.activeId = id;
  if (before) renderRange(before.start, before.end);
  const span = spans.get(id);
  if (!span) { closeMenu(); return; }
  renderRange(span.start, span.end);
  if (scroll) scrollToOffset(span.start);
  if (menu) showMenu(rangeOf(span.start, span.end).getBoundingClientRect(), spanMenu(span));
}

// --- the mouse -----------------------------------------------------------------------------

let dragging = false;  // the mouse went down in the text (a drag may end outside it)
let clickedAt = 0;  // where the keyboard selection starts after a click
let cursor = -1, anchor = -1;  // word indexes of the keyboard selection

export function onMouseDown(event) {
  dragging = event.button === 0;
}

export function onMouseUp(event) {
  if (!dragging || event.button !== 0) return;
  dragging = false;
  cursor = -1;
  const selected = selectionOffsets();
  if (selected) {
    const range = snapped(selected.start, selected.end);
    if (range) setPending(range, {menu: true}); else clearPending();
    return;
  }
  state.pending = null;
  const segment = event.target.closest && event.target.closest("#article .seg");
  clickedAt = segment ? Number(segment.dataset.s) : clickedAt;
  const here = segment ? Array.from(spans.values()).filter((s) => s.start <= clickedAt && s.end > clickedAt) : [];
  here.sort((a, b) => Number(a.suggested) - Number(b.suggested) || byLength(a, b));
  activate(here.length ? here[0].id : null, {menu: true});
}

// --- the keyboard ----------------------------------------------------------------------------

/* Move the keyboard selection one word (Shift: extend it), from the last click or selection. */
export function moveWord(step, extend) {
  const list = wordList();
  if (!list.length) return;
  if (cursor < 0) {
    cursor = anchor = Math.max(0, lastAtOrBefore(list, state.pending ? state.pending.start : clickedAt, (w) => w[0]));
  } else {
    cursor = Math.min(list.length - 1, Math.max(0, cursor + step));
    if (!extend) anchor = cursor;
  }
  const [first, last] = [Math.min(anchor, cursor), Math.max(anchor, cursor)];
  setPending({start: list[first][0], end: list[last][1]}, {menu: false});
  scrollToOffset(list[cursor][0]);
}
