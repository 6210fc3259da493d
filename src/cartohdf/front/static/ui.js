/* cartohdf · the app's own Streamlit component (components v2), mounted once per part of the
   page: data.kind says which — "map", "side", "layers" or "store". One module, so that the
   parts share one bus (bus.js) and not the window.

   PROTOCOL (version 1) between this page and the map page in its frame (map.js hosts it;
   the map page's side is src/cartohdf/render/static/cartohdf.js). Every message is an object
   {cartohdf: 1, type, ...}, posted with the app's own origin as target and accepted only from
   that origin and from the expected window (the frame's, or its parent):
     map page -> host  {type: "ready"}                        the map is drawn: send the view
                       {type: "zone", code, keyed}            a zone of the région chosen
                                                              (click, tap, or Enter: keyed)
                       {type: "outside", code}                a zone of France outside it
     host -> map page  {type: "view", view: {zone, shown, all, bounds, margin}}
                       {type: "layers", shown, all}           boxes ticked, before the server
                       {type: "clear"}                        the zone left, before the server
   To the server (Streamlit triggers of the mounts): map "zone" (code), map "outside" (code),
   side "clear" (true), side "within" (a zone's code: draw its communes; "": back to the
   zones), layers "shown" (list of layer ids). At a level below the zone, "zone" names one
   of the level's units (a commune, an EPCI, a département). A change of this protocol changes
   its version on both sides. */
import "./bus.js"; // first: fetched with the parts, not after them (one round trip less)
import { mountLayers } from "./layers.js";
import { mountMap } from "./map.js";
import { mountSide } from "./panel.js";
import { mountStore } from "./store.js";

const PARTS = { map: mountMap, side: mountSide, layers: mountLayers, store: mountStore };

export default function (component) {
  const mount = PARTS[component.data && component.data.kind];
  return mount ? mount(component) : undefined;
}
