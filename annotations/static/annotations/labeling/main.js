/* The labeling page: the article as text with its spans and the predictors' suggestions,
   sentiment and topics, all keyboard-first; submit and skip go through the REST API. This
   module wires the others to the page and draws it, from the annotator's local draft when
   there is one; performance mark "labeling:ready" tells the tests and the benchmark that the
   page is usable. */
import {act, redo, renderHistoryButtons, undo} from "./actions.js";
import {say} from "./dom.js";
import {draftKeep, draftLoad} from "./draft.js";
import {onKeyDown} from "./keyboard.js";
import {keepLease} from "./lease.js";
import {closeMenu} from "./menu.js";
import {filterTopics, markTopicCursor, onTopicSearchKey, renderEntities, renderSentiment, renderTopics, renderTypes,
        unmarkTopicCursor} from "./panels.js";
import {announceLastSave, reloadNewer, skip, submit} from "./saving.js";
import {onMouseDown, onMouseUp} from "./selection.js";
import {articleEl, byId, loadLabels, menuEl, restore, savedLabels, state} from "./state.js";
import {acceptRest, rejectRest, renderSuggestionSummary} from "./suggestions.js";
import {renderText} from "./text.js";

function bind() {
  articleEl.addEventListener("mousedown", onMouseDown);
  document.addEventListener("mouseup", onMouseUp);
  menuEl.addEventListener("mousedown", (event) => event.preventDefault());  // keep the text selection
  document.addEventListener("keydown", onKeyDown);
  document.addEventListener("mousedown", (event) => {
    if (!menuEl.contains(event.target) && !articleEl.contains(event.target)) closeMenu();
  });
  byId("submit").addEventListener("click", () => submit());
  byId("undo").addEventListener("click", undo);
  byId("redo").addEventListener("click", redo);
  byId("accept-rest").addEventListener("click", () => act(acceptRest, "accept the rest"));
  byId("reject-rest").addEventListener("click", () => act(rejectRest, "reject the rest"));
  byId("submit-accept-rest").addEventListener("click", () => { act(acceptRest, "accept the rest"); submit("accept"); });
  byId("submit-reject-rest").addEventListener("click", () => { act(rejectRest, "reject the rest"); submit("reject"); });
  byId("draft-discard").addEventListener("click", discardDraft);
  byId("guidelines-open").addEventListener("click", () => byId("guidelines-dialog").showModal());
  byId("topic-search").addEventListener("input", (event) => filterTopics(event.target.value));
  byId("topic-search").addEventListener("keydown", onTopicSearchKey);
  byId("topic-search").addEventListener("focus", markTopicCursor);
  byId("topic-search").addEventListener("blur", unmarkTopicCursor);
  byId("skip-open").addEventListener("click", () => {
    byId("skip-form").hidden = false;
    byId("skip-reason").focus();
  });
  byId("skip-cancel").addEventListener("click", () => { byId("skip-form").hidden = true; });
  byId("skip-form").addEventListener("submit", skip);
  byId("conflict-reload").addEventListener("click", reloadNewer);
  window.addEventListener("beforeunload", (event) => {
    if (state.dirty) { event.preventDefault(); event.returnValue = ""; }
  });
}

/* The annotator's unsaved work from an earlier visit, if any: the page starts from it. */
function startingPoint() {
  const draft = draftLoad();
  if (!draft) return null;
  state.baseVersion = draft.baseVersion;
  const when = draft.savedAt.toLocaleString([], {dateStyle: "medium", timeStyle: "short"});
  byId("draft-message").textContent = `Your unsaved work on this item (from ${when}) is back: it was kept in this ` +
    "browser." + (draft.baseVersion === state.savedVersion ? ""
      : ` It was made on ${draft.baseVersion ? `version ${draft.baseVersion}` : "no saved version"}; ` +
        `version ${state.savedVersion} has been saved since.`);
  byId("draft-note").hidden = false;
  return draft;
}

/* Back to the saved version: an action like any other, so Undo brings the draft back. */
function discardDraft() {
  act(() => {
    const touched = restore(savedLabels());
    state.baseVersion = state.savedVersion;
    return touched;
  }, "discard the unsaved work");
  byId("draft-note").hidden = true;
  say("Back to the saved version. Undo (Ctrl+Z) brings your unsaved work back.");
}

document.body.appendChild(menuEl);  // positioned in page coordinates, outside any positioned parent
loadLabels(startingPoint());
renderText();
renderTypes();
renderSuggestionSummary();
renderSentiment();
renderTopics();
renderEntities();
renderHistoryButtons();
bind();
announceLastSave();
draftKeep();
keepLease();
articleEl.focus({preventScroll: true});
performance.mark("labeling:ready");
