/* The labeling page's data and state, shared by its modules: the payload the server rendered
   into the page, the spans and suggestions, and what the annotator has chosen so far.

   Span offsets here are UTF-16 code units (see offsets.js); article text only ever goes into
   text nodes (textContent), never into HTML. */
import {offsetConverter, paragraphsOf} from "./offsets.js";

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
export const spans = new Map();  // id -> {id, start, end, label, sentiment, suggested, score, predictor, entity}
let nextSpanId = 1;
// marked: pre-selected from a suggestion and not touched since
export const topics = {selected: new Set(), suggested: new Map(), marked: new Set()};

/* What the modules reassign as the annotator works (one object, so all of them see the change). */
export const state = {
  sentiment: {value: "", suggestion: null},  // suggestion: the predictor's, shown until the annotator decides
  pending: null,  // the selected range waiting for a type: {start, end}
  activeId: null,  // the span or suggestion the menu is about
  dirty: false,  // changes not saved yet: leaving the page asks first
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

export function addSpan(fields) {
  const span = {id: nextSpanId++, sentiment: "", suggested: false, score: null, predictor: "", entity: "", ...fields};
  spans.set(span.id, span);
  return span;
}

/* The annotator's saved spans, then the suggestions that do not clash with them. */
export function loadLabels() {
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
    state.sentiment.value = annotation.sentiment || "";
    annotation.topics.forEach((id) => topics.selected.add(id));
    return;
  }
  const suggested = data.suggestions.sentiment;
  if (suggested) state.sentiment = {value: suggested.label, suggestion: suggested};
  for (const topic of data.suggestions.topics) {
    if (topic.preselect) { topics.selected.add(topic.id); topics.marked.add(topic.id); }
  }
}
