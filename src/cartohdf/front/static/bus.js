/* cartohdf · what the app's map, side panel and layer panel share in the page: one module
   instance (they are mounts of one component, whose files are served from one folder).

   - `on(type, fn)` / `emit(type, detail)`: events between them (no window messages):
       "zone"   {code, keyed}   a zone chosen on the map (the side panel shows it at once);
       "clear"  {}              the side panel's « back to the région » (the map drops the outline);
       "layers" {shown, all}    boxes ticked in the layer panel (the map shows them at once);
       "store"  name            a stored payload (the map page, the pages) is ready.
   - `pend(kind, value)` / `ahead(kind, serverValue)`: what the user changed here and the
     server has not confirmed yet. The server's answer to an earlier change (the user went on
     meanwhile) does not undo it; the answer that matches ends the wait, and so does time
     (PENDING_MS), so that a lost answer cannot freeze the page. The one place of this rule. */
export const PENDING_MS = 10000;

const listeners = new Map();
const pending = new Map();
export const store = new Map(); // name -> {key, value}: the payloads of the store mounts

export function on(type, fn) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(fn);
  return () => listeners.get(type).delete(fn);
}

export function emit(type, detail) {
  for (const fn of listeners.get(type) || []) fn(detail);
}

export function pend(kind, value) {
  pending.set(kind, { value, t: Date.now() });
}

/* The user's own value while it waits for the server (undefined when nothing waits). */
export function ahead(kind, serverValue) {
  const p = pending.get(kind);
  if (!p || Date.now() - p.t >= PENDING_MS || p.value === serverValue) {
    pending.delete(kind);
    return undefined;
  }
  return p.value;
}

/* A payload of the store, when the one named `key` is ready (else null). */
export function stored(name, key) {
  const entry = store.get(name);
  return entry && entry.key === key && entry.value !== null ? entry.value : null;
}
