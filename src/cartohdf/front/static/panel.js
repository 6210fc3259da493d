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

  function button(cls, html, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.innerHTML = html;
    b.addEventListener("click", onClick);
    root.appendChild(b);
    return b;
  }
  // the comparison page, when the view compares zones and it is in the page (else null)
  function comparison() {
    const key = own.data.compare;
    if (!key || own.left === key) return null;
    const page = bus.stored("compare", key);
    if (page === null) root.dataset.cartohdfBusy = "compare"; // shown when its store gives it
    return page;
  }
  function show(code) {
    const pages = bus.stored("pages", own.data.pages);
    if (pages === null) {
      root.dataset.cartohdfBusy = "pages"; // shown when its store mount gives them (tests wait)
      return;
    }
    const zone = code ? pages.zones[code] : null;
    // the overview alone, until the first map is drawn: the profiles follow (tests wait)
    if (pages.partial) root.dataset.cartohdfBusy = "pages";
    else delete root.dataset.cartohdfBusy;
    if (code && !zone && pages.partial) return; // its profile comes with the others
    root.dataset.pages = own.data.pages; // every page of the view is here (tests wait on it)
    const compared = zone ? null : comparison();
    const page = zone || compared || pages.overview;
    const compareKey = compared ? own.data.compare : "";
    const key = `${zone ? code : ""}|${own.data.pages}|${compareKey}|${(own.data.compared || []).join()}`;
    root.dataset.compare = compareKey; // the comparison shown (tests wait on it)
    if (own.shown === key) return; // the same page: keep it (and where it is scrolled)
    own.shown = key;
    root.innerHTML = "";
    const h = document.createElement("h2");
    h.className = "cartohdf-side-title";
    h.tabIndex = -1; // where the focus goes back to when « Vue régionale » leaves the page
    h.innerHTML = page.heading;
    root.appendChild(h);
    if (zone) {
      button("cartohdf-clear", `<span aria-hidden='true'>✕</span> ${own.data.clear}`, clear);
      const inIt = (own.data.compared || []).includes(code);
      button("cartohdf-clear cartohdf-compare", inIt ? own.data.remove : own.data.add, () => compare(code));
    } else if (compared) {
      button("cartohdf-clear cartohdf-leave", `<span aria-hidden='true'>✕</span> ${own.data.leave}`, leave);
    }
    const body = document.createElement("div");
    body.innerHTML = page.html;
    root.appendChild(body);
    for (const select of body.querySelectorAll("select[data-cartohdf-scatter]")) {
      select.addEventListener("change", scatter);
    }
    // the hint under the map (« Cliquez sur une zone… ») has done its work while a zone is shown
    document.body.classList.toggle("cartohdf-zone-shown", !!zone);
    if (zone && own.scrollTo === code) h.scrollIntoView({ block: "start" });
    own.scrollTo = null;
  }
  function ask(name, value) {
    own.asks = (own.asks || 0) + 1; // the same zone twice is two asks
    own.trigger(name, { ...value, n: own.asks });
  }
  function compare(code) {
    ask("compare", { code });
  }
  function leave() {
    own.left = own.data.compare; // the overview at once; the server's answer confirms it
    show("");
    root.querySelector(".cartohdf-side-title").focus();
    own.trigger("leave", true);
  }
  function scatter() {
    const axis = (name) => root.querySelector(`select[data-cartohdf-scatter='${name}']`).value;
    own.trigger("scatter", { x: axis("x"), y: axis("y") });
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
  if (!own.listening) {
    own.listening = true;
    own.off = [
      bus.on("zone", (m) => {
        own.scrollTo = stacked() ? m.code : null; // now, or when the server's answer shows it
        show(m.code);
      }),
      bus.on("store", (name) => (name === "pages" || name === "compare") && show(current())),
    ];
  }
  show(current());
  return () => {
    own.off.forEach((off) => off());
    own.listening = false;
  };
}
