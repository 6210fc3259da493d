/* cartohdf · a payload kept in the page: the view's map page, every zone's profile. It is
   sent as gzip (base64) in a mount of its own, apart from what a click changes: Streamlit
   then sends it again only when it changes (a payload the browser already holds is sent as
   a reference), and a click sends a few hundred bytes. */
import { emit, store } from "./bus.js";

async function unpack(packed) {
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

export function mountStore(component) {
  const { name, key, packed } = component.data;
  const held = store.get(name);
  if (held && held.key === key) return;
  const entry = { key, value: null };
  store.set(name, entry);
  unpack(packed).then((value) => {
    if (store.get(name) !== entry) return; // a newer payload came meanwhile
    entry.value = value;
    emit("store", name);
  });
}
