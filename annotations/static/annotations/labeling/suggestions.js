/* The predictors' suggestions, decided one by one or the rest at once: a suggested span, the
   sentiment toward a labelled entity, the document's sentiment, a topic. Accepting makes a
   suggestion a label; rejecting records its key, sent at submit. Each action returns the spans
   it touched (an empty list for a document-level change, null for none) and runs through act(). */
import {button, count, say} from "./dom.js";
import {activate} from "./selection.js";
import {addSpan, byId, byPosition, data, labels, offered, offsets, openEntitySentiment, openSentiment,
        openSuggestions, overlap, placeOf, rejected, schema, showSuggestions, spans, state, suggestions, textOf,
        topics} from "./state.js";

// --- one by one --------------------------------------------------------------------

/* A suggested span becomes a label (of its own type, or of `label`: a changed suggestion).
   Its entity sentiment does not come along: that stays a suggestion on the new label. */
export function accept(suggestion, label = suggestion.label) {
  const clash = schema.allow_overlapping_spans ? null : labels().find((span) => overlap(span, suggestion));
  if (clash) {
    say(`Not accepted: it overlaps ${clash.label} “${textOf(clash)}”.`, "error");
    return null;
  }
  spans.delete(suggestion.id);
  const span = addSpan({id: suggestion.id, start: suggestion.start, end: suggestion.end, label});
  return [span, ...showSuggestions()];
}

export function reject(suggestion) {
  rejected.add(suggestion.key);
  return showSuggestions();
}

export function acceptEntitySentiment(span) {
  const suggestion = openEntitySentiment(span);
  if (!suggestion) return null;
  span.sentiment = suggestion.value;
  return [span];
}

export function rejectEntitySentiment(span) {
  const suggestion = openEntitySentiment(span);
  if (!suggestion) return null;
  rejected.add(suggestion.key);
  return [span];
}

export function acceptSentiment() {
  if (!openSentiment()) return null;
  state.sentiment = offered.sentiment.value;
  return [];
}

export function rejectSentiment() {
  if (!openSentiment()) return null;
  rejected.add(offered.sentiment.key);
  return [];
}

/* Tick or untick a topic. Ticking a suggested topic accepts it; unticking it rejects it. */
export function setTopic(id, on) {
  const suggestion = offered.topics.get(id);
  if (on) {
    topics.selected.add(id);
    if (suggestion) rejected.delete(suggestion.key);
  } else {
    topics.selected.delete(id);
    if (suggestion) rejected.add(suggestion.key);
  }
  return [];
}

// --- the rest at once --------------------------------------------------------------

/* Accept every open suggestion: the spans that fit, best score first (with overlaps disallowed,
   one that overlaps a label or a better suggestion is thereby decided), the sentiment toward
   each labelled entity, the document's sentiment, the topics. The submit then says so too. */
export function acceptRest() {
  const open = openSuggestions();
  if (isEmpty(open)) return nothingLeft();
  const taken = labels();
  const touched = [];
  for (const suggestion of open.spans.sort((a, b) => (b.score || 0) - (a.score || 0) || byPosition(a, b))) {
    if (!schema.allow_overlapping_spans && taken.some((label) => overlap(label, suggestion))) continue;
    spans.delete(suggestion.id);
    const span = addSpan({id: suggestion.id, start: suggestion.start, end: suggestion.end, label: suggestion.label});
    taken.push(span);
    touched.push(span);
  }
  touched.push(...showSuggestions());
  for (const span of labels()) {
    const sentiment = schema.entity_sentiment && openEntitySentiment(span);
    if (sentiment) { span.sentiment = sentiment.value; touched.push(span); }
  }
  if (open.sentiment) state.sentiment = open.sentiment.value;
  open.topics.forEach((topic) => topics.selected.add(topic.id));
  state.rest = "accept";
  say(`Accepted the rest: ${describe(open)}.`);
  return touched;
}

/* Reject every open suggestion; the submit then says so too. */
export function rejectRest() {
  const open = openSuggestions();
  if (isEmpty(open)) return nothingLeft();
  open.spans.forEach((span) => rejected.add(span.key));
  open.entitySentiments.forEach((span) => rejected.add(openEntitySentiment(span).key));
  if (open.sentiment) rejected.add(open.sentiment.key);
  open.topics.forEach((topic) => rejected.add(topic.key));
  state.rest = "reject";
  say(`Rejected the rest: ${describe(open)}.`);
  return [...open.entitySentiments, ...showSuggestions()];
}

const isEmpty = (open) => !open.spans.length && !open.entitySentiments.length && !open.sentiment &&
  !open.topics.length;

function nothingLeft() {
  say("No suggestion is left open.");
  return null;
}

/* "2 spans, 1 entity sentiment, the sentiment, 3 topics" */
export function describe(open) {
  const parts = [];
  if (open.spans.length) parts.push(count(open.spans.length, "span"));
  if (open.entitySentiments.length) parts.push(count(open.entitySentiments.length, "entity sentiment"));
  if (open.sentiment) parts.push("the sentiment");
  if (open.topics.length) parts.push(count(open.topics.length, "topic"));
  return parts.join(", ");
}

/* The rejections to send. A rejected suggestion the labels have taken up again (the annotator
   changed their mind and chose exactly the suggested label) is no longer rejected. A suggested
   span the page no longer offers because a label decided it is rejected when the server would
   not count it decided otherwise: one the annotator left for an overlapping suggestion they
   accepted, or, where spans may overlap, one they accepted as another type. */
