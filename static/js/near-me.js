// "Near me": the browser's location, asked only when the button is clicked, fills the form's
// hidden "near" field (rounded to about 100 m) and sends the form. Without JavaScript or
// geolocation the button stays hidden and the postal code field does the same job.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) {
    return;
  }
  document.querySelectorAll("[data-near-me]").forEach(function (button) {
    var form = button.form;
    var near = form.elements.near;
    var postcode = form.elements.postcode;
    var status = button.parentElement.querySelector(".near-me__status");
    button.parentElement.hidden = false;
    if (postcode && near) {
      // A postal code typed by hand replaces a location used before.
      postcode.addEventListener("input", function () {
        near.value = "";
      });
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          near.value =
            position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
          if (postcode) {
            postcode.value = "";
          }
          form.submit();
        },
        function () {
          status.textContent = button.dataset.failed;
          if (postcode) {
            postcode.focus();
          }
        },
        { timeout: 15000, maximumAge: 600000 }
      );
    });
  });
})();
