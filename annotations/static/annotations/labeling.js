/* The labeling page: the article as text with its spans and the predictors' suggestions,
   sentiment and topics, all keyboard-first; submit and skip go through the REST API.

   Offsets: the payload and the API count Unicode code points (Python string indices); this
   script works in UTF-16 code units (JavaScript string indices) and converts at the edges.
   Article text only ever goes into text nodes (textContent), never into HTML.

   Rendering: the text is built once as paragraphs of segments (a DocumentFragment); a segment
   is a run of text covered by the same spans. A change re-renders only the paragraphs it
   touches, so labeling stays fast on long articles with hundreds of suggestions. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("labeling-data").textContent);
  const api = JSON.parse(document.getElementById("labeling-api").textContent);
  const schema = data.schema;
  const body = data.item.body;
  const byId = (id) => document.getElementById(id);
  const articleEl = byId("article");
  const menuEl = byId("span-menu");
  const COLOUR = /^#[0-9a-fA-F]{3,8}$/;
  const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
  const WORDS = /[\p{L}\p{N}\p{M}]+/gu;
  const SAVED_KEY = "labeling:saved";

  // --- offsets: code points (database) <-> UTF-16 code units (browser) ----------------

  const isHigh = (code) => code >= 0xD800 && code <= 0xDBFF;
  const isLow = (code) => code >= 0xDC00 && code <= 0xDFFF;

  function offsetConverter(text) {
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

  const offsets = offsetConverter(body);

  // --- the text: paragraphs, words, snapping ---------------------------------------

  function paragraphsOf(text) {
    const found = [];
    let start = 0;
    for (const gap of text.matchAll(/\n\s*\n/g)) {
      if (gap.index > start) found.push({start, end: gap.index});
      start = gap.index + gap[0].length;
    }
    if (text.length > start) found.push({start, end: text.length});
    return found;
  }

  const paragraphs = paragraphsOf(body);

  /* Index of the last item of a sorted list whose key is <= offset (-1 if none). */
  function lastAtOrBefore(list, offset, key) {
    let low = 0, high = list.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (key(list[middle]) <= offset) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }

  const paragraphAt = (offset) => Math.max(0, lastAtOrBefore(paragraphs, offset, (p) => p.start));
  const pairEndsAt = (i) => i >= 2 && isLow(body.charCodeAt(i - 1)) && isHigh(body.charCodeAt(i - 2));
  const previousIndex = (i) => (pairEndsAt(i) ? i - 2 : i - 1);
  const nextIndex = (i) => (isHigh(body.charCodeAt(i)) && isLow(body.charCodeAt(i + 1)) ? i + 2 : i + 1);
  const wordCharAt = (i) => i >= 0 && i < body.length && WORD_CHAR.test(String.fromCodePoint(body.codePointAt(i)));

  /* A selection widened to whole words and trimmed of surrounding spaces: a partial word is
     the most common selection error, and a half surrogate pair is never a valid offset. */
  function snapped(start, end) {
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

  // --- state ----------------------------------------------------------------------

  const types = new Map(schema.entity_types.map((type) => [type.name, type]));
  const spans = new Map();  // id -> {id, start, end, label, sentiment, suggested, score, predictor, entity}
  let nextSpanId = 1;
  let version = data.annotation ? data.annotation.version : null;
  let sentiment = {value: "", suggestion: null};  // suggestion: the predictor's, shown until the annotator decides
  const topics = {selected: new Set(), suggested: new Map(), marked: new Set()};  // marked: pre-selected, untouched
  let pending = null;  // the selected range waiting for a type: {start, end}
  let activeId = null;  // the span or suggestion the menu is about
  let dirty = false;
  let saving = false;

  const labels = () => Array.from(spans.values()).filter((span) => !span.suggested);
  const suggestions = () => Array.from(spans.values()).filter((span) => span.suggested);
  const overlap = (a, b) => a.start < b.end && b.start < a.end;
  const textOf = (span) => body.slice(span.start, span.end);
  const colourOf = (label) => {
    const type = types.get(label);
    return type && COLOUR.test(type.colour) ? type.colour : "#888888";
  };
  const byPosition = (a, b) => a.start - b.start || a.end - b.end || a.id - b.id;
  const byLength = (a, b) => (a.end - a.start) - (b.end - b.start) || a.id - b.id;

  function addSpan(fields) {
    const span = {id: nextSpanId++, sentiment: "", suggested: false, score: null, predictor: "", entity: "", ...fields};
    spans.set(span.id, span);
    return span;
  }

  function loadLabels() {
    const annotation = data.annotation;
    for (const span of annotation ? annotation.spans : []) {
      addSpan({start: offsets.toUnits(span.start), end: offsets.toUnits(span.end), label: span.label,
               sentiment: span.sentiment || ""});
    }
    const taken = labels();
    for (const suggestion of data.suggestions.spans) {
      const span = {start: offsets.toUnits(suggestion.start), end: offsets.toUnits(suggestion.end)};
      const clash = taken.some((label) => schema.allow_overlapping_spans
        ? label.start === span.start && label.end === span.end && label.label === suggestion.label
        : overlap(label, span));
      if (!clash) {
        addSpan({...span, label: suggestion.label, suggested: true, score: suggestion.score,
                 predictor: suggestion.predictor, entity: suggestion.entity, sentiment: suggestion.sentiment || ""});
      }
    }
    loadDocumentLabels(annotation);
  }

  /* Sentiment and topics: the annotator's own if they saved any, else the suggestions, pre-selected. */
  function loadDocumentLabels(annotation) {
    for (const topic of data.suggestions.topics) topics.suggested.set(topic.id, topic);
    if (annotation) {
      sentiment.value = annotation.sentiment || "";
      annotation.topics.forEach((id) => topics.selected.add(id));
      return;
    }
    const suggested = data.suggestions.sentiment;
    if (suggested) sentiment = {value: suggested.label, suggestion: suggested};
    for (const topic of data.suggestions.topics) {
      if (topic.preselect) { topics.selected.add(topic.id); topics.marked.add(topic.id); }
    }
  }

  // --- rendering the text -------------------------------------------------------------

  const paragraphEls = [];

  function renderText() {
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
  function renderRange(start, end) {
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
    if (here.some((span) => span.id === activeId)) segment.classList.add("active");
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

  function tagOf(span) {
    if (span.suggested) return `${span.label}? ${span.score === null ? "" : Number(span.score).toFixed(2)}`.trim();
    return span.sentiment ? `${span.label} (${span.sentiment})` : span.label;
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
  function selectionOffsets() {
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

  function rangeOf(start, end) {
    const range = document.createRange();
    range.setStart(...domPoint(start, false));
    range.setEnd(...domPoint(end, true));
    return range;
  }

  function selectRange(start, end) {
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(rangeOf(start, end));
  }

  function scrollToOffset(offset) {
    domPoint(offset, false)[0].parentNode.scrollIntoView({block: "nearest"});
  }

  // --- actions -----------------------------------------------------------------------------

  /* Run one labeling action, timed (User Timing, seen in DevTools and by the benchmark), and
     re-render what it changed: the spans it returns, and their paragraphs. */
  function act(action) {
    const started = performance.now();
    const touched = action();
    if (!touched || !touched.length) return;
    renderRange(Math.min(...touched.map((s) => s.start)), Math.max(...touched.map((s) => s.end)));
    renderEntities();
    renderSuggestionSummary();
    closeMenu();
    dirty = true;
    performance.measure("labeling:apply", {start: started});
    requestAnimationFrame(() => setTimeout(() => performance.measure("labeling:apply-frame", {start: started})));
  }

  function labelPending(label) {
    const range = pending;
    clearPending();
    const same = labels().find((span) => span.start === range.start && span.end === range.end);
    if (same) return relabel(same, label);
    const clash = schema.allow_overlapping_spans ? null : labels().find((span) => overlap(span, range));
    if (clash) {
      say(`That overlaps ${clash.label} “${textOf(clash)}”, and this project does not allow overlapping spans. ` +
          "Delete or change that span first.", "error");
      return null;
    }
    const replaced = schema.allow_overlapping_spans ? [] : suggestions().filter((span) => overlap(span, range));
    replaced.forEach((span) => spans.delete(span.id));
    const span = addSpan({start: range.start, end: range.end, label});
    say(`${label} “${textOf(span)}” labelled.`);
    return [span, ...replaced];
  }

  function relabel(span, label) {
    if (span.suggested) return accept(span, label);
    span.label = label;
    return [span];
  }

  function accept(suggestion, label = suggestion.label) {
    const clash = schema.allow_overlapping_spans ? null
      : labels().find((span) => overlap(span, suggestion));
    if (clash) {
      say(`Not accepted: it overlaps ${clash.label} “${textOf(clash)}”.`, "error");
      return null;
    }
    const rivals = schema.allow_overlapping_spans ? []
      : suggestions().filter((span) => span !== suggestion && overlap(span, suggestion));
    rivals.forEach((span) => spans.delete(span.id));
    const sentimentToward = schema.entity_sentiment ? suggestion.sentiment : "";
    Object.assign(suggestion, {suggested: false, label, sentiment: sentimentToward});
    return [suggestion, ...rivals];
  }

  function remove(span) {
    spans.delete(span.id);
    if (activeId === span.id) closeMenu();
    return [span];
  }

  /* Accept every suggestion that fits, best score first; with overlaps disallowed, one that
     overlaps a label (or a better suggestion just accepted) stays a suggestion. */
  function acceptAll() {
    const taken = labels();
    const accepted = [];
    const ordered = suggestions().sort((a, b) => (b.score || 0) - (a.score || 0) || byPosition(a, b));
    for (const suggestion of ordered) {
      if (!schema.allow_overlapping_spans && taken.some((label) => overlap(label, suggestion))) continue;
      Object.assign(suggestion, {suggested: false, sentiment: schema.entity_sentiment ? suggestion.sentiment : ""});
      taken.push(suggestion);
      accepted.push(suggestion);
    }
    const left = ordered.length - accepted.length;
    say(`Accepted ${count(accepted.length, "suggestion")}` +
        (left ? `; ${left} overlapped labels and stay suggestions.` : "."));
    return accepted;
  }

  function rejectAll() {
    const rejected = suggestions();
    rejected.forEach((span) => spans.delete(span.id));
    say(`Rejected ${count(rejected.length, "suggestion")}.`);
    return rejected;
  }

  function setSpanSentiment(span, value) {
    span.sentiment = span.sentiment === value ? "" : value;
    return [span];
  }

  function chooseSentiment(value) {
    // Pressing the chosen value again clears it; pressing a suggested value confirms it.
    if (sentiment.value === value && !sentiment.suggestion) value = "";
    sentiment = {value, suggestion: null};
    dirty = true;
    renderSentiment();
  }

  function toggleTopic(id, on) {
    if (on) topics.selected.add(id); else topics.selected.delete(id);
    topics.marked.delete(id);
    dirty = true;
    renderTopicMarks();
  }

  // --- selection, active span and the menu ---------------------------------------------------

  function setPending(range, {menu}) {
    activate(null);
    pending = range;
    selectRange(range.start, range.end);
    if (menu) showMenu(rangeOf(range.start, range.end).getBoundingClientRect(), pendingMenu());
  }

  function clearPending() {
    pending = null;
    window.getSelection().removeAllRanges();
    closeMenu();
  }

  function activate(id, {menu = false, scroll = false} = {}) {
    const before = spans.get(activeId);
    activeId = id;
    if (before) renderRange(before.start, before.end);
    const span = spans.get(id);
    if (!span) { closeMenu(); return; }
    renderRange(span.start, span.end);
    if (scroll) scrollToOffset(span.start);
    if (menu) showMenu(rangeOf(span.start, span.end).getBoundingClientRect(), spanMenu(span));
  }

  let dragging = false;  // the mouse went down in the text (a drag may end outside it)
  let clickedAt = 0;  // where the keyboard selection starts after a click

  function onMouseUp(event) {
    if (!dragging || event.button !== 0) return;
    dragging = false;
    cursor = -1;
    const selected = selectionOffsets();
    if (selected) {
      const range = snapped(selected.start, selected.end);
      if (range) setPending(range, {menu: true}); else clearPending();
      return;
    }
    pending = null;
    const segment = event.target.closest && event.target.closest("#article .seg");
    clickedAt = segment ? Number(segment.dataset.s) : clickedAt;
    const here = segment ? Array.from(spans.values()).filter((s) => s.start <= clickedAt && s.end > clickedAt) : [];
    here.sort((a, b) => Number(a.suggested) - Number(b.suggested) || byLength(a, b));
    activate(here.length ? here[0].id : null, {menu: true});
  }

  function button(text, onClick, attributes = {}) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = text;
    Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, value));
    element.addEventListener("click", onClick);
    return element;
  }

  function typeButton(type, text, onClick, pressed = false) {
    const element = button(text, onClick, {"data-label": type.name});
    element.style.setProperty("--c", colourOf(type.name));
    element.classList.add("type");
    if (pressed) element.setAttribute("aria-pressed", "true");
    return element;
  }

  const keyHint = (type) => (type.hotkey ? ` (${type.hotkey})` : "");

  function pendingMenu() {
    const heading = document.createElement("p");
    heading.textContent = `Label “${body.slice(pending.start, pending.end)}” as:`;
    const choices = schema.entity_types.map((type) => typeButton(type, type.name + keyHint(type),
      () => act(() => labelPending(type.name))));
    return [heading, ...choices];
  }

  function spanMenu(span) {
    const heading = document.createElement("p");
    const entity = span.entity && span.entity !== textOf(span) ? `, a mention of “${span.entity}”` : "";
    heading.textContent = span.suggested
      ? `Suggested ${span.label} “${textOf(span)}”${entity} (${span.predictor}, score ${Number(span.score).toFixed(2)})`
      : `${span.label} “${textOf(span)}”`;
    const items = [heading];
    if (span.suggested) {
      items.push(button("Accept (Enter)", () => act(() => accept(span)), {"data-action": "accept"}),
                 button("Reject (Del)", () => act(() => remove(span)), {"data-action": "reject"}));
    }
    items.push(...schema.entity_types.map((type) => typeButton(type,
      (span.suggested ? "Accept as " : "") + type.name + keyHint(type),
      () => act(() => relabel(span, type.name)), !span.suggested && span.label === type.name)));
    if (!span.suggested && schema.entity_sentiment) items.push(entitySentimentButtons(span));
    if (!span.suggested) items.push(button("Delete (Del)", () => act(() => remove(span)), {"data-action": "delete"}));
    return [...items, ...otherSpansHere(span)];
  }

  function entitySentimentButtons(span) {
    const group = document.createElement("div");
    group.className = "labeling-menu-sentiment";
    group.append("Sentiment toward it: ");
    schema.sentiment_scale.forEach((value, i) => group.append(button(`${value} (${i + 1})`,
      () => act(() => setSpanSentiment(span, value)),
      {"data-sentiment": value, "aria-pressed": String(span.sentiment === value)})));
    return group;
  }

  function otherSpansHere(span) {
    const others = Array.from(spans.values()).filter((other) => other !== span && overlap(other, span));
    const name = (other) => `${other.suggested ? "suggested " : ""}${other.label} “${textOf(other)}”`;
    return others.map((other) => button(`Also here: ${name(other)}`, () => activate(other.id, {menu: true}),
      {"data-action": "switch"}));
  }

  function showMenu(rect, items) {
    menuEl.replaceChildren(...items);
    menuEl.hidden = false;
    const left = Math.min(rect.left, document.documentElement.clientWidth - menuEl.offsetWidth - 8);
    menuEl.style.left = `${Math.max(0, left) + window.scrollX}px`;
    menuEl.style.top = `${rect.bottom + window.scrollY + 6}px`;
  }

  function closeMenu() {
    menuEl.hidden = true;
  }

  // --- panels -----------------------------------------------------------------------------

  function renderTypes() {
    const panel = byId("entity-types");
    panel.replaceChildren(...schema.entity_types.map((type) => typeButton(type, type.name + keyHint(type), () => {
      if (pending) act(() => labelPending(type.name));
      else if (spans.has(activeId)) act(() => relabel(spans.get(activeId), type.name));
      else say("Select some text first, then choose its type.", "error");
    })));
  }

  function renderSuggestionSummary() {
    const open = suggestions().length;
    const predictors = data.suggestions.predictors.map((p) => `${p.predictor} ${p.version}`).join(", ");
    byId("suggestion-summary").textContent = predictors
      ? `${count(open, "suggested span")} waiting (dashed outline), from ${predictors}. ` +
        "Click one, or press ] to go through them."
      : "No predictor has suggested anything for this article.";
    byId("accept-all").disabled = byId("reject-all").disabled = open === 0;
  }

  function renderSentiment() {
    const panel = byId("sentiment");
    panel.replaceChildren(...schema.sentiment_scale.map((value, i) => {
      const choice = button(`${value} (${i + 1})`, () => chooseSentiment(value),
        {"data-value": value, "aria-pressed": String(sentiment.value === value)});
      if (sentiment.suggestion && sentiment.value === value) choice.classList.add("suggested");
      return choice;
    }));
    const note = byId("sentiment-suggestion");
    const suggestion = sentiment.suggestion || data.suggestions.sentiment;
    note.hidden = !suggestion;
    if (suggestion) {
      const ending = sentiment.suggestion ? " — pre-selected; press its key to confirm." : ".";
      note.textContent = `Suggested: ${suggestion.label} (${suggestion.predictor}, score ` +
        `${Number(suggestion.score).toFixed(2)})${ending}`;
    }
  }

  const topicRows = new Map();  // id -> {row, box, path}
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  function renderTopics() {
    const list = byId("topics");
    for (const topic of schema.topics) {
      const row = document.createElement("li");
      row.dataset.id = topic.id;
      row.style.setProperty("--depth", topic.depth);
      if (topic.description) row.title = topic.description;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = topic.id;
      box.addEventListener("change", () => toggleTopic(topic.id, box.checked));
      const label = document.createElement("label");
      label.append(box, " ", topic.name);
      row.append(label);
      const hint = topics.suggested.get(topic.id);
      if (hint) {
        const badge = document.createElement("span");
        badge.className = "labeling-score";
        badge.textContent = `suggested ${Number(hint.score).toFixed(2)}`;
        row.append(badge);
      }
      topicRows.set(topic.id, {row, box, path: fold(topic.path), parent: topic.parent});
      list.append(row);
    }
    renderTopicMarks();
  }

  function renderTopicMarks() {
    for (const [id, {row, box}] of topicRows) {
      box.checked = topics.selected.has(id);
      row.classList.toggle("suggested", topics.marked.has(id));
    }
  }

  let topicCursor = 0;

  function visibleTopics() {
    return Array.from(topicRows.entries()).filter(([, entry]) => !entry.row.hidden);
  }

  function filterTopics(query) {
    const wanted = fold(query.trim());
    const shown = new Set();
    for (const [id, entry] of topicRows) {
      if (!wanted || entry.path.includes(wanted)) {
        for (let at = id; at !== null && !shown.has(at); at = topicRows.get(at).parent) shown.add(at);
      }
    }
    for (const [id, entry] of topicRows) entry.row.hidden = !shown.has(id);
    topicCursor = 0;
    markTopicCursor();
  }

  function markTopicCursor() {
    const visible = visibleTopics();
    topicRows.forEach((entry) => entry.row.classList.remove("cursor"));
    if (visible.length && document.activeElement === byId("topic-search")) {
      visible[topicCursor % visible.length][1].row.classList.add("cursor");
    }
  }

  function onTopicSearchKey(event) {
    const visible = visibleTopics();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      topicCursor = (topicCursor + (event.key === "ArrowDown" ? 1 : visible.length - 1)) % Math.max(1, visible.length);
      markTopicCursor();
    } else if (event.key === "Enter" && visible.length) {
      event.preventDefault();
      const [id] = visible[topicCursor % visible.length];
      toggleTopic(id, !topics.selected.has(id));
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.target.value = "";
      filterTopics("");
      articleEl.focus();
    }
  }

  function renderEntities() {
    const groups = new Map();
    for (const span of labels().sort(byPosition)) {
      const key = `${span.label}\u0000${textOf(span)}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(span);
    }
    byId("entities").replaceChildren(...Array.from(groups.values(), entityRow));
    if (!groups.size) byId("entities").append(Object.assign(document.createElement("li"), {textContent: "None yet."}));
  }

  function entityRow(mentions) {
    const [first] = mentions;
    const row = document.createElement("li");
    const chip = Object.assign(document.createElement("span"), {className: "labeling-chip", textContent: first.label});
    chip.style.setProperty("--c", colourOf(first.label));
    const name = button(textOf(first), () => activate(first.id, {menu: true, scroll: true}), {dir: "auto"});
    name.className = "labeling-link";
    row.append(chip, " ", name, mentions.length > 1 ? ` ×${mentions.length}` : "");
    if (schema.entity_sentiment) row.append(" ", entitySentimentSelect(mentions));
    return row;
  }

  /* One sentiment toward all mentions of an entity (same type and text). */
  function entitySentimentSelect(mentions) {
    const select = document.createElement("select");
    select.setAttribute("aria-label", `Sentiment toward ${textOf(mentions[0])}`);
    select.append(new Option("no sentiment", ""), ...schema.sentiment_scale.map((value) => new Option(value, value)));
    const values = new Set(mentions.map((span) => span.sentiment));
    if (values.size > 1) select.prepend(new Option("mixed", "mixed", true, true));
    else select.value = mentions[0].sentiment;
    select.addEventListener("change", () => act(() => {
      mentions.forEach((span) => { span.sentiment = select.value; });
      return mentions;
    }));
    return select;
  }

  // --- keyboard ---------------------------------------------------------------------------

  let cursor = -1, anchor = -1;  // word indexes of the keyboard selection

  function moveWord(step, extend) {
    const list = wordList();
    if (!list.length) return;
    if (cursor < 0) {
      cursor = anchor = Math.max(0, lastAtOrBefore(list, pending ? pending.start : clickedAt, (w) => w[0]));
    } else {
      cursor = Math.min(list.length - 1, Math.max(0, cursor + step));
      if (!extend) anchor = cursor;
    }
    const [first, last] = [Math.min(anchor, cursor), Math.max(anchor, cursor)];
    setPending({start: list[first][0], end: list[last][1]}, {menu: false});
    scrollToOffset(list[cursor][0]);
  }

  function stepSpan(step) {
    const ordered = Array.from(spans.values()).sort(byPosition);
    if (!ordered.length) return;
    const current = spans.get(activeId);
    let index;
    if (current) index = ordered.indexOf(current) + step;
    else {
      const from = pending ? pending.start : 0;
      index = step > 0 ? ordered.findIndex((s) => s.start >= from) : ordered.findLastIndex((s) => s.start < from);
      if (index < 0) index = step > 0 ? 0 : ordered.length - 1;
    }
    pending = null;
    activate(ordered[(index + ordered.length) % ordered.length].id, {menu: true, scroll: true});
  }

  function onDigit(digit) {
    const active = spans.get(activeId);
    const value = digit === 0 ? "" : schema.sentiment_scale[digit - 1];
    if (value === undefined) return;
    if (active && !active.suggested && schema.entity_sentiment) {
      act(() => setSpanSentiment(active, value || active.sentiment));
    } else if (value) chooseSentiment(value);
    else { sentiment = {value: "", suggestion: null}; dirty = true; renderSentiment(); }
  }

  function onTypeKey(type) {
    const active = spans.get(activeId);
    if (pending) act(() => labelPending(type.name));
    else if (active) act(() => relabel(active, type.name));
  }

  /* The handler of a key pressed outside form fields, or null if the key is not ours. */
  function keyAction(event) {
    const active = spans.get(activeId);
    switch (event.key) {
      case "Escape": return () => { clearPending(); activate(null); };
      case "?": return () => byId("guidelines-dialog").showModal();
      case "/": return () => byId("topic-search").focus();
      case "]": return () => stepSpan(1);
      case "[": return () => stepSpan(-1);
      case "A": return event.shiftKey ? () => act(acceptAll) : null;
      case "Enter": return active && active.suggested ? () => act(() => accept(active)) : null;
      case "Delete": case "Backspace": return active ? () => act(() => remove(active)) : null;
      case "ArrowRight": case "ArrowLeft":  // in the text only: elsewhere arrows scroll as usual
        return document.activeElement === articleEl
          ? () => moveWord(event.key === "ArrowRight" ? 1 : -1, event.shiftKey) : null;
    }
    if (/^[0-9]$/.test(event.key)) return () => onDigit(Number(event.key));
    const type = event.shiftKey ? null
      : schema.entity_types.find((t) => t.hotkey && t.hotkey.toLowerCase() === event.key.toLowerCase());
    return type ? () => onTypeKey(type) : null;
  }

  function onKeyDown(event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
      return;
    }
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || target.closest("input, select, textarea, dialog")) return;
    if ((event.key === "Enter" || event.key === " ") && target.closest("button, a")) return;
    const action = keyAction(event);
    if (!action) return;
    event.preventDefault();
    action();
  }

  // --- saving ---------------------------------------------------------------------------

  const csrfToken = () => document.querySelector("#next-form [name=csrfmiddlewaretoken]").value;

  async function post(url, payload) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(payload),
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
    });
    const json = response.status === 204 ? null : await response.json().catch(() => null);
    return {status: response.status, json};
  }

  function labelsPayload() {
    return {
      sentiment: sentiment.value,
      topics: Array.from(topics.selected),
      spans: labels().sort(byPosition).map((span) => ({
        start: offsets.toPoints(span.start), end: offsets.toPoints(span.end), label: span.label,
        text: textOf(span), sentiment: schema.entity_sentiment ? span.sentiment : "",
      })),
      base_version: version,
    };
  }

  async function submit() {
    if (saving) return;
    saving = true;
    byId("submit").disabled = true;
    say("Saving…");
    try {
      const {status, json} = await post(api.annotations, labelsPayload());
      if (status === 201) return saved(json);
      if (status === 409) return showConflict(json && json.error);
      say(errorText(json, status), "error");
    } catch (error) {
      say("Could not reach the server; your labels are still here. Try again in a moment.", "error");
    } finally {
      saving = false;
      byId("submit").disabled = false;
    }
  }

  function saved(annotation) {
    version = annotation.version;
    dirty = false;
    sessionStorage.setItem(SAVED_KEY, JSON.stringify({item: data.item.id, version}));
    say(`Saved (version ${version}). Opening the next item…`, "success");
    byId("next-form").submit();
  }

  function errorText(json, status) {
    const error = json && json.error;
    if (!error) return `Not saved: the server answered ${status}. Your labels are still here.`;
    const details = [];
    const walk = (value, name) => {
      if (Array.isArray(value)) value.forEach((item) => walk(item, name));
      else if (value && typeof value === "object") Object.entries(value).forEach(([key, item]) => walk(item, key));
      else if (value) details.push(name ? `${name}: ${value}` : String(value));
    };
    walk(error.detail, "");
    return `Not saved: ${error.message}${details.length ? " " + details.join("; ") : ""}`;
  }

  /* A stale submit (409): keep the annotator's work on the page, say what happened, and offer
     to save it on top of the newer version or to load that version instead. */
  async function showConflict(error) {
    const newer = error && error.detail ? error.detail.current_version : undefined;
    byId("conflict-message").textContent = newer === undefined
      ? `Not saved. ${error ? error.message : "The item changed meanwhile."}`
      : `Not saved: while you worked, version ${newer} of your labels for this item was saved ` +
        "(from another tab or window, perhaps).";
    byId("conflict-detail").textContent = "Your labels are still on this page.";
    byId("conflict-resubmit").hidden = newer === undefined;
    byId("conflict-reload").hidden = newer === undefined;
    byId("conflict").hidden = false;
    say("Not saved: see the message above the text.", "error");
    if (newer !== undefined) {
      byId("conflict-resubmit").textContent = `Save my labels as a new version on top of version ${newer}`;
      byId("conflict-resubmit").onclick = () => { version = newer; byId("conflict").hidden = true; submit(); };
      byId("conflict-detail").textContent = "Your labels are still on this page. " + await differences(newer);
    }
  }

  async function differences(newer) {
    try {
      const response = await fetch(api.annotations,
                                   {credentials: "same-origin", headers: {Accept: "application/json"}});
      const theirs = (await response.json()).find((a) => a.version === newer && a.annotator === api.annotator);
      if (!theirs) return "";
      const key = (s) => `${s.start}:${s.end}:${s.label}`;
      const mine = labelsPayload();
      const mineKeys = new Set(mine.spans.map(key)), theirKeys = new Set(theirs.spans.map(key));
      const onlyMine = mine.spans.filter((s) => !theirKeys.has(key(s))).length;
      const onlyTheirs = theirs.spans.filter((s) => !mineKeys.has(key(s))).length;
      return `Version ${newer} (saved ${new Date(theirs.created_at).toLocaleTimeString()}) has ` +
        `${count(theirs.spans.length, "span")}, sentiment “${theirs.sentiment || "none"}”, ` +
        `${count(theirs.topics.length, "topic")}; yours has ${count(mine.spans.length, "span")} ` +
        `(${onlyMine} not in it, ${onlyTheirs} of its not in yours), sentiment “${mine.sentiment || "none"}”, ` +
        `${count(mine.topics.length, "topic")}.`;
    } catch (error) {
      return "";
    }
  }

  function reloadNewer() {
    dirty = false;  // the annotator chose to drop their changes
    window.location.reload();
  }

  async function skip(event) {
    event.preventDefault();
    const reason = byId("skip-reason").value.trim();
    if (!reason) return;
    const {status, json} = await post(api.skip, {reason}).catch(() => ({status: 0, json: null}));
    if (status !== 204) { say(errorText(json, status), "error"); return; }
    dirty = false;
    byId("next-form").submit();
  }

  const count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;

  function say(text, kind = "") {
    const status = byId("status");
    status.textContent = text;
    status.className = kind ? `is-${kind}` : "";
  }

  function announceLastSave() {
    const last = JSON.parse(sessionStorage.getItem(SAVED_KEY) || "null");
    sessionStorage.removeItem(SAVED_KEY);
    if (last && last.item !== data.item.id) say(`Item #${last.item} saved (version ${last.version}).`, "success");
  }

  // --- start --------------------------------------------------------------------------------

  function bind() {
    articleEl.addEventListener("mousedown", (event) => { dragging = event.button === 0; });
    document.addEventListener("mouseup", onMouseUp);
    menuEl.addEventListener("mousedown", (event) => event.preventDefault());  // keep the text selection
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("mousedown", (event) => {
      if (!menuEl.contains(event.target) && !articleEl.contains(event.target)) closeMenu();
    });
    byId("submit").addEventListener("click", submit);
    byId("accept-all").addEventListener("click", () => act(acceptAll));
    byId("reject-all").addEventListener("click", () => act(rejectAll));
    byId("guidelines-open").addEventListener("click", () => byId("guidelines-dialog").showModal());
    byId("topic-search").addEventListener("input", (event) => filterTopics(event.target.value));
    byId("topic-search").addEventListener("keydown", onTopicSearchKey);
    byId("topic-search").addEventListener("focus", markTopicCursor);
    byId("topic-search").addEventListener("blur",
      () => topicRows.forEach((entry) => entry.row.classList.remove("cursor")));
    byId("skip-open").addEventListener("click", () => {
      byId("skip-form").hidden = false;
      byId("skip-reason").focus();
    });
    byId("skip-cancel").addEventListener("click", () => { byId("skip-form").hidden = true; });
    byId("skip-form").addEventListener("submit", skip);
    byId("conflict-reload").addEventListener("click", reloadNewer);
    window.addEventListener("beforeunload", (event) => {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  document.body.appendChild(menuEl);  // positioned in page coordinates, outside any positioned parent
  loadLabels();
  renderText();
  renderTypes();
  renderSuggestionSummary();
  renderSentiment();
  renderTopics();
  renderEntities();
  bind();
  announceLastSave();
  articleEl.focus({preventScroll: true});
  performance.mark("labeling:ready");
})();
