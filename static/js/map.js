/* Maps of meeting places, drawn with django-leaflet's bundled Leaflet.
 *
 * A map element names its configuration (a json_script element) in data-map-config:
 *   {tileUrl, attribution, labels, geojsonUrl?, point?: {lat, lon, name, approximate}}
 * With geojsonUrl the map loads the filtered places; with point it shows one place.
 * A place whose location is approximate (an import looked it up, or put it at the
 * municipality's centre) has a hollow, dashed marker and says so in its popup.
 * Markers are circle markers on a canvas renderer, so thousands stay smooth. Popups are built
 * with textContent: place data is never parsed as HTML. Canvas markers are not DOM nodes, so
 * once the places are drawn the map element tells their number in data-marker-count.
 */
(function () {
  "use strict";

  var FINLAND_CENTER = [64.5, 26.0];
  var FINLAND_ZOOM = 5;
  var MARKER_STYLE = {
    radius: 7,
    color: "#ffffff",
    weight: 2,
    fillColor: "#0b5394",
    fillOpacity: 0.9,
  };
  var APPROXIMATE_STYLE = {
    radius: 8,
    color: "#0b5394",
    weight: 2,
    dashArray: "3 3",
    fillColor: "#ffffff",
    fillOpacity: 0.6,
  };

  function markerStyle(approximate) {
    return approximate ? APPROXIMATE_STYLE : MARKER_STYLE;
  }

  function approximateNote(labels) {
    var note = document.createElement("p");
    note.textContent = labels.approximate;
    return note;
  }

  function readConfig(element) {
    var source = document.getElementById(element.getAttribute("data-map-config"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function setStatus(text) {
    var status = document.getElementById("map-status");
    if (status) {
      status.textContent = text;
    }
  }

  function createMap(element, config) {
    var map = L.map(element, { preferCanvas: true, minZoom: 4, maxZoom: 18 });
    var tiles = L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 });
    // A tile server that fails (offline, blocked, down) leaves a grey box: say so, once, and
    // point to the list, which has every place.
    tiles.once("tileerror", function () {
      var notice = document.createElement("p");
      notice.className = "notice map-tiles-failed";
      notice.setAttribute("role", "status");
      notice.textContent = config.labels.tilesFailed;
      element.parentNode.insertBefore(notice, element);
    });
    tiles.addTo(map);
    return map;
  }

  function isWebUrl(url) {
    try {
      var protocol = new URL(url, window.location.href).protocol;
      return protocol === "https:" || protocol === "http:";
    } catch (error) {
      return false;
    }
  }

  function popupContent(properties, labels) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.name;
    box.appendChild(title);
    var hours = document.createElement("p");
    hours.textContent = labels.hoursToday + ": " + properties.hours_today;
    box.appendChild(hours);
    if (properties.location_approximate) {
      box.appendChild(approximateNote(labels));
    }
    if (isWebUrl(properties.url)) {
      var link = document.createElement("a");
      link.href = properties.url;
      link.textContent = labels.details;
      box.appendChild(link);
    }
    return box;
  }

  function markerCount(map) {
    var count = 0;
    map.eachLayer(function (layer) {
      if (layer instanceof L.CircleMarker) {
        count += 1;
      }
    });
    return count;
  }

  function showPlaces(map, config) {
    var labels = config.labels;
    setStatus(labels.loading);
    fetch(config.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        var bounds = [];
        collection.features.forEach(function (feature) {
          var latLng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
          bounds.push(latLng);
          L.circleMarker(latLng, markerStyle(feature.properties.location_approximate))
            .bindPopup(function () {
              return popupContent(feature.properties, labels);
            })
            .addTo(map);
        });
        if (bounds.length) {
          map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
        }
        map.getContainer().setAttribute("data-marker-count", String(markerCount(map)));
        setStatus(labels.loaded.replace("%(count)s", String(bounds.length)));
      })
      .catch(function () {
        setStatus(labels.failed);
      });
  }

  function showPoint(map, point, labels) {
    var latLng = [point.lat, point.lon];
    map.setView(latLng, point.approximate ? 12 : 15);
    var box = document.createElement("div");
    var label = document.createElement("strong");
    label.textContent = point.name;
    box.appendChild(label);
    if (point.approximate) {
      box.appendChild(approximateNote(labels));
    }
    L.circleMarker(latLng, markerStyle(point.approximate)).bindPopup(box).addTo(map);
  }

  function init() {
    if (typeof L === "undefined") {
      return;
    }
    var elements = document.querySelectorAll("[data-map-config]");
    Array.prototype.forEach.call(elements, function (element) {
      var config = readConfig(element);
      if (!config) {
        return;
      }
      var map = createMap(element, config);
      map.setView(FINLAND_CENTER, FINLAND_ZOOM);
      if (config.point) {
        showPoint(map, config.point, config.labels);
      } else if (config.geojsonUrl) {
        showPlaces(map, config);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
