/* The labeling page's data and state, shared by its modules: the payload the server rendered
   into the page, the annotator's labels, the predictors' suggestions and what the annotator
   decided about each.

   A suggestion is never an answer: it stays a suggestion until the annotator accepts it (it
   becomes a label), changes it, or rejects it (its key goes into `rejected`). Suggested spans
   live in `spans` beside the labels (flag `suggested`) so the text draws both; which of them
   are shown follows from the labels and the rejections (see showSuggestions).

   Span offsets here are UTF-16 code units (see offsets.js); article text only ever goes into
   text nodes (textContent), never into HTML. */
import {lastAtOrBefore, offsetConverter, paragraphsOf} from "./offsets.js";

export const byId = (id) => document.getElementById(id);
export const data = JSON.parse(byId("labeling-data").textContent);
export const api = JSON.parse(byId("labeling-api").textContent);
export const schema = data.schema;
export const body = data.item.body;
export const offsets = offsetConverter(body);
export const paragraphs = paragraphsOf(body);
export const articleEl = byId("article");
export const menuEl = byId("span-menu");
const COLOUR = /^#[0-9a-fA-F]{3,8}$/;

const types = new Map(schema.entity_types.map((type) => [type.name, type]));
export const spans = new Map();  // id -> {id, start, end, label, sentiment, suggested, and a suggestion's fields}
let nextSpanId = 1;
export const rejected = new Set();  // keys of the suggestions the annotator rejected
export const topics = {selected: new Set()};

/* What the modules reassign as the annotator works (one object, so all of them see the change). */
export const state = {
  sentiment: "",  // the document's sentiment, as the annotator chose it
  rest: "",  // "accept" | "reject": what the annotator chose for the suggestions left open, sent at submit
  pending: null,  // the selected range waiting for a type: {start, end}
  activeId: null,  // the span or suggestion the menu is about
  dirty: false,  // the labels differ from the saved version (a local draft keeps them)
  savedVersion: data.annotation ? data.annotation.version : null,  // the annotator's latest saved version
  baseVersion: data.annotation ? data.annotation.version : null,  // the saved version the labels build on
};

/* Everything the predictors offer for this item, by kind; span offsets in code units. */
export const offered = {
  spans: [],  // {key, start, end, label, text, score, predictor, version, entity}
  entitySentiments: new Map(),  // "start:end:label" of the suggested span -> {key, value, predictor, version, ...}
  sentiment: null,  // {key, value, score, predictor, version}
  topics: new Map(),  // topic id -> {key, id, name, score, predictor, version}
};

export const labels = () => Array.from(spans.values()).filter((span) => !span.suggested);
export const suggestions = () => Array.from(spans.values()).filter((span) => span.suggested);
export const overlap = (a, b) => a.start < b.end && b.start < a.end;
export const textOf = (span) => body.slice(span.start, span.end);
export const colourOf = (label) => {
  const type = types.get(label);
  return type && COLOUR.test(type.colour) ? type.colour : "#888888";
};
export const byPosition = (a, b) => a.start - b.start || a.end - b.end || a.id - b.id;
export const byLength = (a, b) => (a.end - a.start) - (b.end - b.start) || a.id - b.id;
export const placeOf = (span) => `${span.start}:${span.end}:${span.label}`;

export function addSpan(fields) {
  const span = {id: nextSpanId++, sentiment: "", suggested: false, ...fields};
  nextSpanId = Math.max(nextSpanId, span.id + 1);
  spans.set(span.id, span);
  return span;
}

// --- suggestions -------------------------------------------------------------------

/* The suggested sentiment toward a label's entity, when a predictor offered one for exactly
   this span (same offsets and type); null otherwise. */
export const entitySentimentOf = (span) => offered.entitySentiments.get(placeOf(span)) || null;

/* A suggestion is open while the annotator has neither accepted, changed nor rejected it. */
export function openEntitySentiment(span) {
  const suggestion = span.suggested ? null : entitySentimentOf(span);
  return suggestion && !span.sentiment && !rejected.has(suggestion.key) ? suggestion : null;
}
export const openSentiment = () =>
  (offered.sentiment && !state.sentiment && !rejected.has(offered.sentiment.key) ? offered.sentiment : null);
export const openTopics = () => Array.from(offered.topics.values())
  .filter((topic) => !topics.selected.has(topic.id) && !rejected.has(topic.key));

/* Every open suggestion: the spans shown as suggestions, the entity sentiments offered on
   labels, the document's sentiment and the topics. */
