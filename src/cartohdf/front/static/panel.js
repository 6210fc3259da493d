/* cartohdf · the app's side panel: the selected zone's profile, or the région overview.
   Every page of the view (store "pages") is in the page already: a click on the map shows
   one at once (the map says which zone on the bus) while the server's answer is on its way.
   Every text comes pre-escaped from Python: this file never builds HTML from data. */
import * as bus from "./bus.js";

// Streamlit stacks its columns below 640 px: the profile then opens under the map, out of
// sight. After a tap there, bring its heading into view (the focus stays where it is: on the
// zone for a keyboard user, who goes on from there with Tab).
function stacked() {
  return window.innerWidth < 640;
}

export function mountSide(component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".cartohdf-side");
  if (!root) {
    root = document.createElement("div");
    root.className = "cartohdf-side";
    parentElement.appendChild(root);
  }
  const own = root.cartohdf || (root.cartohdf = { shown: null, chosen: null });
  own.data = data;
  own.trigger = setTriggerValue;

  function show(code) {
    const pages = bus.stored("pages", own.data.pages);
    if (pages === null) {
      root.dataset.cartohdfBusy = "pages"; // shown when its store mount gives them (tests wait)
      return;
    }
    delete root.dataset.cartohdfBusy;
    root.dataset.pages = own.data.pages; // every page of the view is here (tests wait on it)
    const zone = code ? pages.zones[code] : null;
    const page = zone || pages.overview;
    const key = `${zone ? code : ""}|${own.data.pages}`;
    if (own.shown === key) return; // the same page: keep it (and where it is scrolled)
    own.shown = key;
    root.innerHTML = "";
    const h = document.createElement("h2");
    h.className = "cartohdf-side-title";
    h.tabIndex = -1; // where the focus goes back to when « Vue régionale » leaves the page
    h.innerHTML = page.heading;
    root.appendChild(h);
    if (zone) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "cartohdf-clear";
      b.innerHTML = `<span aria-hidden='true'>✕</span> ${own.data.clear}`;
      b.addEventListener("click", clear);
      root.appendChild(b);
    }
    const body = document.createElement("div");
    body.innerHTML = page.html;
    root.appendChild(body);
    // the hint under the map (« Cliquez sur une zone… ») has done its work while a zone is shown
    document.body.classList.toggle("cartohdf-zone-shown", !!zone);
    if (zone && own.scrollTo === code) h.scrollIntoView({ block: "start" });
    own.scrollTo = null;
  }
  function clear() {
    bus.pend("zone", "");
    own.chosen = "";
    show("");
    root.querySelector(".cartohdf-side-title").focus();
    bus.emit("clear", {});
    own.trigger("clear", true);
  }
  // the zone to show: the server's, but for the user's newer choice
  function current() {
    const mine = bus.ahead("zone", own.data.selected);
    return mine === undefined ? own.data.selected : mine;
  }
  // « Voir les communes » in a zone's profile, « Retour aux zones » at a level below it
  if (!own.withinWired) {
    own.withinWired = true;
    root.addEventListener("click", (e) => {
      const button = e.target.closest("button[data-cartohdf-within]");
      if (button) own.trigger("within", button.dataset.cartohdfWithin);
    });
  }
  if (!own.listening) {
    own.listening = true;
    own.off = [
      bus.on("zone", (m) => {
        own.scrollTo = stacked() ? m.code : null; // now, or when the server's answer shows it
        show(m.code);
      }),
      bus.on("store", (name) => name === "pages" && show(current())),
    ];
  }
  show(current());
  return () => {
    own.off.forEach((off) => off());
    own.listening = false;
  };
}
