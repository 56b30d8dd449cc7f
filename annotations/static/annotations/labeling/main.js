/* The labeling page: the article as text with its spans and the predictors' suggestions,
   sentiment and topics, all keyboard-first; submit and skip go through the REST API. This
   module wires the others to the page and draws it; performance mark "labeling:ready" tells
   the tests and the benchmark that the page is usable. */
import {act} from "./actions.js";
import {onKeyDown} from "./keyboard.js";
import {keepLease} from "./lease.js";
import {closeMenu} from "./menu.js";
import {filterTopics, markTopicCursor, onTopicSearchKey, renderEntities, renderSentiment, renderTopics, renderTypes,
        unmarkTopicCursor} from "./panels.js";
import {announceLastSave, reloadNewer, skip, submit} from "./saving.js";
import {onMouseDown, onMouseUp} from "./selection.js";
import {articleEl, byId, loadLabels, menuEl, state} from "./state.js";
import {acceptAll, rejectAll, renderSuggestionSummary} from "./suggestions.js";
import {renderText} from "./text.js";

function bind() {
  articleEl.addEventListener("mousedown", onMouseDown);
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
keepLease();
articleEl.focus({preventScroll: true});
performance.mark("labeling:ready");
