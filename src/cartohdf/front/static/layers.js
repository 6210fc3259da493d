/* cartohdf · the app's layer panel: S3 domains, employers, outlines, names. A box ticked
   shows or hides its layer on the map at once (on the bus), then tells the server, which
   puts the layers in the view and its link. Every text comes pre-escaped from Python. */
import * as bus from "./bus.js";

export function mountLayers(component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".cartohdf-layers");
  if (!root) {
    root = document.createElement("details");
    root.className = "cartohdf-layers";
    parentElement.appendChild(root);
  }
  const own = root.cartohdf || (root.cartohdf = {});
  own.trigger = setTriggerValue;
  const told = [...data.shown].sort().join();
  const mine = bus.ahead("layers", told);
  const shown = new Set((mine === undefined ? told : mine).split(",").filter(Boolean));
  const layout = JSON.stringify([data.title, data.groups]);
  if (own.layout === layout) {
    // the same boxes (the server's answer to a tick): only their states, the focus stays put
    root.querySelectorAll("input[data-layer]").forEach((b) => {
      b.checked = shown.has(b.dataset.layer);
    });
    return;
  }
  own.layout = layout;

  root.innerHTML = "";
  const summary = document.createElement("summary");
  summary.innerHTML = data.title;
  root.appendChild(summary);
  const body = document.createElement("div");
  body.className = "cartohdf-layers-body";
  root.appendChild(body);

  function changed() {
    const on = Array.from(root.querySelectorAll("input[data-layer]:checked"), (b) => b.dataset.layer);
    const all = Array.from(root.querySelectorAll("input[data-layer]"), (b) => b.dataset.layer);
    bus.pend("layers", on.slice().sort().join());
    bus.emit("layers", { shown: on, all });
    own.trigger("shown", on);
  }
  data.groups.forEach((g) => {
    const box = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.innerHTML = g.title;
    box.appendChild(legend);
    if (g.bulk) {
      const row = document.createElement("div");
      row.className = "cartohdf-bulk";
      [[g.bulk.all, true], [g.bulk.none, false]].forEach(([label, on]) => {
        const b = document.createElement("button");
        b.type = "button";
        b.innerHTML = label;
        b.addEventListener("click", () => {
          box.querySelectorAll("input[data-layer]").forEach((i) => { i.checked = on; });
          changed();
        });
        row.appendChild(b);
      });
      box.appendChild(row);
    }
    g.items.forEach((item) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.dataset.layer = item.id;
      input.checked = shown.has(item.id);
      input.addEventListener("change", changed);
      const text = document.createElement("span");
      text.innerHTML = item.label;
      label.appendChild(input);
      label.appendChild(text);
      box.appendChild(label);
    });
    body.appendChild(box);
  });
}
