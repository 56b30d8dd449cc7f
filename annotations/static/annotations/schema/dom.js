/* Small DOM helpers of the schema editor. Text from the server goes into text nodes and form
   values only. */

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className" || name === "value" || name === "textContent") node[name] = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

export function button(text, className, label) {
  const node = el("button", {type: "button", className: `button ${className}`}, text);
  if (label) node.setAttribute("aria-label", label);
  return node;
}

/* A message for people: "success" or "error" (announced at once). */
export function say(node, text, kind = "") {
  node.textContent = text;
  node.className = node.className.replace(/\b(success|error)\b/g, "").trim() + (kind ? ` ${kind}` : "");
  node.setAttribute("role", kind === "error" ? "alert" : "status");
}

/* A delete button asks once more before it acts: the first click arms it, the second deletes
   ``what``; leaving the button disarms it. */
export function confirming(node, what, action) {
  const text = node.textContent;
  const label = node.getAttribute("aria-label");
  const disarm = () => {
    delete node.dataset.armed;
    node.textContent = text;
    if (label) node.setAttribute("aria-label", label);
  };
  node.addEventListener("click", () => {
    if (node.dataset.armed) { disarm(); action(); return; }
    node.dataset.armed = "true";
    node.textContent = "Really delete?";
    node.setAttribute("aria-label", `Really delete ${what}?`);
  });
  node.addEventListener("blur", disarm);
}

export function markInvalid(input, invalid) {
  input.classList.toggle("conflict", invalid);
  if (invalid) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}