export function openSuggestions() {
  return {
    spans: suggestions(),
    entitySentiments: labels().filter((span) => schema.entity_sentiment && openEntitySentiment(span)),
    sentiment: openSentiment(),
    topics: openTopics(),
  };
}

/* Whether the labels decide a suggested span: a label on the same words (the annotator took or
   changed it) or, where spans may not overlap, any label overlapping it. Those labels are
   disjoint, so sorted by start their ends ascend too and one binary search finds the only
   candidate: a long article with hundreds of labels stays fast. */
function decidedByLabels() {
  const taken = labels();
  if (schema.allow_overlapping_spans) {
    const places = new Set(taken.map((label) => `${label.start}:${label.end}`));
    return (suggestion) => places.has(`${suggestion.start}:${suggestion.end}`);
  }
  taken.sort(byPosition);
  return (suggestion) => {
    const before = lastAtOrBefore(taken, suggestion.end - 1, (label) => label.start);
    return before >= 0 && taken[before].end > suggestion.start;
  };
}

/* Show every offered span that is still open and hide the others; returns the spans shown or
   hidden, for re-rendering. */
export function showSuggestions() {
  const touched = [];
  const decided = decidedByLabels();
  const shown = new Map(suggestions().map((span) => [span.key, span]));
  for (const suggestion of offered.spans) {
    const open = !rejected.has(suggestion.key) && !decided(suggestion);
    const span = shown.get(suggestion.key);
    if (open && !span) touched.push(addSpan({...suggestion, suggested: true, sentiment: ""}));
    if (!open && span) { spans.delete(span.id); touched.push(span); }
  }
  return touched;
}

// --- loading -----------------------------------------------------------------------

/* The payload's suggestions (each with the key the API knows it by), spans converted to code units. */
function loadOffered() {
  const suggested = data.suggestions;
  const inUnits = (suggestion) => ({...suggestion, start: offsets.toUnits(suggestion.start),
                                    end: offsets.toUnits(suggestion.end)});
  offered.spans = suggested.spans.map(inUnits);
  for (const sentiment of schema.entity_sentiment ? suggested.entity_sentiments : []) {
    offered.entitySentiments.set(placeOf(inUnits(sentiment)), sentiment);
  }
  offered.sentiment = suggested.sentiment;
  for (const topic of suggested.topics) offered.topics.set(topic.id, topic);
}

/* The labels saved on the server (the annotator's current version), in the snapshot form. */
export function savedLabels() {
  const annotation = data.annotation;
  return {
    labels: (annotation ? annotation.spans : []).map((span) => ({
      start: offsets.toUnits(span.start), end: offsets.toUnits(span.end), label: span.label,
      sentiment: span.sentiment || ""})),
    rejected: annotation ? (annotation.rejected_suggestions || []).map((rejection) => rejection.key) : [],
    sentiment: annotation ? annotation.sentiment || "" : "",
    topics: annotation ? annotation.topics : [],
    rest: "",
  };
}

// --- snapshots: undo, redo and the local draft ----------------------------------------

/* The annotator's decisions, everything needed to redraw the page (suggestions follow). */
export function snapshot() {
  return {
    labels: labels().map(({id, start, end, label, sentiment}) => ({id, start, end, label, sentiment})),
    rejected: Array.from(rejected), sentiment: state.sentiment, topics: Array.from(topics.selected),
    rest: state.rest,
  };
}

const sameLabel = (a, b) => a.start === b.start && a.end === b.end && a.label === b.label &&
  a.sentiment === b.sentiment;

/* Put the page back to a snapshot; returns the spans it added, changed or removed (labels and
   suggestions), for re-rendering. Labels keep their ids, so the active one stays active. */
export function restore(saved) {
  const touched = [];
  const wanted = new Map(saved.labels.filter((label) => label.id !== undefined).map((label) => [label.id, label]));
  for (const span of labels()) {
    const kept = wanted.get(span.id);
    if (kept && sameLabel(span, kept)) { wanted.delete(span.id); continue; }
    spans.delete(span.id);
    touched.push(span);
  }
  for (const label of saved.labels) {
    if (label.id === undefined || wanted.has(label.id)) touched.push(addSpan({...label, suggested: false}));
  }
  rejected.clear();
  saved.rejected.forEach((key) => rejected.add(key));
  topics.selected = new Set(saved.topics);
  Object.assign(state, {sentiment: saved.sentiment, rest: saved.rest || ""});
  return [...touched, ...showSuggestions()];
}

/* The page's starting point: a local draft if one is given, else the saved labels. */
export function loadLabels(draft) {
  loadOffered();
  restore(draft || savedLabels());
}
