/* The login session, seen from the page: an expired session (the API answers 401, or 403
   "not_authenticated", or redirects to the login page) shows one message with a link that
   opens the login in a new tab; the labels stay on the page and in the draft, and the next
   Submit works once the annotator is back (the CSRF token is read fresh at each request). */
import {say} from "./dom.js";
import {api, byId} from "./state.js";

const NOT_LOGGED_IN = new Set(["not_authenticated", "authentication_failed"]);

/* The CSRF token as the cookie has it now: a login in another tab replaces it. */
export function csrfToken() {
  const prefix = `${api.csrf_cookie}=`;
  const cookie = api.csrf_cookie && document.cookie.split("; ").find((part) => part.startsWith(prefix));
  if (cookie) return decodeURIComponent(cookie.slice(prefix.length));
  return document.querySelector("#next-form [name=csrfmiddlewaretoken]").value;
}

/* True when a response says the session is gone. */
export function isLoggedOut(response, json) {
  if (response.status === 401) return true;
  if (response.status === 403 && json && json.error && NOT_LOGGED_IN.has(json.error.code)) return true;
  return response.redirected && new URL(response.url).pathname === api.login;
}

/* One message, however often it is seen: a submit says nothing was saved, a lease renewal only
   that the session is gone. */
export function showLoggedOut({saving = true} = {}) {
  byId("session-expired").hidden = false;
  say(`${saving ? "Not saved: you" : "You"} are logged out. Your labels are kept.`, "error");
}

export function hideLoggedOut() {
  byId("session-expired").hidden = true;
}
