/* ReDoc under the Content-Security-Policy, which allows no inline styles and nothing from outside.
   - ReDoc writes its styles into <style> elements it creates (styled-components): every <style>
     element the page creates gets the nonce this script was loaded with, before ReDoc inserts it.
   - ReDoc's side menu shows Redocly's logo from their CDN: the page loads nothing from outside,
     so an image from another origin is left blank. */
(() => {
  const nonce = document.currentScript.nonce;
  const BLANK = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    const element = create.call(this, name, options);
    if (String(name).toLowerCase() === "style") element.nonce = nonce;
    return element;
  };
  const blanked = (value) => {
    const url = new URL(String(value), location.href);
    return url.origin === location.origin || url.protocol === "data:" ? value : BLANK;
  };
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    const image = this.tagName === "IMG" && String(name).toLowerCase() === "src";
    return setAttribute.call(this, name, image ? blanked(value) : value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src, set(value) { src.set.call(this, blanked(value)); },
  });
})();
