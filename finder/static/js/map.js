/* The map is an enhancement of the address list next to it: without this script, without
   Leaflet or without tiles the list and the outline still say everything.
   List and map stay in sync: every address gets a "show on the map" button, and choosing a
   marker (mouse or keyboard: markers are focusable, Enter opens them) marks its address. */
(function () {
  "use strict";
  var el = document.querySelector("[data-map]");
  if (!el || !window.L) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-map-point]"));
  var outlineEl = document.querySelector("[data-map-outline]");
  var outline = [];
  try { outline = outlineEl ? JSON.parse(outlineEl.textContent || "[]") : []; } catch (e) { outline = []; }
  if (!items.length && !outline.length) { return; }

  el.hidden = false;
  el.setAttribute("role", "region");
  el.setAttribute("aria-label", el.getAttribute("data-label") || "");
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.getAttribute("data-tiles"), {
    attribution: el.getAttribute("data-attribution"), maxZoom: 19, minZoom: 7
  }).addTo(map);
  var bounds = L.latLngBounds([]);
  if (outline.length) {
    var polygon = L.polygon(outline, { weight: 2, fillOpacity: 0.08, interactive: false }).addTo(map);
    bounds.extend(polygon.getBounds());
  }

  function mark(item) {
    items.forEach(function (other) { other.classList.remove("is-active"); });
    item.classList.add("is-active");
  }

  items.forEach(function (item) {
    var lat = parseFloat(item.getAttribute("data-lat"));
    var lon = parseFloat(item.getAttribute("data-lon"));
    var addressEl = item.querySelector(".map-address");
    var address = addressEl ? addressEl.textContent : "";
    var marker = L.marker([lat, lon], { title: address, alt: address, keyboard: true }).addTo(map);
    var popup = document.createElement("div");
    popup.innerHTML = item.innerHTML;  // the same server-rendered (escaped) address and links
    marker.bindPopup(popup);
    marker.on("click", function () { mark(item); });
    bounds.extend([lat, lon]);

    var show = document.createElement("button");
    show.type = "button";
    show.className = "link-button";
    show.textContent = el.getAttribute("data-show-label") || "Toon op de kaart";
    show.addEventListener("click", function () {
      mark(item);
      map.setView([lat, lon], Math.max(map.getZoom(), 15));
      marker.openPopup();
      el.scrollIntoView({ block: "nearest" });
    });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(show);
  });
  // The map now shows the outline: the static drawing of it (for no JavaScript) can go.
  Array.prototype.forEach.call(document.querySelectorAll("svg.outline"), function (svg) {
    svg.classList.add("is-replaced");
  });
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  }
})();
