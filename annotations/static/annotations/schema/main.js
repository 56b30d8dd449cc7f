/* The schema editor: reads the project with its schema once, then each section edits its part
   through the API. ``data-schema-ready`` on the page's root tells the tests the page is usable. */
import {request, urls} from "./api.js";
import {initEntityTypes} from "./entity_types.js";
import {initGuidelines} from "./guidelines.js";
import {initScale} from "./scale.js";
import {initTopics} from "./topics.js";

async function load() {
  const project = await request("GET", urls.project);
  // The project's etag, shared by the scale and the guidelines: each save moves it on.
  const projectState = {etag: project.etag};
  initEntityTypes(project.entity_types);
  initTopics(project.topics);
  initScale(project.sentiment_scale, projectState);
  await initGuidelines(project.guidelines, projectState);
  document.querySelector(".schema-editor").dataset.schemaReady = "true";
}

load().catch((error) => {
  const note = document.getElementById("schema-load-error");
  note.textContent = `The schema could not be read: ${error.message}`;
  note.hidden = false;
});
