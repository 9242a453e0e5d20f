// Copy a page's link, or hand it to the phone's own share sheet (Web Share API) where there is
// one. Without JavaScript the link stays readable and selectable in its field. The embed
// builder's code fields (a textarea, no share button) are copied the same way.
(function () {
  "use strict";
  document.querySelectorAll(".share").forEach(function (section) {
    var field = section.querySelector("input[readonly], textarea[readonly]");
    var actions = section.querySelector(".share__actions");
    var copy = section.querySelector("[data-share-copy]");
    var native = section.querySelector("[data-share-native]");
    var status = section.querySelector(".share__status");
    if (navigator.clipboard) {
      actions.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          status.textContent = copy.dataset.copied;
        });
      });
    } else {
      copy.hidden = true;
    }
    if (native && navigator.share) {
      actions.hidden = false;
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: native.dataset.title, url: field.value }).catch(function () {});
      });
    }
  });
})();
