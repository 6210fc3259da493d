/* cartohdf · the app's map: the view's map page (built by folium, the very page the HTML
   download holds but for its scripts, served by the app and held in memory) in a frame of
   the app's own origin.
   The page is given once per view (store "map"); what a click or a tick changes comes as a
   small view {zone, compare, shown, all, bounds, margin}. Messages with the page: PROTOCOL in ui.js. */
import * as bus from "./bus.js";

export const PROTOCOL = 1;

// The map page's scripts (Leaflet, cartohdf.js), fetched once by the boot mount while the
// server is still loading: script URL -> the promise of a blob: URL of its text (null if its
// fetch failed: the page then fetches it itself). Streamlit serves them with no freshness,
// so each page fetched them again, behind the sidebar's requests; a page now takes them from
// memory, waiting for a fetch still on its way rather than making a second one.
const scripts = new Map();

export function prefetch(urls) {
  for (const url of Array.isArray(urls) ? urls : []) {
    if (typeof url !== "string" || scripts.has(url)) continue;
    scripts.set(url, fetch(url)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`${url}: ${r.status}`))))
      .then((b) => URL.createObjectURL(new Blob([b], { type: "text/javascript" })))
      .catch(() => null));
  }
}

async function withHeldScripts(html) {
  for (const [url, held] of scripts) {
    const local = await held;
    if (local) html = html.split(`src="${url}"`).join(`src="${local}"`);
  }
  return html;
}

function sameOrigin(e, frame) {
  return e.source === frame.contentWindow && e.origin === window.origin;
}

export function mountMap(component) {
  const { data, parentElement, setTriggerValue } = component;
  let frame = parentElement.querySelector("iframe.cartohdf-map");
  if (!frame) {
    frame = document.createElement("iframe");
    frame.className = "cartohdf-map";
    frame.dataset.cartohdfHost = String(PROTOCOL);
    parentElement.appendChild(frame);
  }
  frame.title = data.title;
  frame.style.height = `${data.height}px`;
  const own = frame.cartohdf || (frame.cartohdf = { loaded: null, ready: false });
  own.data = data;
  own.trigger = setTriggerValue;
  frame.dataset.serverZone = data.view.zone; // the server's latest answer (tests wait on it)

  function post(message) {
    if (own.ready) frame.contentWindow.postMessage({ cartohdf: PROTOCOL, ...message }, window.origin);
  }
  // busy from a new page until it has drawn its first view (tests wait on it)
  function busy(on) {
    if (on) frame.dataset.cartohdfBusy = "page";
    else delete frame.dataset.cartohdfBusy;
  }
  // the server's view, but for what the user changed here since (its answer is on its way)
  function view() {
    const v = own.data.view;
    const zone = bus.ahead("zone", v.zone);
    const shown = bus.ahead("layers", [...v.shown].sort().join());
    return {
      ...v,
      zone: zone === undefined ? v.zone : zone,
      shown: shown === undefined ? v.shown : shown.split(",").filter(Boolean),
    };
  }
  function load() {
    const page = bus.stored("map", own.data.page);
    if (page === null) {
      busy(true); // its store mount has not given it yet
      return;
    }
    if (own.loaded === own.data.page) {
      post({ type: "view", view: view() });
      return;
    }
    const key = (own.loaded = own.data.page);
    own.ready = false;
    busy(true);
    withHeldScripts(page.html).then((html) => {
      if (own.loaded === key) frame.srcdoc = html; // not a page given since
    });
  }
  if (!own.listening) {
    own.listening = true;
    own.onMessage = (e) => {
      const m = e.data;
      if (!sameOrigin(e, frame) || !m || m.cartohdf !== PROTOCOL) return;
      if (m.type === "ready") {
        own.ready = true;
        post({ type: "view", view: view() });
        busy(false);
        // the server keeps what can wait (every zone's profile) until the first map is drawn
        if (own.data.tellDrawn && !own.toldDrawn) {
          own.toldDrawn = true;
          own.trigger("drawn", true);
        }
      } else if (m.type === "zone" && typeof m.code === "string") {
        bus.pend("zone", m.code);
        bus.emit("zone", { code: m.code, keyed: !!m.keyed });
        own.trigger("zone", m.code);
      } else if (m.type === "outside" && typeof m.code === "string") {
        own.trigger("outside", m.code);
      } else if (m.type === "compare" && typeof m.code === "string") {
        own.compares = (own.compares || 0) + 1; // a second Shift+click on a zone takes it out
        own.trigger("compare", { code: m.code, n: own.compares });
      }
    };
    window.addEventListener("message", own.onMessage);
    own.off = [
      bus.on("store", (name) => name === "map" && load()),
      bus.on("layers", (l) => post({ type: "layers", shown: l.shown, all: l.all })),
      bus.on("clear", () => post({ type: "clear" })),
    ];
  }
  load();
  return () => {
    window.removeEventListener("message", own.onMessage);
    own.off.forEach((off) => off());
    own.listening = false;
  };
}
