/* The guidelines: Markdown in a text area, previewed as annotators will see it (rendered by the
   server's escaping renderer, the labeling page's own), saved with the project's etag. */
import {renderGuidelines, request, urls} from "./api.js";
import {say} from "./dom.js";

const text = document.getElementById("guidelines");
const rendered = document.getElementById("guidelines-rendered");
const message = document.getElementById("guidelines-message");
let project;

async function preview() {
  try {
    // The server escapes every character of the source and adds only its own tags.
    rendered.innerHTML = await renderGuidelines(text.value);
  } catch (error) {
    say(message, `No preview: ${error.message}`, "error");
  }
}

async function save() {
  try {
    const saved = await request("PATCH", urls.project, {body: {guidelines: text.value}, etag: project.etag});
    project.etag = saved.etag;
    say(message, "Saved the guidelines.", "success");
  } catch (error) {
    say(message, `The guidelines were not saved: ${error.message}`, "error");
  }
}

export function initGuidelines(initial, projectState) {
  project = projectState;
  text.value = initial;
  document.getElementById("guidelines-preview").addEventListener("click", preview);
  document.getElementById("guidelines-save").addEventListener("click", save);
  return preview();
}
