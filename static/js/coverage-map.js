/* The coverage map of the network: municipality centre points, gaps marked apart.
 *
 * The map element names its configuration (a json_script element) in data-coverage-config:
 *   {tileUrl, attribution, labels: {places, audiencePlaces, gap, details},
 *    points: [{name, lat, lng, places, audiencePlaces, gap, url}]}
 * A gap (no place for the chosen audience) is drawn as a hollow dashed ring and says so in
 * its tooltip and popup, so it does not rely on colour alone. The table on the page holds
 * the same figures; popups are built with textContent, never innerHTML.
 */
(function () {
  "use strict";

  var FINLAND_CENTER = [64.5, 26.0];
  var FINLAND_ZOOM = 5;
  var COVERED_STYLE = {
    radius: 6,
    color: "#ffffff",
    weight: 1,
    fillColor: "#1d6b35",
    fillOpacity: 0.9,
  };
  var GAP_STYLE = {
    radius: 7,
    color: "#8a1c1c",
    weight: 3,
    dashArray: "3 3",
    fillColor: "#ffffff",
    fillOpacity: 0.6,
  };

  function readConfig(element) {
    var source = document.getElementById(element.getAttribute("data-coverage-config"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function line(parent, text) {
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    parent.appendChild(paragraph);
  }

  function popupContent(point, labels) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.name;
    box.appendChild(title);
    line(box, labels.places + ": " + point.places);
    line(box, labels.audiencePlaces + ": " + point.audiencePlaces);
    if (point.gap) {
      var gap = document.createElement("p");
      var marker = document.createElement("strong");
      marker.textContent = labels.gap;
      gap.appendChild(marker);
      box.appendChild(gap);
    }
    if (point.url && point.url.charAt(0) === "/") {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = labels.details;
      box.appendChild(link);
    }
    return box;
  }

  function tooltipContent(point, labels) {
    var text = document.createElement("span");
    text.textContent = point.name + (point.gap ? " – " + labels.gap : ": " + point.audiencePlaces);
    return text;
  }

  function init() {
    if (typeof L === "undefined") {
      return;
    }
    var elements = document.querySelectorAll("[data-coverage-config]");
    Array.prototype.forEach.call(elements, function (element) {
      var config = readConfig(element);
      if (!config) {
        return;
      }
      var map = L.map(element, { preferCanvas: true, minZoom: 4, maxZoom: 12 });
      L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
      map.setView(FINLAND_CENTER, FINLAND_ZOOM);
      var bounds = [];
      config.points.forEach(function (point) {
        var latLng = [point.lat, point.lng];
        bounds.push(latLng);
        L.circleMarker(latLng, point.gap ? GAP_STYLE : COVERED_STYLE)
          .bindTooltip(tooltipContent(point, config.labels))
          .bindPopup(function () {
            return popupContent(point, config.labels);
          })
          .addTo(map);
      });
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [16, 16] });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
