/* cartohdf · the side panel of the app: the selected zone's profile, or the région overview,
   both given with the selection. Every zone's profile of the view comes apart, last
   (pages.js), so that a click on the map shows one at once (the map says which zone by
   message) while the server's answer is on its way. Every text comes pre-escaped from
   Python: this file never builds HTML from data. */
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".cartohdf-side");
  if (!root) {
    root = document.createElement("div");
    root.className = "cartohdf-side";
    parentElement.appendChild(root);
  }
  const own = root.cartohdf || (root.cartohdf = { shown: null });
  own.data = data;

  function pageOf(code) {
    const pages = window.cartohdfPages;
    if (pages && pages.zones[code]) return pages.zones[code];
    return code === own.data.selected ? own.data.page : null;
  }
  function show(code) {
    const d = own.data;
    const zone = code ? pageOf(code) : null;
    const page = zone || d.overview;
    const key = (zone ? code : "") + "|" + page.heading + "|" + page.html;
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
      b.innerHTML = "<span aria-hidden='true'>✕</span> " + d.clear;
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
  // Streamlit stacks its columns below 640 px: the profile then opens under the map, out of
  // sight. After a tap there, bring its heading into view (the focus stays where it is: on
  // the zone for a keyboard user, who goes on from there with Tab).
  function stacked() {
    return window.innerWidth < 640;
  }
  function frames(message) {
    for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage(message, "*");
  }
  function clear() {
    own.pending = { code: "", t: Date.now() };
    show("");
    root.querySelector(".cartohdf-side-title").focus();
    frames({ cartohdf: "clear" });
    setTriggerValue("clear", true);
  }
  if (!own.listener) {
    own.listener = (e) => {
      if (e.origin !== window.location.origin) return; // the app's own map only
      const m = e.data;
      // a zone whose page is not here yet (the pages come last) waits for the server
      if (!m || m.cartohdf !== "zone" || typeof m.code !== "string") return;
      own.scrollTo = stacked() ? m.code : null; // now, or when the server's answer shows it
      if (pageOf(m.code)) {
        own.pending = { code: m.code, t: Date.now() };
        show(m.code);
      }
    };
    own.pages = () => show(own.pending ? own.pending.code : own.data.selected || "");
    window.addEventListener("message", own.listener);
    window.addEventListener("cartohdf-pages", own.pages);
  }
  // the server's answer to an earlier click (the user clicked again since) does not undo the
  // newer one; the answer that matches ends the wait (so does time, as a safeguard)
  const pending = own.pending && Date.now() - own.pending.t < 10000 ? own.pending.code : null;
  if (pending === null || pending === (data.selected || "")) {
    own.pending = null;
    show(data.selected || "");
  }
  return () => {
    window.removeEventListener("message", own.listener);
    window.removeEventListener("cartohdf-pages", own.pages);
    own.listener = null;
  };
}
