/* cartohdf map runtime: decodes the compact polygon payloads and draws the layers.
   Every text shown comes pre-escaped from Python; this file never builds HTML from data. */
(function () {
  "use strict";
  /* Leaflet focuses the map on mousedown so that arrow keys pan it. In a frame partly off
     screen (the app), that focus scrolls the page between mousedown and mouseup and the click
     lands elsewhere: focus without scrolling instead. */
  if (window.L && L.Map.Keyboard) {
    L.Map.Keyboard.prototype._onMouseDown = function () {
      if (this._focused) return;
      this._map._container.focus({ preventScroll: true });
    };
  }
  /* Leaflet pans an opening popup into the map; keep it below the title box too. */
  if (window.L && L.Popup) {
    var adjustPan = L.Popup.prototype._adjustPan;
    L.Popup.prototype._adjustPan = function () {
      var title = this._map && this._map.getContainer().querySelector(".cartohdf-title");
      if (title) {
        this.options.autoPanPaddingTopLeft = L.point(10, title.offsetTop + title.offsetHeight + 10);
      }
      return adjustPan.apply(this, arguments);
    };
  }
  /* One hover tooltip at a time: a quick move from a zone to a marker (or a path brought to
     the front under the pointer) can miss a mouseout and leave the previous one open. */
  if (window.L && L.Tooltip) {
    var tooltipAdd = L.Tooltip.prototype.onAdd, openTip = null;
    L.Tooltip.prototype.onAdd = function (map) {
      if (!this.options.permanent) {
        if (openTip && openTip !== this && openTip._map && openTip._source) openTip._source.closeTooltip();
        openTip = this;
      }
      return tooltipAdd.call(this, map);
    };
  }
  /* A small map (a phone) starts with its layer control folded into its button. */
  function small(map) {
    var c = map.getContainer();
    return c.clientWidth < 600 || c.clientHeight < 480;
  }
  /* A phone-sized map starts with its legend folded (it would cover most of the map); any
     larger one, the app's beside its side panel included, shows it open. */
  function phone(map) {
    return map.getContainer().clientWidth < 480;
  }
  if (window.L && L.Control.Layers) {
    var layersOnAdd = L.Control.Layers.prototype.onAdd;
    L.Control.Layers.prototype.onAdd = function (map) {
      if (small(map)) this.options.collapsed = true;
      return layersOnAdd.call(this, map);
    };
  }
  /* In the app, this page is hosted by the app's map component (src/cartohdf/front/static/
     map.js), which marks its frame with `data-cartohdf-host`. The two talk by messages of the
     protocol `cartohdf: 1` (see PROTOCOL in front/static/ui.js), between documents of the
     app's own origin only. The exported file has no host: none of this happens there. */
  var PROTOCOL = 1;
  function hosted() {
    var frame = window.frameElement;  // null when the page is not ours to read (or no frame)
    return !!(frame && frame.dataset && frame.dataset.cartohdfHost);
  }
  function inApp() { return hosted(); }
  function tell(message) {
    if (!hosted()) return;
    message.cartohdf = PROTOCOL;
    window.parent.postMessage(message, window.origin);
  }
  var theMap = null;  // the map this page draws (the app's: the one the host talks to)
  var groups = {};  // layer id -> its group (every layer of the view, shown or not)
  var selectedNow = null;  // the selected zone's outline, drawn here
  function setShown(map, shown, all) {
    all.forEach(function (id) {
      var group = groups[id];
      if (!group) return;
      var on = shown.indexOf(id) >= 0;
      if (on && !map.hasLayer(group)) map.addLayer(group);
      if (!on && map.hasLayer(group)) map.removeLayer(group);
    });
  }
  function clearSelection(map) {
    if (selectedNow) { selectedNow.remove(); selectedNow = null; }
    if (groups.selection && map.hasLayer(groups.selection)) map.removeLayer(groups.selection);
  }
  var zoneLayers = {};  // code -> the shape of a zone the app can select (the newest zones)
  /* The zone of the région under a point (even-odd rule over each polygon's rings): a click on
     a circle or a marker selects the zone under it (a circle may reach over a neighbour). */
  function zoneAt(latlng) {
    function inRing(ring) {
      var inside = false;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var a = ring[i], b = ring[j];
        if ((a.lat > latlng.lat) !== (b.lat > latlng.lat) &&
            latlng.lng < (b.lng - a.lng) * (latlng.lat - a.lat) / (b.lat - a.lat) + a.lng) {
          inside = !inside;
        }
      }
      return inside;
    }
    for (var code in zoneLayers) {
      // the bounds first (kept by Leaflet): 3,800 communes cost a few comparisons each
      if (!zoneLayers[code].getBounds().contains(latlng)) continue;
      var hit = zoneLayers[code].getLatLngs().some(function (polygon) {
        return polygon.filter(inRing).length % 2 === 1;
      });
      if (hit) return code;
    }
    return null;
  }
  /* The selected zone's outline (its part in the région), in the selection's pane. */
  function outline(map, code) {
    clearSelection(map);
    var layer = zoneLayers[code], spec = layer && layer.cartohdfSelect;
    if (!spec) return false;
    var style = {};
    for (var k in spec.style) style[k] = spec.style[k];
    if (!map.getPane(spec.pane.name)) map.createPane(spec.pane.name).style.zIndex = String(spec.pane.z);
    style.pane = spec.pane.name;
    selectedNow = L.polygon(layer.getLatLngs(), style).addTo(map);
    return true;
  }
  /* The compared zones' dashed outlines (the app's map: the view names them), in the
     selection's pane, under the selected zone's. */
  var comparedNow = [];
  function outlineCompared(map, codes) {
    comparedNow.forEach(function (l) { l.remove(); });
    comparedNow = [];
    (codes || []).forEach(function (code) {
      var layer = zoneLayers[code], spec = layer && layer.cartohdfSelect;
      if (!spec || !spec.compared) return;
      var style = {};
      for (var k in spec.compared) style[k] = spec.compared[k];
      if (!map.getPane(spec.pane.name)) map.createPane(spec.pane.name).style.zIndex = String(spec.pane.z);
      style.pane = spec.pane.name;
      comparedNow.push(L.polygon(layer.getLatLngs(), style).addTo(map));
    });
    if (selectedNow) selectedNow.bringToFront();
  }
  /* A click on the map's layers, in the app: the zone's outline at once, and a word to the
     host (the side panel shows the zone while the server's answer is on its way). A zone's
     shape (its part outside the région too) names it; a circle or a marker, the zone under
     the point clicked. A zone of France outside the région is named to the host, which says
     why it has no profile here. */
  function selectNow(clicked, latlng, keyed) {
    var props = clicked.cartohdf || {}, map = clicked._map;
    if (!hosted() || !map) return;
    var code = (clicked instanceof L.Polygon && props.code) || (latlng && zoneAt(latlng));
    if (code && outline(map, code)) {
      tell({ type: "zone", code: code, keyed: !!keyed });
    } else if (code) {
      tell({ type: "outside", code: code });
    }
  }
  /* Frame `bounds`, keeping clear of the controls in the map's corners (their drawn size plus
     a margin). The same bounds twice in a row do nothing: a view that differs only by its
     layers leaves the user's own pan and zoom alone. */
  function frame(map, bounds, margin) {
    var key = JSON.stringify(bounds);
    if (map._cartohdfView === key) return;
    map._cartohdfView = key;
    var c = map.getContainer();
    function size(sel) {
      var el = c.querySelector(sel);
      return el ? { w: el.offsetWidth, h: el.offsetHeight } : { w: 0, h: 0 };
    }
    var legend = size(".cartohdf-legend"), title = size(".cartohdf-title"),
        control = size(".leaflet-control-layers"), W = c.clientWidth, H = c.clientHeight;
    var right = Math.max(legend.w, control.w), top = title.h;
    // a control taller or wider than half the map: give it the room on its side only
    if (2 * right > W) right = 0;
    if (2 * top > H) top = 0;
    // at once, not animated: the view is where the user (or a test) sees it when the map says so
    map.fitBounds(bounds, { paddingTopLeft: [margin, margin + top], paddingBottomRight: [margin + right, margin],
                            animate: false });
  }
  /* What the host says: the view (layers shown, zone, frame), a layer box ticked, the zone
     cleared. Only from the page that holds this frame, of the same origin. */
  window.addEventListener("message", function (e) {
    var m = e.data, map = theMap;
    if (!hosted() || !map || e.source !== window.parent || e.origin !== window.origin) return;
    if (!m || m.cartohdf !== PROTOCOL) return;
    if (m.type === "view" && m.view) {
      var v = m.view;
      setShown(map, v.shown, v.all);
      outlineCompared(map, v.compare);
      frame(map, v.bounds, v.margin);
      attachPending();
      if (v.zone) outline(map, v.zone); else clearSelection(map);
    } else if (m.type === "layers" && Array.isArray(m.shown) && Array.isArray(m.all)) {
      setShown(map, m.shown, m.all);
    } else if (m.type === "clear") {
      clearSelection(map);
    }
  });
  /* The last script of the app's page: the map is ready for the host's view. */
  function host(map) {
    theMap = map;
    tell({ type: "ready" });
  }
  /* The exported file: the view's own list of shown layers (hidden ones were never added). */
  function showOnly(group, layers) {
    group.cartohdfLayer = "view";
    group.on("add", function () {
      setShown(group._map, layers.shown, layers.all.filter(function (id) { return id !== "selection"; }));
    });
    return group;
  }
  /* A zone reachable with the keyboard: a named button that Enter or Space selects, as a
     click at its inside point would (popup in the exported file, profile in the app). */
  function keyboardAccess(layer, props) {
    layer.on("add", function () {
      var el = layer.getElement && layer.getElement();
      if (!el) return;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", props.name);
      L.DomEvent.on(el, "keydown", function (e) {
        if (e.key !== "Enter" && e.key !== " ") return;
        L.DomEvent.preventDefault(e);
        var at = L.latLng(props.at[0], props.at[1]);
        layer.fire("click", { latlng: at, originalEvent: e, sourceTarget: layer, target: layer }, true);
      });
    });
  }
  function decode(text) {
    var pts = [], lat = 0, lng = 0, i = 0, values = [];
    while (i < text.length) {
      var result = 0, shift = 0, b;
      do {
        b = text.charCodeAt(i++) - 63;
        result |= (b & 0x1f) << shift;
        shift += 5;
      } while (b >= 0x20);
      values.push(result & 1 ? ~(result >> 1) : result >> 1);
    }
    for (var k = 0; k + 1 < values.length; k += 2) {
      lat += values[k];
      lng += values[k + 1];
      pts.push([lat / 1e5, lng / 1e5]);
    }
    return pts;
  }
  function rings(arcs, poly) {
    return poly.map(function (refs) {
      var ring = [];
      refs.forEach(function (r) {
        var pts = r >= 0 ? arcs[r] : arcs[~r].slice().reverse();
        ring = ring.length ? ring.concat(pts.slice(1)) : pts.slice();
      });
      return ring;
    });
  }
  /* Tag a layer's group and give its vector shapes their own pane, created (at its z-index)
     on the map the group is added to: the drawing order then holds whenever it is added. */
  function prepare(group, payload) {
    group.cartohdfLayer = payload.layer || "";
    if (payload.layer) groups[payload.layer] = group;
    var pane = payload.pane;
    if (pane) group.cartohdfPane = pane.name;
    if (pane) {
      group.beforeAdd = function (map) {
        if (!map.getPane(pane.name)) map.createPane(pane.name).style.zIndex = String(pane.z);
      };
    }
    return function (style) {
      var opts = {};
      for (var k in style) opts[k] = style[k];
      if (pane) opts.pane = pane.name;
      return opts;
    };
  }
  /* Shift+click (Ctrl or Cmd+click; Shift+Enter on a zone) in the app: the zone goes into
     the comparison, or out of it, and stays unselected. */
  function compareAsked(e) {
    var o = e.originalEvent;
    return !!(o && (o.shiftKey || o.ctrlKey || o.metaKey));
  }
  function compareNow(clicked, latlng) {
    var props = clicked.cartohdf || {};
    var code = (clicked instanceof L.Polygon && props.code) || (latlng && zoneAt(latlng));
    if (code && zoneLayers[code] && zoneLayers[code].cartohdfSelect) tell({ type: "compare", code: code });
  }
  function onZoneClick(e) {
    var keyed = e.originalEvent && e.originalEvent.type === "keydown";
    if (e.layer && hosted() && compareAsked(e)) return compareNow(e.layer, e.latlng);
    if (e.layer) selectNow(e.layer, e.latlng, keyed);
  }
  function onMarkerClick(e) {
    if (e.layer) selectNow(e.layer, e.latlng);
  }
  function addPolygons(group, payload) {
    var styled = prepare(group, payload);
    var arcs = payload.arcs.map(decode);
    var byCode = {};
    payload.features.forEach(function (f) {
      var latlngs = f.shape.map(function (poly) { return rings(arcs, poly); });
      var layer = L.polygon(latlngs, styled(f.style));
      layer.cartohdf = f.props || {};
      if (f.tooltip) layer.bindTooltip(f.tooltip, { sticky: true, className: "cartohdf-tip" });
      // in the app a click selects the zone and its profile opens beside the map: no popup
      if (f.popup && !inApp()) layer.bindPopup(f.popup, { maxWidth: 320 });
      if (payload.highlight) {
        layer.on("mouseover", function () { layer.setStyle(payload.highlight); layer.bringToFront(); });
        layer.on("mouseout", function () { layer.setStyle(styled(f.style)); });
      }
      if (f.props && f.props.at) keyboardAccess(layer, f.props);
      if (f.props && f.props.code) byCode[f.props.code] = layer;
      if (f.props && f.props.pick && payload.select) layer.cartohdfSelect = payload.select;
      group.addLayer(layer);
    });
    group.cartohdfByCode = byCode;
    if (payload.select) zoneLayers = byCode;
    group.off("click", onZoneClick).on("click", onZoneClick);  // once per group (the theme has two)
    return group;
  }
  /* The hatching of a statistical secret: dark stripes over the class colour, as a canvas
     pattern (the units are drawn on a canvas: Leaflet sets `fillColor` as the fill style). */
  function hatch(color, stripe) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 6;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 6, 6);
    ctx.strokeStyle = stripe;
    ctx.lineWidth = 1.4;
    ctx.beginPath();
    [[-1, 1, 1, -1], [0, 6, 6, 0], [5, 7, 7, 5]].forEach(function (l) {
      ctx.moveTo(l[0], l[1]);
      ctx.lineTo(l[2], l[3]);
    });
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }
  /* A text block of lines, the first in bold, built as elements (no HTML from data). */
  function lines(first, rest) {
    var div = document.createElement("div"), b = document.createElement("b");
    b.textContent = first;
    div.appendChild(b);
    rest.forEach(function (text) {
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(text));
    });
    return div;
  }
  /* Thousands of shapes are drawn once the map is framed, not before: framing changes the
     zoom, which draws every shape again (it was half of a commune map's opening time). The
     exported file frames the map in its own scripts (their end: a task later); the app's
     page when the host's first view comes. */
  var pending = [], framed = false;
  function later(attach) {
    if (framed) { attach(); return; }
    pending.push(attach);
    if (!hosted() && pending.length === 1) setTimeout(attachPending, 0);
  }
  function attachPending() {
    framed = true;
    var todo = pending;
    pending = [];
    todo.forEach(function (attach) { attach(); });
  }
  /* The communes, EPCI or départements of a level: one style for all, per unit its code,
     name, hover lines and fill (an index into the colours). In the app a click selects the
     unit (its profile opens beside the map); in the exported file it opens its figures. */
  /* A polygon's rings from arcs decoded once into LatLng objects: neighbours share their
     border's points (Leaflet keeps a LatLng it is given), and no array is copied per arc. */
  function sharedRings(arcs, poly) {
    return poly.map(function (refs) {
      var ring = [];
      refs.forEach(function (r, n) {
        var pts = arcs[r >= 0 ? r : ~r], last = pts.length - 1;
        for (var k = n ? 1 : 0; k <= last; k++) ring.push(pts[r >= 0 ? k : last - k]);
      });
      return ring;
    });
  }
  function addUnits(group, payload) {
    var styled = prepare(group, payload);
    var arcs = payload.arcs.map(function (text) {
      return decode(text).map(function (p) { return L.latLng(p[0], p[1]); });
    });
    var byCode = {}, hatched = {}, index = {};
    var texts = unitTexts = { names: payload.names, tips: payload.tips };
    payload.hatched.forEach(function (i) { hatched[i] = true; });
    var base = styled(payload.style);
    /* on one canvas under the zones' outlines: 3,800 SVG paths took most of a commune map's
       opening time; Leaflet still gives each shape its events, tooltip and popup */
    base.renderer = L.canvas({ pane: payload.pane ? payload.pane.name : "overlayPane", padding: 0.2 });
    var patterns = {};
    /* the units in a group of their own: one tooltip, one popup and one pair of hover
       handlers for all of them */
    var units = L.featureGroup();
    payload.shapes.forEach(function (shape, i) {
      var style = {}, code = payload.codes[i], fill = payload.fills[i], color = payload.colors[fill];
      for (var k in base) style[k] = base[k];
      if (hatched[i]) style.fillColor = patterns[fill] || (patterns[fill] = hatch(color, payload.hatch));
      else style.fillColor = color;
      var layer = L.polygon(shape.map(function (poly) { return sharedRings(arcs, poly); }), style);
      layer.cartohdf = { code: code };
      if (payload.select) layer.cartohdfSelect = payload.select;
      index[L.stamp(layer)] = i;
      byCode[code] = layer;
      units.addLayer(layer);
    });
    function tip(layer) { var i = index[L.stamp(layer)]; return lines(texts.names[i], texts.tips[i]); }
    units.bindTooltip(tip, { sticky: true, className: "cartohdf-tip" });
    if (!inApp()) units.bindPopup(tip, { maxWidth: 320 });
    units.on("mouseover", function (e) { e.layer.setStyle(payload.highlight); e.layer.bringToFront(); });
    units.on("mouseout", function (e) { e.layer.setStyle({ weight: base.weight, color: base.color }); });
    later(function () {
      group.addLayer(units);
      // how many units are drawn, on the map's element (the canvas has no element per unit)
      if (group._map) group._map.getContainer().dataset.cartohdfUnits = String(payload.codes.length);
    });
    group.cartohdfByCode = byCode;
    if (payload.select) zoneLayers = byCode;
    group.off("click", onZoneClick).on("click", onZoneClick);
    return group;
  }
  /* The circles of a level's units: [lat, lng, radius, unit index] each, one style; hover
     and click say what the unit's shape says (the units' payload, drawn just before). */
  var unitTexts = null;
  function addDiscs(group, payload) {
    var styled = prepare(group, payload), texts = unitTexts, index = {};
    var discs = L.featureGroup();
    payload.points.forEach(function (p) {
      var style = styled(payload.style);
      style.radius = p[2];
      var layer = L.circleMarker([p[0], p[1]], style);
      index[L.stamp(layer)] = p[3];
      discs.addLayer(layer);
    });
    if (texts) {
      var tip = function (layer) { var i = index[L.stamp(layer)]; return lines(texts.names[i], texts.tips[i]); };
      discs.bindTooltip(tip, { className: "cartohdf-tip" });
      if (!inApp()) discs.bindPopup(tip, { maxWidth: 320 });
    }
    later(function () { group.addLayer(discs); });
    group.on("click", onMarkerClick);  // in the app, the unit under the point
    return group;
  }
  /* Zone names that would overlap are thinned out (a phone shows the région at a small
     zoom, where neighbours' names pile up): labels with the fewest clashes are kept first,
     then any that clashes with one kept is hidden; so is a name cut by the map's edge.
     Again after each move, zoom or resize. */
  function declutter(map) {
    var c = map.getContainer(), frame = c.getBoundingClientRect();
    var spans = Array.prototype.slice.call(c.querySelectorAll(".cartohdf-label > span"));
    spans.forEach(function (s) { s.parentNode.style.visibility = ""; });
    var boxes = spans.map(function (s) {
      var r = s.getBoundingClientRect();
      var cut = r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom;
      return { l: r.left - 2, r: r.right + 2, t: r.top - 1, b: r.bottom + 1, empty: !r.width, cut: cut };
    });
    function clash(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }
    var clashes = boxes.map(function (a, i) {
      return boxes.filter(function (b, j) { return i !== j && !b.empty && clash(a, b); }).length;
    });
    var order = spans.map(function (_, i) { return i; })
      .sort(function (i, j) { return clashes[i] - clashes[j] || i - j; });
    var kept = [];
    order.forEach(function (i) {
      if (boxes[i].empty) return;
      if (boxes[i].cut || kept.some(function (k) { return clash(boxes[i], boxes[k]); })) {
        spans[i].parentNode.style.visibility = "hidden";
      } else {
        kept.push(i);
      }
    });
  }
  function thinLabels(group) {
    function later() {
      var map = group._map;
      if (map) requestAnimationFrame(function () { declutter(map); });
    }
    group.on("add", function () {
      var map = group._map;
      if (!map._cartohdfThinned) {
        map._cartohdfThinned = true;
        map.on("zoomend moveend resize", function () { requestAnimationFrame(function () { declutter(map); }); });
      }
      later();
    });
    later();
  }
  function addMarkers(group, payload) {
    var styled = prepare(group, payload);
    if (payload.layer === "labels") thinLabels(group);
    if (payload.layer !== "circles") group.on("click", onMarkerClick);  // circles: the theme's
    payload.markers.forEach(function (m) {
      var layer;
      if (m.icon) {
        layer = L.marker([m.lat, m.lng], {
          icon: L.divIcon({ className: "", html: m.icon, iconSize: [22, 22], iconAnchor: [11, 11] }),
          keyboard: false, riseOnHover: true
        });
      } else if (m.label) {
        layer = L.marker([m.lat, m.lng], {
          icon: L.divIcon({ className: m.className || "cartohdf-label", html: m.label, iconSize: null }),
          interactive: !!(m.tooltip || m.popup), keyboard: false, zIndexOffset: 1000
        });
      } else {
        layer = L.circleMarker([m.lat, m.lng], styled(m.style));
      }
      if (m.tooltip) layer.bindTooltip(m.tooltip, { className: "cartohdf-tip" });
      // a zone's circle in the app selects the zone (its profile opens beside the map)
      if (m.popup && !(m.props && m.props.code && inApp())) layer.bindPopup(m.popup, { maxWidth: 320 });
      if (m.cls) layer.cartohdf = { cls: m.cls };
      if (m.props) layer.cartohdf = m.props;
      group.addLayer(layer);
    });
    (payload.lines || []).forEach(function (l) {
      var line = L.polyline(l.latlngs, styled(l.style));
      group.addLayer(line);
    });
    return group;
  }
  function watchTiles(map, tileLayer, message) {
    var shown = false;
    tileLayer.on("tileerror", function () {
      if (shown) return;
      shown = true;
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "cartohdf-note");
        div.textContent = message;
        return div;
      };
      note.addTo(map);
    });
  }
  /* The exported file's frame: the view's bounds, once the view is on the map. */
  function fitView(group, view) {
    group.cartohdfLayer = "view";
    if (group._map) frame(group._map, view.bounds, view.margin);
    group.on("add", function () { frame(group._map, view.bounds, view.margin); });
    return group;
  }
  /* Run `draw(map)` while `target` is on a map: at once for a map, on each add for a layer
     group (the theme of the view, which the app swaps without rebuilding the map). `draw`
     returns what undoes it, run when the group leaves the map. */
  function onMap(target, draw) {
    if (target.getContainer) return draw(target);
    var undo = null;
    target.on("add", function () { undo = draw(target._map); });
    target.on("remove", function () { if (undo) undo(); undo = null; });
    if (target._map) undo = draw(target._map);
  }
  function addTitle(target, html) {
    onMap(target, function (map) {
      var d = L.DomUtil.create("div", "cartohdf-title cartohdf-panel", map.getContainer());
      d.innerHTML = html;
      return function () { L.DomUtil.remove(d); };
    });
  }
  function addLegend(target, html, labels) {
    onMap(target, function (map) { return legendOn(map, html, labels); });
  }
  function legendOn(map, html, labels) {
    var control = L.control({ position: "bottomright" });
    var div;
    /* a button folds the legend away (folded from the start on a small map) */
    function foldable(outer) {
      var button = L.DomUtil.create("button", "lg-toggle", outer);
      button.type = "button";
      var body = L.DomUtil.create("div", "lg-body", outer);
      body.innerHTML = html;
      function show(open) {
        map._cartohdfLegendOpen = open;  // kept when the app redraws the legend with its layer
        body.hidden = !open;
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "× " + labels.hide : labels.show;
        L.DomUtil[open ? "removeClass" : "addClass"](outer, "folded");
      }
      L.DomEvent.on(button, "click", function (e) {
        L.DomEvent.stop(e);
        show(body.hidden);
      });
      show(map._cartohdfLegendOpen !== undefined ? map._cartohdfLegendOpen : !phone(map));
    }
    function sync() {
      if (!div) return;
      var present = {};
      map.eachLayer(function (l) { if (l.cartohdfLayer) present[l.cartohdfLayer] = true; });
      div.querySelectorAll("[data-layer]").forEach(function (el) {
        el.hidden = !present[el.getAttribute("data-layer")];
      });
      div.querySelectorAll("[data-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-layer]:not([hidden])");
      });
    }
    control.onAdd = function () {
      div = L.DomUtil.create("div", "cartohdf-panel cartohdf-legend");
      foldable(div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      setTimeout(sync, 0);
      return div;
    };
    control.addTo(map);
    function changed(e) {
      if (e.layer && e.layer.cartohdfLayer !== undefined) setTimeout(sync, 0);
    }
    map.on("layeradd layerremove", changed);
    return function () {
      map.off("layeradd layerremove", changed);
      control.remove();
      div = null;
    };
  }
  window.cartohdf = {
    decode: decode, addPolygons: addPolygons, addUnits: addUnits, addDiscs: addDiscs, addMarkers: addMarkers, watchTiles: watchTiles,
    fitView: fitView, addLegend: addLegend, addTitle: addTitle, showOnly: showOnly, host: host,
    hostedMap: function () { return theMap; }  // the app's map (null in the exported file)
  };
})();
