/* cartohdf · the app's side panel: the selected zone's profile, or the région overview.
   Every page of the view (store "pages") is in the page already: a click on the map shows
   one at once (the map says which zone on the bus) while the server's answer is on its way.
   Every text comes pre-escaped from Python: this file never builds HTML from data. A zone's
   sector chart (ZE2020) is drawn here from figures (pages.sectors: what every chart shares;
   the zone's page: mix = its name and figures), as SVG and table nodes whose words are set as
   text (textContent), never parsed. */
import * as bus from "./bus.js";

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#1f5fa8", "#c2560a", "#767984"]; // the zone, the région, France
const BAR_H = [7, 4, 4]; // the zone's bar thicker: it is the one read
const W = 380, LABEL_W = 160, VALUE_W = 44, ROW_H = 19, TOP = 40; // text at 11–12 px in a 340 px panel

function node(ns, name, attrs = {}, text) {
  const e = ns ? document.createElementNS(ns, name) : document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// tenths of a percent as text: 134 -> « 13,4 % » (whole numbers: no rounding here)
function pct(v, s) {
  return v === null || v === undefined ? "—" : `${Math.floor(v / 10)}${s.dec}${v % 10}${s.pct}`;
}

// Horizontal bars: each sector's share of industrial jobs, the zone, the région, France;
// sectors from the largest in the zone; an axis in % with its title; the figures as a table.
export function sectorChart(s, mix) {
  const series = [mix.v, s.region, s.france];
  const names = [mix.name, ...s.series];
  const order = s.codes.map((_, i) => i).sort((a, b) => (mix.v[b] ?? -1) - (mix.v[a] ?? -1) || a - b);
  const top = Math.max(...series.flat().filter((v) => v !== null));
  const step = top > 300 ? 100 : 50; // ticks every 10 % or 5 %
  const max = Math.max(step, Math.ceil(top / step) * step);
  const x0 = LABEL_W + 4, x1 = W - VALUE_W;
  const x = (v) => x0 + ((v ?? 0) / max) * (x1 - x0);
  const h = TOP + order.length * ROW_H + 30;
  const alt = s.alt.replace("{zone}", mix.name);
  const svg = node(SVG, "svg", { viewBox: `0 0 ${W} ${h}`, role: "img", "aria-label": alt,
    class: "cartohdf-sector-chart", "font-size": 12, fill: "#262730" });
  svg.appendChild(node(SVG, "title", {}, alt));
  let lx = 0; // the legend: one swatch and name per series
  names.forEach((name, i) => {
    svg.appendChild(node(SVG, "rect", { x: lx, y: 3, width: 11, height: 9, fill: COLOURS[i] }));
    svg.appendChild(node(SVG, "text", { x: lx + 14, y: 12 }, name));
    lx += 14 + Math.min(name.length, 22) * 6.6 + 12;
  });
  for (let v = 0; v <= max; v += step) { // the axis: gridlines, ticks labelled in %
    svg.appendChild(node(SVG, "line", { x1: x(v), x2: x(v), y1: TOP - 6, y2: h - 26, stroke: "#d5d7dd" }));
    svg.appendChild(node(SVG, "text", { x: x(v), y: TOP - 9, "text-anchor": "middle" }, `${v / 10}${s.pct}`));
  }
  order.forEach((k, row) => {
    const y = TOP + row * ROW_H;
    svg.appendChild(node(SVG, "text", { x: LABEL_W, y: y + 12, "text-anchor": "end" }, s.labels[k]));
    let by = y + 1;
    series.forEach((values, i) => {
      const v = values[k];
      if (v !== null) svg.appendChild(node(SVG, "rect", { x: x0, y: by, width: Math.max(x(v) - x0, 0.5),
        height: BAR_H[i], fill: COLOURS[i], class: `s${i}` }));
      by += BAR_H[i] + 1;
    });
    svg.appendChild(node(SVG, "text", { x: x(mix.v[k]) + 3, y: y + 10, "font-size": 11 }, pct(mix.v[k], s)));
  });
  svg.appendChild(node(SVG, "line", { x1: x0, x2: x0, y1: TOP - 6, y2: h - 26, stroke: "#8a8d96" }));
  svg.appendChild(node(SVG, "text", { x: (x0 + x1) / 2, y: h - 8, "text-anchor": "middle" }, s.axis));
  const figure = node(null, "figure", { class: "cartohdf-sector-figure" });
  figure.appendChild(svg);
  figure.appendChild(node(null, "figcaption", { class: "note" }, s.source));
  const details = node(null, "details", { class: "fold" });
  details.appendChild(node(null, "summary", {}, s.table));
  const table = node(null, "table");
  const head = node(null, "tr");
  [s.sector, ...names].forEach((n, i) => head.appendChild(node(null, "th", { scope: "col", ...(i ? { class: "n" } : {}) }, n)));
  table.appendChild(node(null, "thead")).appendChild(head);
  const body = table.appendChild(node(null, "tbody"));
  order.forEach((k) => {
    const tr = body.appendChild(node(null, "tr"));
    tr.appendChild(node(null, "th", { scope: "row" }, `${s.labels[k]} (${s.codes[k]})`));
    series.forEach((values) => tr.appendChild(node(null, "td", { class: "n" }, pct(values[k], s))));
  });
  details.appendChild(table);
  figure.appendChild(details);
  return figure;
}

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
    const place = body.querySelector(".cartohdf-sector-mix");
    if (place && zone && zone.mix && pages.sectors) place.appendChild(sectorChart(pages.sectors, zone.mix));
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
      bus.on("store", (name) => (name === "pages" || name === "compare") && show(current())),
    ];
  }
  show(current());
  return () => {
    own.off.forEach((off) => off());
    own.listening = false;
  };
}
