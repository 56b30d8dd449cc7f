/* The side panels: entity types, the document's sentiment, the topic tree with its search,
   and the list of entities (with the sentiment toward each, where the project asks). */
import {act, labelPending, relabel} from "./actions.js";
import {button, keyHint, say, typeButton} from "./dom.js";
import {activate} from "./selection.js";
import {articleEl, byId, byPosition, colourOf, labels, offered, openEntitySentiment, openSentiment, rejected, schema,
        spans, state, textOf, topics} from "./state.js";
import {acceptEntitySentiment, acceptSentiment, rejectEntitySentiment, rejectSentiment,
        setTopic} from "./suggestions.js";

export function renderTypes() {
  const panel = byId("entity-types");
  panel.replaceChildren(...schema.entity_types.map((type) => typeButton(type, type.name + keyHint(type), () => {
    if (state.pending) act(() => labelPending(type.name));
    else if (spans.has(state.activeId)) act(() => relabel(spans.get(state.activeId), type.name));
    else say("Select some text first, then choose its type.", "error");
  })));
}

// --- sentiment -----------------------------------------------------------------------------

/* The scale's buttons, the suggested value outlined (never pressed: a suggestion is no answer),
   and the suggestion with its own accept and reject buttons while it is open. */
export function renderSentiment() {
  const open = openSentiment();
  byId("sentiment").replaceChildren(...schema.sentiment_scale.map((value, i) => {
    const choice = button(`${value} (${i + 1})`, () => act(() => chooseSentiment(value), `sentiment ${value}`),
      {"data-value": value, "aria-pressed": String(state.sentiment === value)});
    if (open && open.value === value) choice.classList.add("suggested");
    return choice;
  }));
  const suggestion = offered.sentiment;
  const note = byId("sentiment-suggestion");
  note.hidden = !suggestion;
  if (!suggestion) return;
  const source = `${suggestion.predictor}, score ${Number(suggestion.score).toFixed(2)}`;
  const outcome = open ? "" : rejected.has(suggestion.key) && !state.sentiment ? " — rejected"
    : state.sentiment === suggestion.value ? " — accepted" : ` — you chose ${state.sentiment}`;
  note.replaceChildren(`Suggested: ${suggestion.value} (${source})${outcome}.`);
  if (open) {
    note.append(" ", button("Accept", () => act(acceptSentiment, `accept sentiment ${suggestion.value}`),
                            {"data-action": "accept-sentiment"}),
                " ", button("Reject (0)", () => act(rejectSentiment, `reject sentiment ${suggestion.value}`),
                            {"data-action": "reject-sentiment"}));
  }
}

/* Choose the document's sentiment; the chosen value again clears it. */
export function chooseSentiment(value) {
  state.sentiment = state.sentiment === value ? "" : value;
  return [];
}

/* Digit 0: clear the chosen sentiment, or, with none chosen, reject the suggested one. */
export function clearSentiment() {
  if (!state.sentiment) return rejectSentiment();
  state.sentiment = "";
  return [];
}

// --- topics --------------------------------------------------------------------------------

const topicRows = new Map();  // id -> {row, box, path, parent}
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
    const hint = offered.topics.get(topic.id);
    if (hint) row.append(...topicSuggestion(topic, hint));
    topicRows.set(topic.id, {row, box, path: fold(topic.path), parent: topic.parent});
    list.append(row);
  }
  renderTopicMarks();
}

function topicSuggestion(topic, hint) {
  const badge = Object.assign(document.createElement("span"), {className: "labeling-score",
    textContent: `suggested ${Number(hint.score).toFixed(2)}`, title: `${hint.predictor} ${hint.version || ""}`});
  const refuse = button("✕", () => act(() => setTopic(topic.id, false), `reject topic ${topic.name}`),
    {"data-action": "reject-topic", "aria-label": `Reject the suggested topic ${topic.name}`,
     title: "Reject this suggestion"});
  refuse.className = "labeling-reject";
  return [badge, refuse];
}

/* Ticks and the state of each suggested topic: open (outlined), accepted, rejected. */
export function renderTopicMarks() {
  for (const [id, {row, box}] of topicRows) {
    box.checked = topics.selected.has(id);
    const hint = offered.topics.get(id);
    const decided = hint && (box.checked || rejected.has(hint.key));
    row.classList.toggle("suggested", Boolean(hint) && !decided);
    row.classList.toggle("rejected", Boolean(hint) && !box.checked && rejected.has(hint.key));
    const refuse = row.querySelector("[data-action=reject-topic]");
    if (refuse) refuse.hidden = Boolean(decided);
  }
}

function toggleTopic(id, on) {
  const name = schema.topics.find((topic) => topic.id === id).name;
  act(() => setTopic(id, on), `${on ? "tick" : "untick"} topic ${name}`);
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
  } else if (event.key === "Enter" && visible.length && !event.ctrlKey && !event.metaKey) {
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
  if (schema.entity_sentiment) row.append(" ", entitySentimentSelect(mentions), ...entitySentimentSuggestion(mentions));
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
  }, `sentiment ${select.value || "none"} toward “${textOf(mentions[0])}”`));
  return select;
}

/* The suggested sentiment toward the entity, while open on any of its mentions: accept or reject. */
function entitySentimentSuggestion(mentions) {
  const open = mentions.filter((span) => openEntitySentiment(span));
  if (!open.length) return [];
  const values = Array.from(new Set(open.map((span) => openEntitySentiment(span).value)));
  const hint = Object.assign(document.createElement("span"), {className: "labeling-score",
    textContent: `suggested ${values.join(" / ")}`});
  const name = `“${textOf(mentions[0])}”`;
  return [" ", hint, " ",
    button("✓", () => act(() => open.flatMap((span) => acceptEntitySentiment(span) || []),
                         `accept the sentiment toward ${name}`),
           {"data-action": "accept-entity-sentiment", "aria-label": `Accept the suggested sentiment toward ${name}`}),
    button("✕", () => act(() => open.flatMap((span) => rejectEntitySentiment(span) || []),
                         `reject the sentiment toward ${name}`),
           {"data-action": "reject-entity-sentiment", "aria-label": `Reject the suggested sentiment toward ${name}`})];
}
