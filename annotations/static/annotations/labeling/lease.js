/* Keeping the item: while the page is open and has focus, renew the assignment's lease every
   api.lease_renew_ms, so the queue does not hand the item to someone else while the annotator
   works on a long article. Once the item is no longer theirs (409: the lease ran out while the
   laptop slept, say), stop and tell them now rather than at submit; once the session is gone,
   say so (once) and keep trying, so the lease is kept again after a new login. */
import {say} from "./dom.js";
import {post} from "./saving.js";
import {hideLoggedOut, showLoggedOut} from "./session.js";
import {api, byId} from "./state.js";

let kept = true;
let renewedAt = Date.now();  // opening the page renewed the lease

async function renew() {
  renewedAt = Date.now();
  const {status, json, loggedOut} = await post(api.lease, {}).catch(() => ({status: 0, json: null}));
  if (loggedOut && byId("session-expired").hidden) showLoggedOut({saving: false});
  if (status === 200) hideLoggedOut();
  if (status !== 409 || !kept) return;  // other failures (a network blip): the next renewal may pass
  kept = false;
  const reason = json && json.error ? json.error.message : "This item is no longer assigned to you.";
  say(`${reason} Your labels are still on this page.`, "error");
}

export function keepLease() {
  if (!api.lease) return;  // a submitted item has no lease to keep
  setInterval(() => { if (kept && document.hasFocus()) renew(); }, api.lease_renew_ms);
  // Back from another window after missing a renewal: renew at once.
  window.addEventListener("focus", () => { if (kept && Date.now() - renewedAt >= api.lease_renew_ms) renew(); });
}
