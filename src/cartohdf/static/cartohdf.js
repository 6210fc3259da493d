/* cartohdf map runtime: decodes the compact polygon payloads and draws the layers.
   Every text shown comes pre-escaped from Python; this file never builds HTML from data. */
(function () {
  "use strict";
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
  function addPolygons(group, payload) {
    var arcs = payload.arcs.map(decode);
    var byCode = {};
    payload.features.forEach(function (f) {
      var latlngs = f.shape.map(function (poly) { return rings(arcs, poly); });
      var layer = L.polygon(latlngs, f.style);
      layer.cartohdf = f.props || {};
      if (f.tooltip) layer.bindTooltip(f.tooltip, { sticky: true, className: "cartohdf-tip" });
      if (f.popup) layer.bindPopup(f.popup, { maxWidth: 320 });
      if (payload.highlight) {
        layer.on("mouseover", function () { layer.setStyle(payload.highlight); layer.bringToFront(); });
        layer.on("mouseout", function () { layer.setStyle(f.style); });
      }
      if (f.props && f.props.code) byCode[f.props.code] = layer;
      group.addLayer(layer);
    });
    group.cartohdfByCode = byCode;
    return group;
  }
  function addMarkers(group, payload) {
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
        layer = L.circleMarker([m.lat, m.lng], m.style);
      }
      if (m.tooltip) layer.bindTooltip(m.tooltip, { className: "cartohdf-tip" });
      if (m.popup) layer.bindPopup(m.popup, { maxWidth: 320 });
      if (m.cls) layer.cartohdf = { cls: m.cls };
      group.addLayer(layer);
    });
    (payload.lines || []).forEach(function (l) {
      group.addLayer(L.polyline(l.latlngs, l.style));
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
  window.cartohdf = { decode: decode, addPolygons: addPolygons, addMarkers: addMarkers, watchTiles: watchTiles };
})();
