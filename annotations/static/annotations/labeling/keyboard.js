/* The page's keys, outside form fields: word-by-word selection, type hotkeys, stepping through
   spans and suggestions, accept / reject / delete, sentiment digits, the rest of the
   suggestions at once, undo and redo, search, guidelines, submit. */
import {act, labelPending, redo, relabel, remove, setSpanSentiment, spanName, undo} from "./actions.js";
import {chooseSentiment, clearSentiment} from "./panels.js";
import {submit} from "./saving.js";
import {activate, clearPending, moveWord} from "./selection.js";
import {articleEl, byId, byPosition, openEntitySentiment, schema, spans, state} from "./state.js";
import {accept, acceptEntitySentiment, acceptRest, rejectEntitySentiment, rejectRest} from "./suggestions.js";

function stepSpan(step) {
  const ordered = Array.from(spans.values()).sort(byPosition);
  if (!ordered.length) return;
  const current = spans.get(state.activeId);
  let index;
  if (current) index = ordered.indexOf(current) + step;
  else {
    const from = state.pending ? state.pending.start : 0;
    index = step > 0 ? ordered.findIndex((s) => s.start >= from) : ordered.findLastIndex((s) => s.start < from);
    if (index < 0) index = step > 0 ? 0 : ordered.length - 1;
  }
  state.pending = null;
  activate(ordered[(index + ordered.length) % ordered.length].id, {menu: true, scroll: true});
}

/* A digit sets the sentiment toward the chosen entity (where the project asks), else the
   document's; 0 clears it, or, with none set, rejects the suggested one. */
function onDigit(digit) {
  const active = spans.get(state.activeId);
  const value = digit === 0 ? "" : schema.sentiment_scale[digit - 1];
  if (value === undefined) return;
  if (active && !active.suggested && schema.entity_sentiment) {
    const toward = `toward ${spanName(active)}`;
    if (value) act(() => setSpanSentiment(active, value), `sentiment ${value} ${toward}`);
    else if (active.sentiment) act(() => setSpanSentiment(active, active.sentiment), `no sentiment ${toward}`);
    else act(() => rejectEntitySentiment(active), `reject the sentiment ${toward}`);
  } else if (value) act(() => chooseSentiment(value), `sentiment ${value}`);
  else act(clearSentiment, state.sentiment ? "clear the sentiment" : "reject the suggested sentiment");
}

function onTypeKey(type) {
  const active = spans.get(state.activeId);
  if (state.pending) act(() => labelPending(type.name), `label as ${type.name}`);
  else if (active) act(() => relabel(active, type.name), `${spanName(active)} as ${type.name}`);
}

/* Enter on the chosen span: accept it if it is a suggestion, or the sentiment suggested toward it. */
function onEnter(active) {
  if (active.suggested) return () => act(() => accept(active), `accept ${spanName(active)}`);
  if (schema.entity_sentiment && openEntitySentiment(active)) {
    return () => act(() => acceptEntitySentiment(active), `accept the sentiment toward ${spanName(active)}`);
  }
  return null;
}

/* The handler of a key pressed outside form fields, or null if the key is not ours. */
function keyAction(event) {
  const active = spans.get(state.activeId);
  switch (event.key) {
    case "Escape": return () => { clearPending(); activate(null); };
    case "?": return () => byId("guidelines-dialog").showModal();
    case "/": return () => byId("topic-search").focus();
    case "]": return () => stepSpan(1);
    case "[": return () => stepSpan(-1);
    case "A": return event.shiftKey ? () => act(acceptRest, "accept the rest") : null;
    case "R": return event.shiftKey ? () => act(rejectRest, "reject the rest") : null;
    case "Enter": return active ? onEnter(active) : null;
    case "Delete": case "Backspace":
      return active ? () => act(() => remove(active), `${active.suggested ? "reject" : "delete"} ${spanName(active)}`)
        : null;
    case "ArrowRight": case "ArrowLeft":  // in the text only: elsewhere arrows scroll as usual
      return document.activeElement === articleEl
        ? () => moveWord(event.key === "ArrowRight" ? 1 : -1, event.shiftKey) : null;
  }
  if (/^[0-9]$/.test(event.key)) return () => onDigit(Number(event.key));
  const type = event.shiftKey ? null
    : schema.entity_types.find((t) => t.hotkey && t.hotkey.toLowerCase() === event.key.toLowerCase());
  return type ? () => onTypeKey(type) : null;
}

/* Ctrl (or Cmd) + Z undoes, + Shift + Z or + Y redoes; in a text field they edit the field. */
function historyAction(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.target.closest("input, textarea")) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? redo : undo;
  if (key === "y" && !event.shiftKey) return redo;
  return null;
}

export function onKeyDown(event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    submit();
    return;
  }
  const travel = historyAction(event);
  if (travel) {
    event.preventDefault();
    travel();
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
