// The review page of one item: every annotator's labels side by side over the article text,
// disagreements marked (entity sentiment included), gold accepted as one annotator's labels or
// composed from parts after a confirmation, gold reopened with a reason, the item sent back with
// a note, and the history of gold versions.
// The article and all labels are shown with textContent, never parsed as HTML. Offsets are
// code points (as in the database); the text is sliced in the browser's UTF-16 units.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  // Read at each request, from the cookie first: a login in another tab replaces the token.
  const csrfToken = () => (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] ||
    document.querySelector(".review-item [name=csrfmiddlewaretoken]").value;
  const colours = Object.fromEntries(data.schema.entity_types.map((type) => [type.name, type.colour]));
  const everyone = data.annotations.length;
  const units = codeUnitOffsets(data.body);
  const spanKey = (span) => span.start + ":" + span.end + ":" + span.label;
  const agreedSpans = new Set(data.disagreements.spans.filter((span) => span.agreed).map(spanKey));
  const agreedToward = new Set(data.disagreements.spans.filter((span) => span.sentiment.agreed).map(spanKey));
  const agreedTopics = new Set(data.disagreements.topics.filter((topic) => topic.agreed).map((topic) => topic.topic));
  const STATUS = {open: "Needs annotators", annotated: "Annotated, awaiting review", gold: "Gold"};

  // units[i] is the UTF-16 offset of code point i: emoji and other astral characters take two units.
  function codeUnitOffsets(text) {
    const offsets = [0];
    let unit = 0;
    for (const character of text) {
      unit += character.length;
      offsets.push(unit);
    }
    return offsets;
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  const suggested = (origin) => origin === "accepted";
  const spanName = (span) => span.label + (span.sentiment ? " · " + span.sentiment : "");

  // The body as text nodes, with a <mark> per stretch covered by spans (overlaps split into stretches);
  // with showAgreement, stretches not every annotator marked the same way (span or the sentiment
  // toward its entity) are flagged "disputed", and spans taken from a suggestion unchanged "suggested".
  function renderText(container, spans, showAgreement = true) {
    const bounds = new Set([0, units.length - 1]);
    for (const span of spans) { bounds.add(span.start); bounds.add(span.end); }
    const cuts = [...bounds].sort((a, b) => a - b);
    container.replaceChildren();
    for (let i = 0; i < cuts.length - 1; i += 1) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      const text = data.body.slice(units[from], units[to]);
      const covering = spans.filter((span) => span.start <= from && span.end >= to);
      if (!covering.length) {
        container.append(document.createTextNode(text));
        continue;
      }
      const agreed = !showAgreement || covering.every((span) => agreedSpans.has(spanKey(span)) &&
                                                                agreedToward.has(spanKey(span)));
      const fromSuggestion = (span) => showAgreement && suggested(span.origin);
      const mark = element("mark", text, "span-mark " + (agreed ? "agreed" : "disputed") +
                                         (covering.length > 1 ? " overlap" : "") +
                                         (covering.some(fromSuggestion) ? " suggested" : ""));
      mark.style.setProperty("--label-colour", colours[covering[0].label] || "#999");
      mark.title = covering.map((span) => spanName(span) + (agreed ? "" : " (not everyone)") +
        (fromSuggestion(span) ? " — accepted suggestion of " + span.predictor + " " + span.predictor_version : ""))
        .join(", ");
      container.append(mark);
      for (const span of covering.filter((s) => s.end === to)) {
        container.append(element("sup", spanName(span), "span-label"));
      }
    }
  }

  function topicName(id) {
    const topic = data.schema.topics.find((entry) => entry.id === id);
    return topic ? topic.name : "topic " + id;
  }

  // --- one column per annotator ----------------------------------------------------

  function column(annotation) {
    const card = element("article", null, "review-column");
    card.dataset.annotator = annotation.annotator;
    const heading = element("h2", annotation.annotator + " ");
    heading.append(element("small", "version " + annotation.version));
    const facts = element("dl");
    const provenance = annotation.provenance || {};
    const sentiment = element("dd", annotation.sentiment || "(none)",
                              data.disagreements.sentiment.agreed ? "agreed" : "disputed");
    if (annotation.sentiment && suggested((provenance.sentiment || {}).origin)) {
      sentiment.append(element("small", " (accepted suggestion)"));
    }
    facts.append(element("dt", "Sentiment"), sentiment);
    const topics = element("dd");
    for (const id of annotation.topics) {
      const fromSuggestion = suggested(((provenance.topics || {})[String(id)] || {}).origin);
      topics.append(element("span", topicName(id) + (fromSuggestion ? " (accepted suggestion)" : ""),
                            "tag " + (agreedTopics.has(id) ? "agreed" : "disputed")));
    }
    if (!annotation.topics.length) topics.textContent = "(none)";
    facts.append(element("dt", "Topics"), topics);
    const text = element("div", null, "article-text");
    renderText(text, annotation.spans);
    const actions = element("div", null, "column-actions");
    const use = button("Use in the composition", "button", () => composeFrom(annotation));
    const accept = button("Accept " + annotation.annotator + "'s labels as gold", "button default accept-one",
                          () => confirmGold({annotation: annotation.annotation}, annotation,
                                            annotation.annotator + "'s labels as they are"));
    actions.append(use, accept);
    card.append(heading, facts, text, actions);
    return card;
  }

  function button(text, className, onClick) {
    const node = element("button", text, className);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  // --- the composition ---------------------------------------------------------------

  const names = (list) => (list.length ? " — " + list.join(", ") : "");
  const majority = (count) => count * 2 > everyone;
  const towardName = (span) => "toward:" + spanKey(span);

  function choice(type, name, value, label, checked) {
    const wrapper = element("label", null, "choice");
    const input = element("input");
    Object.assign(input, {type, name, value, checked});
    input.addEventListener("change", preview);
    wrapper.append(input, document.createTextNode(" " + label));
    return wrapper;
  }

  function buildComposition() {
    const votes = data.disagreements.sentiment.votes;
    const top = Object.keys(votes).sort((a, b) => votes[b] - votes[a])[0];
    const sentiments = document.getElementById("compose-sentiment");
    for (const value of ["", ...data.schema.sentiment_scale]) {
      const voters = data.annotations.filter((a) => a.sentiment === value).map((a) => a.annotator);
      // No majority, nothing pre-selected: the reviewer has to decide.
      sentiments.append(choice("radio", "sentiment", value, (value || "(none)") + names(voters),
                               top !== undefined && majority(votes[top]) && value === top));
    }
    const topics = document.getElementById("compose-topics");
    for (const topic of data.schema.topics) {
      const voters = data.annotations.filter((a) => a.topics.includes(topic.id)).map((a) => a.annotator);
      topics.append(choice("checkbox", "topic", topic.id, topic.name + names(voters), majority(voters.length)));
    }
    const spans = document.getElementById("compose-spans");
    for (const span of data.disagreements.spans) spans.append(spanChoice(span));
    if (!data.disagreements.spans.length) spans.append(element("p", "No spans.", "help"));
    preview();
  }

  // A span's checkbox and, where the project asks for it or someone gave one, the sentiment toward its entity.
  function spanChoice(span) {
    const wrapper = element("div", null, "compose-span");
    const label = span.label + " «" + span.text + "» " + span.start + "–" + span.end;
    wrapper.append(choice("checkbox", "span", spanKey(span), label + names(span.annotators),
                          majority(span.annotators.length)));
    const votes = span.sentiment.votes;
    if (!data.schema.entity_sentiment && !Object.keys(votes).some(Boolean)) return wrapper;
    const toward = element("fieldset", null, "entity-sentiment" + (span.sentiment.agreed ? "" : " disputed"));
    toward.append(element("legend", "Sentiment toward «" + span.text + "» (" + span.label + ", " + span.start + "–" +
                                    span.end + ")"));
    for (const value of ["", ...data.schema.sentiment_scale]) {
      const voters = votes[value] || [];
      toward.append(choice("radio", towardName(span), value, (value || "(none)") + names(voters),
                           majority(voters.length)));
    }
    wrapper.append(toward);
    return wrapper;
  }

  function composeFrom(annotation) {
    const keys = new Set(annotation.spans.map(spanKey));
    const toward = Object.fromEntries(annotation.spans.map((span) => [towardName(span), span.sentiment || ""]));
    for (const input of document.querySelectorAll("#compose input")) {
      if (input.name === "sentiment") input.checked = input.value === annotation.sentiment;
      if (input.name === "topic") input.checked = annotation.topics.includes(Number(input.value));
      if (input.name === "span") input.checked = keys.has(input.value);
      if (input.name in toward) input.checked = input.value === toward[input.name];
    }
    preview();
  }

  // The composed labels, and what the reviewer still has to decide before they can become gold.
  function composed() {
    const checked = (selector) => [...document.querySelectorAll("#compose input" + selector + ":checked")];
    const undecided = [];
    const sentimentChoice = checked("[name=sentiment]")[0];
    if (!sentimentChoice) undecided.push("the document sentiment");
    const topics = checked("[name=topic]").map((input) => Number(input.value));
    const chosen = new Set(checked("[name=span]").map((input) => input.value));
    const spans = data.disagreements.spans.filter((span) => chosen.has(spanKey(span))).map((span) => {
      const radios = document.getElementsByName(towardName(span));
      const picked = [...radios].find((input) => input.checked);
      if (radios.length && !picked) undecided.push("the sentiment toward «" + span.text + "» (" + span.label + ")");
      return {start: span.start, end: span.end, label: span.label, text: span.text,
              sentiment: picked ? picked.value : (radios.length ? "" : firstSentiment(span))};
    });
    return {labels: {sentiment: sentimentChoice ? sentimentChoice.value : "", topics, spans}, undecided};
  }

  // Without choices shown (the project does not ask for entity sentiment and nobody gave one), there is none.
  function firstSentiment(span) {
    return Object.keys(span.sentiment.votes).find(Boolean) || "";
  }

  function preview() {
    renderText(document.getElementById("compose-preview"), composed().labels.spans, false);
  }

  // --- confirmation ------------------------------------------------------------------

  let pending = null;  // the request body waiting for the reviewer's confirmation

  function confirmGold(body, labels, source) {
    const dialog = document.getElementById("confirm-gold");
    document.getElementById("confirm-gold-source").textContent = "Gold will be " + source + ":";
    const list = document.getElementById("confirm-gold-labels");
    const spanText = (span) => span.label + " «" + span.text + "»" +
                               (span.sentiment ? " (" + span.sentiment + ")" : "");
    const listed = (values) => (values.length ? values.join(", ") : "(none)");
    list.replaceChildren(
      element("li", "Sentiment: " + (labels.sentiment || "(none)")),
      element("li", "Topics: " + listed(labels.topics.map(topicName))),
      element("li", "Spans: " + listed(labels.spans.map(spanText))));
    const replaces = document.getElementById("confirm-gold-replaces");
    replaces.hidden = !data.gold;
    if (data.gold) {
      replaces.textContent = "It replaces gold version " + data.gold.version + ", which stays in the history.";
    }
    document.getElementById("confirm-gold-note").value = "";
    document.getElementById("review-error").hidden = true;
    pending = body;
    dialog.showModal();
  }

  async function acceptConfirmed() {
    const dialog = document.getElementById("confirm-gold");
    const body = {...pending, note: document.getElementById("confirm-gold-note").value};
    dialog.close();
    const gold = await post(data.api.gold, body);
    if (!gold) return;
    finished("Gold version " + gold.version + " accepted.", "gold");
    await refresh();
  }

  function acceptComposed() {
    const {labels, undecided} = composed();
    if (undecided.length) return showError("Choose " + undecided.join(" and ") + " first: the annotators disagree.");
    confirmGold(labels, labels, "the composed labels");
  }

  // --- talking to the API ------------------------------------------------------------

  function errorMessage(body, status) {
    const error = body && body.error;
    if (!error) return "The server answered " + status + ".";
    const detail = error.detail && typeof error.detail === "object" ? " " + JSON.stringify(error.detail) : "";
    return error.message + detail;
  }

  function showError(message) {
    const note = document.getElementById("review-error");
    note.textContent = message;
    note.hidden = false;
  }

  // POST body to url; the answer's JSON, or null after showing why it failed.
  async function post(url, body) {
    const buttons = document.querySelectorAll(".review-item button");
    buttons.forEach((node) => { node.disabled = true; });
    document.getElementById("review-error").hidden = true;
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken()}});
      const answer = await response.json().catch(() => null);
      if (!response.ok) throw new Error(errorMessage(answer, response.status));
      return answer || {};
    } catch (error) {
      showError(error.message);
      return null;
    } finally {
      buttons.forEach((node) => { node.disabled = false; });
    }
  }

  function finished(done, status) {
    const message = document.getElementById("review-message");
    const next = element("a", "Next item", "button");
    next.href = data.next;
    next.id = "review-next";
    message.replaceChildren(document.createTextNode(done + " "), next);
    message.hidden = false;
    document.getElementById("item-status").textContent = STATUS[status] || status;
  }

  // Gold and its history as the server has them now.
  async function refresh() {
    const response = await fetch(data.api.review, {credentials: "same-origin", headers: {Accept: "application/json"}});
    if (!response.ok) return;
    const review = await response.json();
    Object.assign(data, {gold: review.gold, gold_history: review.gold_history, send_backs: review.send_backs});
    showGold();
  }

  async function reopenGold() {
    const reason = document.getElementById("reopen-reason");
    if (!reason.value.trim()) {
      reason.focus();
      return showError("Say why the gold is reopened.");
    }
    const answer = await post(data.api.reopen, {reason: reason.value});
    if (!answer) return;
    reason.value = "";
    finished("Gold version " + answer.gold.version + " reopened: the item awaits review again.", answer.status);
    await refresh();
  }

  async function sendBack() {
    const note = document.getElementById("send-back-note");
    if (!note.value.trim()) {
      note.focus();
      return showError("Write the annotators a note first: what should they look at again?");
    }
    const answer = await post(data.api.send_back, {note: note.value});
    if (!answer) return;
    note.value = "";
    finished("Sent back to the annotators with your note.", answer.status);
    await refresh();
  }

  // --- the page ------------------------------------------------------------------------

  function showAgreement() {
    const agreement = data.agreement;
    document.getElementById("agreement-score").textContent = data.item_agreement === null ? "" :
      "Agreement " + data.item_agreement.toFixed(2) + ".";
    document.getElementById("agreement-parts").textContent =
      agreement.parts_agreed + " of " + agreement.parts + " labels chosen by every annotator.";
    document.getElementById("agreement-f1").textContent = agreement.span_f1 === null ? "" :
      "Span F1 between annotators: " + agreement.span_f1.toFixed(2) + ".";
    document.getElementById("agreement-disputed").textContent = agreement.disagreements.length ?
      "They disagree on: " + agreement.disagreements.join(", ") + "." : "They agree on everything.";
    document.getElementById("agreement-disputed").className = agreement.disagreements.length ? "disputed" : "agreed";
    const fromSuggestions = document.getElementById("agreement-suggested");
    fromSuggestions.hidden = !agreement.parts_agreed_from_suggestions;
    fromSuggestions.textContent = agreement.parts_agreed_from_suggestions + " of the labels they agree on every " +
      "annotator took unchanged from the same suggestion: that agreement is the machine's.";
  }

  function showGold() {
    const gold = document.getElementById("gold-current");
    gold.hidden = !data.gold;
    if (data.gold) {
      gold.textContent = "Current gold, version " + data.gold.version + " (" + data.gold.origin + "): sentiment " +
        (data.gold.sentiment || "(none)") + ", " + data.gold.topics.length + " topics, " + data.gold.spans.length +
        " spans. Accepting again makes a new version.";
    }
    document.getElementById("reopen").hidden = !data.gold;
    const rows = document.querySelector("#gold-history tbody");
    rows.replaceChildren(...data.gold_history.map(historyRow));
    document.getElementById("gold-history-empty").hidden = data.gold_history.length > 0;
    const notes = document.getElementById("send-backs");
    notes.replaceChildren(...data.send_backs.map((back) =>
      element("li", when(back.created_at) + ", " + (back.reviewer || "someone") + ": " + back.note)));
    document.getElementById("send-backs-empty").hidden = data.send_backs.length > 0;
  }

  const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

  function historyRow(gold) {
    const row = element("tr", null, "gold-" + gold.status);
    row.dataset.version = gold.version;
    const labels = "sentiment " + (gold.sentiment || "(none)") + ", " + gold.topics.length + " topics, " +
      gold.spans.length + " spans";
    const reopened = gold.reopened_at ? when(gold.reopened_at) + " by " + (gold.reopened_by || "someone") + ": " +
      gold.reopen_reason : "";
    const made = when(gold.created_at) + " by " + (gold.reviewer || gold.origin) + " (" + gold.origin + ")";
    for (const text of ["v" + gold.version, gold.status, made, labels, gold.note, reopened]) {
      row.append(element("td", text));
    }
    return row;
  }

  const columns = document.getElementById("review-columns");
  columns.append(...data.annotations.map(column));
  if (!everyone) columns.append(element("p", "No annotations yet.", "help"));
  showAgreement();
  showGold();
  buildComposition();
  document.getElementById("accept-composed").addEventListener("click", acceptComposed);
  document.getElementById("confirm-gold-yes").addEventListener("click", acceptConfirmed);
  document.getElementById("confirm-gold-no").addEventListener("click",
    () => document.getElementById("confirm-gold").close());
  document.getElementById("reopen-gold").addEventListener("click", reopenGold);
  document.getElementById("send-back").addEventListener("click", sendBack);
})();
