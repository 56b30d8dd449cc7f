/* The side panels: entity types, the document's sentiment, the topic tree with its search,
   and the list of entities (with the sentiment toward each, where the project asks). */
import {act, labelPending, relabel} from "./actions.js";
import {button, keyHint, say, typeButton} from "./dom.js";
import {activate} from "./selection.js";
import {articleEl, byId, byPosition, colourOf, data, labels, schema, spans, state, textOf, topics} from "./state.js";

export function renderTypes() {
  const panel = byId("entity-types");
  panel.replaceChildren(...schema.entity_types.map((type) => typeButton(type, type.name + keyHint(type), () => {
    if (state.pending) act(() => labelPending(type.name));
    else if (spans.has(state.activeId)) act(() => relabel(spans.get(state.activeId), type.name));
    else say("Select some text first, then choose its type.", "error");
  })));
}

// --- sentiment -----------------------------------------------------------------------------

export function renderSentiment() {
  const panel = byId("sentiment");
  const sentiment = state.sentiment;
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

export function chooseSentiment(value) {
  // Pressing the chosen value again clears it; pressing a suggested value confirms it.
  if (state.sentiment.value === value && !state.sentiment.suggestion) value = "";
  state.sentiment = {value, suggestion: null};
  state.dirty = true;
  renderSentiment();
}

export function clearSentiment() {
  state.sentiment = {value: "", suggestion: null};
  state.dirty = true;
  renderSentiment();
}

// --- topics --------------------------------------------------------------------------------

const topicRows = new Map();  // id -> {row, box, path}
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
let topicCursor = 0;

export function renderTopics() {
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

function toggleTopic(id, on) {
  if (on) topics.selected.add(id); else topics.selected.delete(id);
  topics.marked.delete(id);
  state.dirty = true;
  renderTopicMarks();
}

function visibleTopics() {
  return Array.from(topicRows.entries()).filter(([, entry]) => !entry.row.hidden);
}

export function filterTopics(query) {
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

export function markTopicCursor() {
  const visible = visibleTopics();
  unmarkTopicCursor();
  if (visible.length && document.activeElement === byId("topic-search")) {
    visible[topicCursor % visible.length][1].row.classList.add("cursor");
  }
}

export function unmarkTopicCursor() {
  topicRows.forEach((entry) => entry.row.classList.remove("cursor"));
}

export function onTopicSearchKey(event) {
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

// --- entities ------------------------------------------------------------------------------

export function renderEntities() {
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
