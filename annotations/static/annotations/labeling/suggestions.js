/* The predictors' suggestions: accept one (possibly as another type), accept or reject all,
   and the summary in the side panel. */
import {count, say} from "./dom.js";
import {byId, byPosition, data, labels, overlap, schema, spans, suggestions, textOf} from "./state.js";

export function accept(suggestion, label = suggestion.label) {
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

/* Accept every suggestion that fits, best score first; with overlaps disallowed, one that
   overlaps a label (or a better suggestion just accepted) stays a suggestion. */
export function acceptAll() {
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

export function rejectAll() {
  const rejected = suggestions();
  rejected.forEach((span) => spans.delete(span.id));
  say(`Rejected ${count(rejected.length, "suggestion")}.`);
  return rejected;
}

export function renderSuggestionSummary() {
  const open = suggestions().length;
  const predictors = data.suggestions.predictors.map((p) => `${p.predictor} ${p.version}`).join(", ");
  byId("suggestion-summary").textContent = predictors
    ? `${count(open, "suggested span")} waiting (dashed outline), from ${predictors}. ` +
      "Click one, or press ] to go through them."
    : "No predictor has suggested anything for this article.";
  byId("accept-all").disabled = byId("reject-all").disabled = open === 0;
}