export function rejectionsToSend() {
  const chosen = new Set(labels().flatMap((label) => [placeOf(label), `${placeOf(label)}=${label.sentiment}`]));
  const takenUp = new Set(offered.spans.filter((span) => chosen.has(placeOf(span))).map((span) => span.key));
  for (const [place, sentiment] of offered.entitySentiments) {
    if (chosen.has(`${place}=${sentiment.value}`)) takenUp.add(sentiment.key);
  }
  if (offered.sentiment && state.sentiment === offered.sentiment.value) takenUp.add(offered.sentiment.key);
  for (const topic of offered.topics.values()) if (topics.selected.has(topic.id)) takenUp.add(topic.key);
  const sent = Array.from(rejected).filter((key) => !takenUp.has(key));
  return [...sent, ...leftForAnother(takenUp)];
}

/* Suggested spans hidden by a label that the server would still count open (see rejectionsToSend). */
function leftForAnother(takenUp) {
  const shown = new Set(suggestions().map((span) => span.key));
  const offeredPlaces = new Set(offered.spans.map(placeOf));
  const ownSpans = labels().filter((label) => !offeredPlaces.has(placeOf(label)));
  const changed = (span) => !schema.allow_overlapping_spans && ownSpans.some((label) => overlap(label, span));
  return offered.spans.filter((span) => !shown.has(span.key) && !takenUp.has(span.key) && !rejected.has(span.key)
                                        && !changed(span)).map((span) => span.key);
}

// --- the panel ---------------------------------------------------------------------

export function renderSuggestionSummary() {
  const open = openSuggestions();
  const predictors = data.suggestions.predictors.map((p) => `${p.predictor} ${p.version}`).join(", ");
  const left = describe(open);
  byId("suggestion-summary").textContent = !predictors
    ? "No predictor has suggested anything for this article."
    : left
      ? `Open: ${left}, from ${predictors}. Accept or reject each (spans have a dashed outline; ] goes ` +
        "through them), or decide the rest at once."
      : `Nothing open: every suggestion from ${predictors} is decided.`;
  byId("accept-rest").disabled = byId("reject-rest").disabled = !left;
}

// --- a submit refused while suggestions were open ---------------------------------------

let refused = [];  // the open suggestions the server listed, as it described them

/* Keys of every suggestion the page shows as open. */
function openKeys() {
  const open = openSuggestions();
  return new Set([...open.spans.map((span) => span.key),
                  ...open.entitySentiments.map((span) => openEntitySentiment(span).key),
                  ...(open.sentiment ? [open.sentiment.key] : []), ...open.topics.map((topic) => topic.key)]);
}

/* The server refused the submit: list what it found open, until the annotator decides it. */
export function showRefused(pending) {
  refused = pending;
  renderOpenList();
  byId("open-suggestions").scrollIntoView({block: "nearest"});
}

export function hideRefused() {
  refused = [];
  byId("open-suggestions").hidden = true;
}

export function renderOpenList() {
  if (!refused.length) return;
  const open = openKeys();
  refused = refused.filter((entry) => open.has(entry.key) || !isOffered(entry.key));
  byId("open-suggestions").hidden = !refused.length;
  byId("open-suggestions-message").textContent = refused.length
    ? `Not saved: ${count(refused.length, "suggestion")} ${refused.length === 1 ? "is" : "are"} still open. ` +
      "Accept or reject each one, or decide the rest at once; nothing is saved until then."
    : "";
  byId("open-suggestions-list").replaceChildren(...refused.map((entry) => {
    const item = document.createElement("li");
    item.append(button(describeEntry(entry), () => goTo(entry), {"data-key": entry.key}));
    return item;
  }));
}

function isOffered(key) {
  return key === "sentiment" ? Boolean(offered.sentiment)
    : offered.spans.some((span) => span.key === key) || Array.from(offered.topics.values()).some((t) => t.key === key)
      || Array.from(offered.entitySentiments.values()).some((sentiment) => sentiment.key === key);
}

function describeEntry(entry) {
  const source = `${entry.predictor} ${entry.version}`.trim();
  const what = {
    span: () => `${entry.label} “${entry.text}”${feelingOf(entry)}`,
    entity_sentiment: () => `sentiment ${entry.value} toward ${entry.label} “${entry.text}”`,
    sentiment: () => `document sentiment ${entry.value}`,
    topic: () => `topic ${entry.name}`,
  }[entry.kind];
  return `${what ? what() : entry.key}${source ? ` (${source})` : ""}`;
}

/* ", and negative toward it": the sentiment suggested toward a suggested span comes with it
   when the rest is accepted, so the list says so. */
function feelingOf(entry) {
  const feeling = schema.entity_sentiment &&
    offered.entitySentiments.get(`${offsets.toUnits(entry.start)}:${offsets.toUnits(entry.end)}:${entry.label}`);
  return feeling ? `, and ${feeling.value} toward it` : "";
}

/* Show where an open suggestion is: the span in the text, or the panel that has it. */
function goTo(entry) {
  const place = `${offsets.toUnits(entry.start)}:${offsets.toUnits(entry.end)}:${entry.label}`;
  if (entry.kind === "span" || entry.kind === "entity_sentiment") {
    const suggested = entry.kind === "span";
    const span = Array.from(spans.values()).find((s) => s.suggested === suggested && placeOf(s) === place);
    if (span) activate(span.id, {menu: true, scroll: true});
  } else if (entry.kind === "sentiment") {
    byId("sentiment-suggestion").scrollIntoView({block: "nearest"});
    byId("sentiment").querySelector("button").focus();
  } else if (entry.kind === "topic") {
    const row = byId("topics").querySelector(`li[data-id="${entry.id}"]`);
    if (row) { row.scrollIntoView({block: "nearest"}); row.querySelector("input").focus(); }
  }
}
