/* "Use my location": only with JavaScript and a browser that can tell its location. The point
   is rounded to about 100 m before it leaves the browser, and only goes into the search URL. */
(function () {
  "use strict";
  var box = document.querySelector("[data-locate]");
  if (!box || !navigator.geolocation) { return; }
  var button = box.querySelector("[data-locate-button]");
  var status = box.querySelector("[data-locate-status]");
  var form = button.form;
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-msg-busy");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[data-locate-lat]").value = pos.coords.latitude.toFixed(3);
      form.querySelector("[data-locate-lon]").value = pos.coords.longitude.toFixed(3);
      ["plaats", "gemeente", "wijk", "kern"].forEach(function (name) {
        var field = form.querySelector("[name=" + name + "]");
        if (field) { field.value = ""; }
      });
      form.submit();
    }, function (err) {
      status.textContent = button.getAttribute(err.code === 1 ? "data-msg-denied" : "data-msg-failed");
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
})();
