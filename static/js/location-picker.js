/*
 * The map under the latitude and longitude fields of the place admin form.
 *
 * Clicking the map or dragging the marker writes the point into the two fields (6 decimals);
 * typing into the fields moves the marker. Without coordinates the map starts at the chosen
 * municipality's centre, or at the centre of Finland. The fields stay the source of truth:
 * without JavaScript, or without Leaflet, the form works as plain inputs.
 */
(function () {
  "use strict";

  var PLACE_ZOOM = 16;
  var MUNICIPALITY_ZOOM = 11;
  var DECIMALS = 6;

  function parseCoordinate(input) {
    var value = parseFloat(input.value.replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function init() {
    var picker = document.getElementById("location-picker");
    var configElement = document.getElementById("location-picker-config");
    var latitudeInput = document.getElementById("id_latitude");
    var longitudeInput = document.getElementById("id_longitude");
    if (!picker || !configElement || !latitudeInput || !longitudeInput || !window.L) {
      return;
    }
    var config = JSON.parse(configElement.textContent);
    var municipalitySelect = document.getElementById("id_municipality");

    // Show the map right under the row of the coordinate fields.
    var row = longitudeInput.closest(".form-row") || longitudeInput.parentNode;
    row.parentNode.insertBefore(picker, row.nextSibling);
    picker.hidden = false;

    var map = L.map("location-picker-map", { scrollWheelZoom: false });
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    var marker = null;

    function typedPoint() {
      var latitude = parseCoordinate(latitudeInput);
      var longitude = parseCoordinate(longitudeInput);
      if (latitude === null || longitude === null) {
        return null;
      }
      if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
        return null;
      }
      return L.latLng(latitude, longitude);
    }

    function municipalityCentre() {
      var code = municipalitySelect ? municipalitySelect.value : "";
      var centre = config.municipalityCentres[code];
      return centre ? L.latLng(centre[0], centre[1]) : null;
    }

    function writeInputs(point) {
      point = point.wrap();
      latitudeInput.value = point.lat.toFixed(DECIMALS);
      longitudeInput.value = point.lng.toFixed(DECIMALS);
      [latitudeInput, longitudeInput].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    function showMarker(point) {
      if (marker) {
        marker.setLatLng(point);
        return;
      }
      marker = L.marker(point, { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", function () {
        writeInputs(marker.getLatLng());
      });
    }

    map.on("click", function (event) {
      showMarker(event.latlng);
      writeInputs(event.latlng);
    });

    [latitudeInput, longitudeInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var point = typedPoint();
        if (point) {
          showMarker(point);
          map.setView(point, Math.max(map.getZoom(), PLACE_ZOOM));
        }
      });
    });

    function centreOnMunicipality() {
      var centre = municipalityCentre();
      if (centre && !typedPoint()) {
        map.setView(centre, MUNICIPALITY_ZOOM);
      }
    }

    if (municipalitySelect) {
      // The admin's autocomplete (select2) announces changes through jQuery only.
      if (window.django && window.django.jQuery) {
        window.django.jQuery(municipalitySelect).on("change", centreOnMunicipality);
      } else {
        municipalitySelect.addEventListener("change", centreOnMunicipality);
      }
    }

    var start = typedPoint();
    if (start) {
      showMarker(start);
      map.setView(start, PLACE_ZOOM);
    } else if (municipalityCentre()) {
      map.setView(municipalityCentre(), MUNICIPALITY_ZOOM);
    } else {
      map.setView(config.finlandCentre, config.finlandZoom);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
