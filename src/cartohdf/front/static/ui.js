/* cartohdf · the app's own Streamlit component (components v2), mounted once per part of the
   page: data.kind says which — "map", "side", "layers" or "store". One module, so that the
   parts share one bus (bus.js) and not the window. A "boot" mount draws nothing: the app puts
   it first in the page, so that the browser fetches these modules while the server is still
   making the first map (they were fetched after it, on the way of the first map), and the map
   page's scripts (data.scripts: their URLs), which every map page then takes from memory.

   PROTOCOL (version 1) between this page and the map page in its frame (map.js hosts it;
   the map page's side is src/cartohdf/render/static/cartohdf.js). Every message is an object
   {cartohdf: 1, type, ...}, posted with the app's own origin as target and accepted only from
   that origin and from the expected window (the frame's, or its parent):
     map page -> host  {type: "ready"}                        the map is drawn: send the view
                       {type: "zone", code, keyed}            a zone of the région chosen
                                                              (click, tap, or Enter: keyed)
                       {type: "outside", code}                a zone of France outside it
                       {type: "compare", code}                a zone of the région Shift+clicked
                                                              (Ctrl/Cmd+click, Shift+Enter): into
                                                              or out of the comparison
     host -> map page  {type: "view", view: {zone, compare, shown, all, bounds, margin}}
                                                              (compare: the codes outlined)
                       {type: "layers", shown, all}           boxes ticked, before the server
                       {type: "clear"}                        the zone left, before the server
   To the server (Streamlit triggers of the mounts): map "zone" (code), map "outside" (code),
   map "drawn" (true: the page's first map is drawn, when the server asked with tellDrawn; it
   then sends every zone's profile), map "compare" ({code, n}: n counts the asks, so that the
   same zone twice is two asks), side "clear" (true), side "compare" ({code, n}: the
   profile's « Comparer »), side "leave" (true: the comparison left), side "scatter" ({x, y}:
   the scatter's indicators), side "within" (a zone's code: draw its communes; "": back to
   the zones), layers "shown" (list of layer ids). At a level below the zone, "zone" names
   one of the level's units (a commune, an EPCI, a département). A message added (as
   "compare") keeps the version: a page that does not know it ignores it; a change of a
   message changes the version on both sides. */
import "./bus.js"; // first: fetched with the parts, not after them (one round trip less)
import { mountLayers } from "./layers.js";
import { mountMap, prefetch } from "./map.js";
import { mountSide } from "./panel.js";
import { mountStore } from "./store.js";

const PARTS = { map: mountMap, side: mountSide, layers: mountLayers, store: mountStore, boot: (c) => prefetch(c.data.scripts) };

export default function (component) {
  const mount = PARTS[component.data && component.data.kind];
  return mount ? mount(component) : undefined;
}
