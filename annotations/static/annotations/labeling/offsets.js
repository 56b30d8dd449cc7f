/* Offsets in the article text, pure (no DOM, no page state).

   The payload and the API count Unicode code points (Python string indices); the page works
   in UTF-16 code units (JavaScript string indices) and converts at the edges. */

export const isHigh = (code) => code >= 0xD800 && code <= 0xDBFF;
export const isLow = (code) => code >= 0xDC00 && code <= 0xDFFF;

/* Code points <-> UTF-16 code units of `text`; the identity when it has no surrogate pair. */
export function offsetConverter(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return {toUnits: (point) => point, toPoints: (unit) => unit};
  const pointAt = new Uint32Array(text.length + 1);
  const unitAt = new Uint32Array(text.length + 1);
  let point = 0;
  for (let unit = 0; unit < text.length; unit++, point++) {
    pointAt[unit] = point;
    unitAt[point] = unit;
    if (isHigh(text.charCodeAt(unit)) && isLow(text.charCodeAt(unit + 1))) pointAt[++unit] = point;
  }
  pointAt[text.length] = point;
  unitAt[point] = text.length;
  return {toUnits: (p) => unitAt[p], toPoints: (u) => pointAt[u]};
}

/* The paragraphs of `text` as [start, end) ranges: runs of text between blank lines. */
export function paragraphsOf(text) {
  const found = [];
  let start = 0;
  for (const gap of text.matchAll(/\n\s*\n/g)) {
    if (gap.index > start) found.push({start, end: gap.index});
    start = gap.index + gap[0].length;
  }
  if (text.length > start) found.push({start, end: text.length});
  return found;
}

/* Index of the last item of a sorted list whose key is <= offset (-1 if none). */
export function lastAtOrBefore(list, offset, key) {
  let low = 0, high = list.length - 1, found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (key(list[middle]) <= offset) { found = middle; low = middle + 1; } else high = middle - 1;
  }
  return found;
}
