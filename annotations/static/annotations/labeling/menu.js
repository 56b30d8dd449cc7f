/* The menu beside the selection or the active span: label it, accept or reject a suggestion,
   relabel, set (or accept, or reject the suggested) sentiment toward an entity, delete, or switch
   to another span here. */
import {act, labelPending, relabel, remove, setSpanSentiment, spanName} from "./actions.js";
import {button, keyHint, typeButton} from "./dom.js";
import {activate} from "./selection.js";
import {acceptEntitySentiment, accept, rejectEntitySentiment} from "./suggestions.js";
import {body, entitySentimentOf, menuEl, openEntitySentiment, overlap, schema, spans, state, textOf} from "./state.js";

export function pendingMenu() {
  const heading = document.createElement("p");
  const words = body.slice(state.pending.start, state.pending.end);
  heading.textContent = `Label “${words}” as:`;
  const choices = schema.entity_types.map((type) => typeButton(type, type.name + keyHint(type),
    () => act(() => labelPending(type.name), `label “${words}” as ${type.name}`)));
  return [heading, ...choices];
}

export function spanMenu(span) {
  const items = [spanHeading(span)];
  if (span.suggested) {
    items.push(button("Accept (Enter)", () => act(() => accept(span), `accept ${spanName(span)}`),
                      {"data-action": "accept"}),
               button("Reject (Del)", () => act(() => remove(span), `reject ${spanName(span)}`),
                      {"data-action": "reject"}));
  }
  items.push(...schema.entity_types.map((type) => typeButton(type,
    (span.suggested ? "Accept as " : "") + type.name + keyHint(type),
    () => act(() => relabel(span, type.name), `${spanName(span)} as ${type.name}`),
    !span.suggested && span.label === type.name)));
  if (!span.suggested && schema.entity_sentiment) items.push(entitySentimentButtons(span));
  if (!span.suggested) {
    items.push(button("Delete (Del)", () => act(() => remove(span), `delete ${spanName(span)}`),
                      {"data-action": "delete"}));
  }
  return [...items, ...otherSpansHere(span)];
}

function spanHeading(span) {
  const heading = document.createElement("p");
  const entity = span.entity && span.entity !== textOf(span) ? `, a mention of “${span.entity}”` : "";
  const sentiment = span.suggested && schema.entity_sentiment && entitySentimentOf(span);
  heading.textContent = span.suggested
    ? `Suggested ${span.label} “${textOf(span)}”${entity} (${span.predictor}, score ${Number(span.score).toFixed(2)})` +
      (sentiment ? `; its sentiment toward it (${sentiment.value}) is a separate suggestion once accepted` : "")
    : `${span.label} “${textOf(span)}”`;
  return heading;
}

function entitySentimentButtons(span) {
  const group = document.createElement("div");
  group.className = "labeling-menu-sentiment";
  const suggestion = openEntitySentiment(span);
  if (suggestion) {
    const toward = `the sentiment toward ${spanName(span)}`;
    group.append(`Suggested sentiment toward it: ${suggestion.value} (${suggestion.predictor}) `,
      button("Accept (Enter)", () => act(() => acceptEntitySentiment(span), `accept ${toward}`),
             {"data-action": "accept-entity-sentiment"}),
      button("Reject (0)", () => act(() => rejectEntitySentiment(span), `reject ${toward}`),
             {"data-action": "reject-entity-sentiment"}),
      document.createElement("br"));
  }
  group.append("Sentiment toward it: ");
  schema.sentiment_scale.forEach((value, i) => group.append(button(`${value} (${i + 1})`,
    () => act(() => setSpanSentiment(span, value), `sentiment ${value} toward ${spanName(span)}`),
    {"data-sentiment": value, "aria-pressed": String(span.sentiment === value)})));
  return group;
}

function otherSpansHere(span) {
  const others = Array.from(spans.values()).filter((other) => other !== span && overlap(other, span));
  const name = (other) => `${other.suggested ? "suggested " : ""}${other.label} “${textOf(other)}”`;
  return others.map((other) => button(`Also here: ${name(other)}`, () => activate(other.id, {menu: true}),
    {"data-action": "switch"}));
}

export function showMenu(rect, items) {
  menuEl.replaceChildren(...items);
  menuEl.hidden = false;
  const left = Math.min(rect.left, document.documentElement.clientWidth - menuEl.offsetWidth - 8);
  menuEl.style.left = `${Math.max(0, left) + window.scrollX}px`;
  menuEl.style.top = `${rect.bottom + window.scrollY + 6}px`;
}

export function closeMenu() {
  menuEl.hidden = true;
}
