/* The topic tree: add a topic anywhere, rename one, move one under another parent (never under
   itself or its own subtopics), delete one with its subtopics. After each change the tree is read
   again and redrawn. The API's refusals show in the section's message and on the topic: a topic
   that labels use is not deleted (409, with how many labels use it), a name taken at that place
   (409), a stale edit (412). */
import {request, urls} from "./api.js";
import {button, confirming, el, say} from "./dom.js";

const tree = document.getElementById("topic-tree");
const message = document.getElementById("topics-message");
const newName = document.getElementById("topic-new-name");
const newParent = document.getElementById("topic-new-parent");
const TOP_LEVEL = "";
let topics = [];

function childrenOf() {
  const children = new Map();
  for (const topic of topics) {
    const key = topic.parent ?? TOP_LEVEL;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(topic);
  }
  return children;
}

function paths() {
  const byId = new Map(topics.map((topic) => [topic.id, topic]));
  const path = (topic) => (topic.parent && byId.has(topic.parent) ? `${path(byId.get(topic.parent))} / ` : "")
    + topic.name;
  return new Map(topics.map((topic) => [topic.id, path(topic)]));
}

function subtree(id, children) {
  const ids = new Set([id]);
  for (const child of children.get(id) || []) subtree(child.id, children).forEach((i) => ids.add(i));
  return ids;
}

/* A select of the places a topic can go: the top level, or under any topic but ``excluded``. */
function parentOptions(select, selected, excluded = new Set()) {
  const named = paths();
  const places = topics.filter((topic) => !excluded.has(topic.id))
    .sort((a, b) => named.get(a.id).localeCompare(named.get(b.id)));
  select.replaceChildren(el("option", {value: TOP_LEVEL}, "(top level)"),
                         ...places.map((topic) => el("option", {value: topic.id}, named.get(topic.id))));
  select.value = selected ?? TOP_LEVEL;
}

function topicItem(topic, children) {
  const name = el("input", {type: "text", className: "topic-name vTextField", maxlength: 100, value: topic.name,
                            "aria-label": "Name"});
  const parent = el("select", {className: "topic-parent", "aria-label": `Parent of ${topic.name}`});
  parentOptions(parent, topic.parent, subtree(topic.id, children));
  const save = button("Save", "topic-save", `Save ${topic.name}`);
  const remove = button("Delete", "topic-delete", `Delete ${topic.name}`);
  const item = el("li", {className: "topic", "data-id": topic.id, "data-etag": topic.etag},
                  el("div", {className: "topic-row"}, name, " under ", parent, " ", save, " ", remove));
  save.addEventListener("click", () => change(item, topic, "PATCH", {
    name: name.value.trim(), parent: parent.value === TOP_LEVEL ? null : Number(parent.value)}));
  confirming(remove, topic.name, () => change(item, topic, "DELETE"));
  const below = children.get(topic.id) || [];
  if (below.length) item.append(el("ul", {}, ...below.map((child) => topicItem(child, children))));
  return item;
}

function render() {
  const children = childrenOf();
  tree.replaceChildren(...(children.get(TOP_LEVEL) || []).map((topic) => topicItem(topic, children)));
  document.getElementById("topics-empty").hidden = topics.length > 0;
  parentOptions(newParent, newParent.value || TOP_LEVEL);
}

async function reload() {
  topics = await request("GET", urls.topics);
  render();
}

async function change(item, topic, method, body) {
  try {
    await request(method, `${urls.topics}${topic.id}/`, {body, etag: item.dataset.etag});
    await reload();
    say(message, method === "DELETE" ? `Deleted “${topic.name}” and its subtopics.`
      : `Saved “${body.name}”.`, "success");
  } catch (error) {
    item.classList.add("refused");
    say(message, `“${topic.name}” was not ${method === "DELETE" ? "deleted" : "saved"}: ${error.message}`, "error");
  }
}

async function add() {
  const name = newName.value.trim();
  if (!name) { say(message, "A topic needs a name.", "error"); return; }
  try {
    await request("POST", urls.topics, {body: {name, parent: newParent.value === TOP_LEVEL ? null
      : Number(newParent.value)}});
    newName.value = "";
    await reload();
    say(message, `Added “${name}”.`, "success");
  } catch (error) {
    say(message, `“${name}” was not added: ${error.message}`, "error");
  }
}

export function initTopics(initial) {
  topics = initial;
  render();
  document.getElementById("topic-add").addEventListener("click", add);
}
