/* The map of a table (resource pages, map embeds), drawn with Leaflet from the records API:
   a GeoJSON geometry column, or latitude and longitude columns made into points. No tile layer
   unless the operator set MAP_TILE_URL: the features are drawn on a plain background, with a
   scale, so the map works without internet. At most `data-limit` rows are drawn, and the note
   under the map says so. */
(function () {
  "use strict";
  const data = window.portalData;
  const STYLE = { color: "#083a66", weight: 2, fillColor: "#0b4f8a", fillOpacity: 0.25 };

  function geometryOf(record, box) {
    const d = box.dataset;
    if (d.geometry) {
      const raw = record[d.geometry];
      if (!raw) { return null; }
      try {
        return typeof raw === "string" ? JSON.parse(raw) : raw;
      } catch (_error) {
        return null;
      }
    }
    const lat = record[d.latitude];
    const lon = record[d.longitude];
    if (lat === null || lon === null || lat === undefined || lon === undefined) { return null; }
    const y = Number(lat);
    const x = Number(lon);
    if (!isFinite(x) || !isFinite(y) || Math.abs(y) > 90 || Math.abs(x) > 180) { return null; }
    return { type: "Point", coordinates: [x, y] };
  }

  function popup(record, box) {
    const list = document.createElement("dl");
    list.className = "map-popup mb-0";
    Object.keys(record).forEach(function (name) {
      if (name === "_id" || name === box.dataset.geometry) { return; }
      const term = document.createElement("dt");
      term.textContent = name;
      const value = document.createElement("dd");
      value.textContent = record[name] === null ? "" : String(record[name]);
      list.append(term, value);
    });
    return list;
  }

  function draw(box, body, map) {
    const features = [];
    body.records.forEach(function (record) {
      const geometry = geometryOf(record, box);
      if (geometry && geometry.type) {
        features.push({ type: "Feature", geometry: geometry, properties: record });
      }
    });
    const layer = window.L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function () { return STYLE; },
      pointToLayer: function (_feature, latlng) {
        return window.L.circleMarker(latlng, Object.assign({ radius: 5, fillOpacity: 0.7 }, STYLE));
      },
      onEachFeature: function (feature, shape) {
        shape.bindPopup(function () { return popup(feature.properties, box); });
      },
    }).addTo(map);
    const note = document.getElementById("map-note");
    const d = box.dataset;
    if (!features.length) {
      note.textContent = d.msgNone;
      return;
    }
    map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 14 });
    const total = body.total === null || body.total === undefined ? body.records.length : body.total;
    note.textContent = total > body.records.length
      ? data.format(d.msgCapped, { count: data.number(body.records.length), total: data.number(total) })
      : data.format(d.msgCount, { count: data.number(features.length) });
  }

  function start() {
    const box = document.getElementById("map-canvas");
    if (!box || !window.L) { return; }
    const d = box.dataset;
    box.hidden = false;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", d.label);
    const map = window.L.map(box, { attributionControl: Boolean(d.tileUrl), zoomSnap: 0.5 });
    map.setView([16, 106], 5); // Việt Nam, until the features are there
    if (d.tileUrl) {
      window.L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    window.L.control.scale({ imperial: false }).addTo(map);
    const url = new URL(d.recordsUrl, window.location.href);
    url.searchParams.set("fields", d.fields);
    url.searchParams.set("limit", d.limit);
    data.getJSON(url).then(function (body) { draw(box, body, map); }).catch(function (error) {
      document.getElementById("map-note").textContent = d.msgError + " " + error.message;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
