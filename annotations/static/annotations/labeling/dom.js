/* Small DOM helpers of the labeling page: buttons, the status line, counted nouns. */
import {byId, colourOf} from "./state.js";

export const count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;
export const keyHint = (type) => (type.hotkey ? ` (${type.hotkey})` : "");

export function button(text, onClick, attributes = {}) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  Object.entries(attributes).forEach(([name, value]) => element.setAttribute(name, value));
  element.addEventListener("click", onClick);
  return element;
}

export function typeButton(type, text, onClick, pressed = false) {
  const element = button(text, onClick, {"data-label": type.name});
  element.style.setProperty("--c", colourOf(type.name));
  element.classList.add("type");
  if (pressed) element.setAttribute("aria-pressed", "true");
  return element;
}

/* Tell the annotator what happened, in the status line beside the buttons. */
export function say(text, kind = "") {
  const status = byId("status");
  status.textContent = text;
  status.className = kind ? `is-${kind}` : "";
}
