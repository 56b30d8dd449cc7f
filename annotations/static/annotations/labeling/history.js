/* Undo and redo: two stacks of snapshots of the annotator's decisions (state.js snapshot()),
   each named after the action that left it, so the page can say what it undid. Pure: the
   page redraws what a restored snapshot changed (actions.js). */

// Enough for every change on a long article; one step is a small copy of the labels.
export const HISTORY_DEPTH = 100;

const undoable = [];  // {snapshot: the state before the action, name}
const redoable = [];  // {snapshot: the state before the undo, name}

/* Remember the state before an action; a new action forgets what was undone. */
export function remember(snapshot, name) {
  undoable.push({snapshot, name});
  if (undoable.length > HISTORY_DEPTH) undoable.shift();
  redoable.length = 0;
}

/* The entry to go back to (null if none); `current` becomes the way forward again. */
export const back = (current) => move(undoable, redoable, current);
export const forward = (current) => move(redoable, undoable, current);

function move(from, to, current) {
  const entry = from.pop();
  if (entry) to.push({snapshot: current, name: entry.name});
  return entry || null;
}

export const canUndo = () => undoable.length > 0;
export const canRedo = () => redoable.length > 0;
