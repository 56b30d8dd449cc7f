// The review page of one item: every annotator's labels side by side over the article text,
// disagreements marked, and gold accepted as one annotator's labels or composed from parts.
// The article and all labels are shown with textContent, never parsed as HTML. Offsets are
// code points (as in the database); the text is sliced in the browser's UTF-16 units.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const csrfToken = document.querySelector(".review-item [name=csrfmiddlewaretoken]").value;
  const colours = Object.fromEntries(data.schema.entity_types.map((type) => [type.name, type.colour]));
  const everyone = data.annotations.length;
  const units = codeUnitOffsets(data.body);
  const spanKey = (span) => span.start + ":" + span.end + ":" + span.label;
  const agreedSpans = new Set(data.disagreements.spans.filter((span) => span.agreed).map(spanKey));
  const agreedTopics = new Set(data.disagreements.topics.filter((topic) => topic.agreed).map((topic) => topic.topic));

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

  // The body as text nodes, with a <mark> per stretch covered by spans (overlaps split into stretches);
  // with showAgreement, stretches not every annotator marked are flagged "disputed".
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
      const agreed = !showAgreement || covering.every((span) => agreedSpans.has(spanKey(span)));
      const mark = element("mark", text, "span-mark " + (agreed ? "agreed" : "disputed") +
                                         (covering.length > 1 ? " overlap" : ""));
      mark.style.setProperty("--label-colour", colours[covering[0].label] || "#999");
      mark.title = covering.map((span) => span.label + (agreed ? "" : " (not everyone)")).join(", ");
      container.append(mark);
      for (const span of covering.filter((s) => s.end === to)) container.append(element("sup", span.label, "span-label"));
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
    facts.append(element("dt", "Sentiment"),
                 element("dd", annotation.sentiment || "(none)", data.disagreements.sentiment.agreed ? "agreed" : "disputed"));
    const topics = element("dd");
    for (const id of annotation.topics) topics.append(element("span", topicName(id), "tag " + (agreedTopics.has(id) ? "agreed" : "disputed")));
    if (!annotation.topics.length) topics.textContent = "(none)";
    facts.append(element("dt", "Topics"), topics);
    const text = element("div", null, "article-text");
    renderText(text, annotation.spans);
    const actions = element("div", null, "column-actions");
    const use = element("button", "Use in the composition", "button");
    use.type = "button";
    use.addEventListener("click", () => composeFrom(annotation));
    const accept = element("button", "Accept " + annotation.annotator + "'s labels as gold", "button default accept-one");
    accept.type = "button";
    accept.addEventListener("click", () => submit(data.api.gold, {annotation: annotation.annotation},
                                                 annotation.annotator + "'s labels are now gold."));
    actions.append(use, accept);
    card.append(heading, facts, text, actions);
    return card;
  }

  // --- the composition ---------------------------------------------------------------

  const names = (list) => (list.length ? " — " + list.join(", ") : "");
  const majority = (count) => count * 2 > everyone;
  // Entity sentiment of each span: the first annotator's, or the one whose labels were used last.
  const spanSentiment = new Map();

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
    for (const span of data.disagreements.spans) {
      const label = span.label + " «" + span.text + "» " + span.start + "–" + span.end;
      spans.append(choice("checkbox", "span", spanKey(span), label + names(span.annotators), majority(span.annotators.length)));
    }
    if (!data.disagreements.spans.length) spans.append(element("p", "No spans.", "help"));
    for (const annotation of [...data.annotations].reverse()) rememberSentiments(annotation);
    preview();
  }

  function rememberSentiments(annotation) {
    for (const span of annotation.spans) if (span.sentiment) spanSentiment.set(spanKey(span), span.sentiment);
  }

  function composeFrom(annotation) {
    const keys = new Set(annotation.spans.map(spanKey));
    for (const input of document.querySelectorAll("#compose input")) {
      if (input.name === "sentiment") input.checked = input.value === annotation.sentiment;
      if (input.name === "topic") input.checked = annotation.topics.includes(Number(input.value));
      if (input.name === "span") input.checked = keys.has(input.value);
    }
    rememberSentiments(annotation);
    preview();
  }

  function composed() {
    const checked = (name) => [...document.querySelectorAll("#compose input[name=" + name + "]:checked")];
    const sentiment = checked("sentiment").map((input) => input.value)[0] || "";
    const topics = checked("topic").map((input) => Number(input.value));
    const chosen = new Set(checked("span").map((input) => input.value));
    const spans = data.disagreements.spans.filter((span) => chosen.has(spanKey(span))).map((span) => (
      {start: span.start, end: span.end, label: span.label, text: span.text,
       sentiment: spanSentiment.get(spanKey(span)) || ""}));
    return {sentiment, topics, spans};
  }

  function preview() {
    renderText(document.getElementById("compose-preview"), composed().spans, false);
  }

  // --- talking to the API ------------------------------------------------------------

  function errorMessage(body, status) {
    const error = body && body.error;
    if (!error) return "The server answered " + status + ".";
    const detail = error.detail && typeof error.detail === "object" ? " " + JSON.stringify(error.detail) : "";
    return error.message + detail;
  }

  async function submit(url, body, done) {
    const buttons = document.querySelectorAll(".review-item button");
    buttons.forEach((button) => { button.disabled = true; });
    document.getElementById("review-error").hidden = true;
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken}});
      if (!response.ok) throw new Error(errorMessage(await response.json().catch(() => null), response.status));
      const message = document.getElementById("review-message");
      const next = element("a", "Next item", "button");
      next.href = data.next;
      next.id = "review-next";
      message.replaceChildren(document.createTextNode(done + " "), next);
      message.hidden = false;
      document.getElementById("item-status").textContent = url === data.api.gold ? "Gold" : "Needs annotators";
    } catch (error) {
      const note = document.getElementById("review-error");
      note.textContent = error.message;
      note.hidden = false;
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  // --- the page ------------------------------------------------------------------------

  function showAgreement() {
    const agreement = data.agreement;
    document.getElementById("agreement-parts").textContent =
      agreement.parts_agreed + " of " + agreement.parts + " labels chosen by every annotator.";
    document.getElementById("agreement-f1").textContent = agreement.span_f1 === null ? "" :
      "Span F1 between annotators: " + agreement.span_f1.toFixed(2) + ".";
    document.getElementById("agreement-disputed").textContent = agreement.disagreements.length ?
      "They disagree on: " + agreement.disagreements.join(", ") + "." : "They agree on everything.";
    document.getElementById("agreement-disputed").className = agreement.disagreements.length ? "disputed" : "agreed";
    if (data.gold) {
      const gold = document.getElementById("gold-current");
      gold.textContent = "Current gold (" + data.gold.origin + "): sentiment " + (data.gold.sentiment || "(none)") +
        ", " + data.gold.topics.length + " topics, " + data.gold.spans.length + " spans. Accepting again replaces it.";
      gold.hidden = false;
    }
  }

  const columns = document.getElementById("review-columns");
  columns.append(...data.annotations.map(column));
  if (!everyone) columns.append(element("p", "No annotations yet.", "help"));
  showAgreement();
  buildComposition();
  document.getElementById("accept-composed").addEventListener("click",
    () => submit(data.api.gold, composed(), "The composed labels are now gold."));
  document.getElementById("send-back").addEventListener("click",
    () => submit(data.api.send_back, {}, "Sent back to the annotators."));
})();
