/*!
 * Wijkpunt — the volunteer help button (plain ES2017, no build step).
 * Without this file the form still works (no location). With it:
 *   - an idempotency key per page view, so a double tap or a retried POST pages only once;
 *   - the phone's location (if the volunteer allows it), asked when the button is pressed and
 *     never waited for longer than a few seconds: help must not be delayed by GPS.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-wp-help]");
  if (!form) return;
  var key = form.querySelector("input[name=key]");
  if (key && !key.value) {
    key.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  var share = form.querySelector("[data-wp-share-location]");
  var status = form.querySelector("[data-wp-location-status]");
  var button = form.querySelector("button[type=submit]");
  var sending = false;

  function setPosition(pos) {
    form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
    form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
    form.querySelector("input[name=accuracy]").value = Math.round(pos.coords.accuracy);
  }

  function send() {
    if (sending) return;
    sending = true;
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    if (!share || !share.checked || !navigator.geolocation) return;
    event.preventDefault();
    if (status) status.textContent = status.getAttribute("data-busy") || "Locatie ophalen…";
    var timer = setTimeout(send, 4000);
    navigator.geolocation.getCurrentPosition(function (pos) {
      clearTimeout(timer);
      setPosition(pos);
      send();
    }, function () {
      clearTimeout(timer);
      send();
    }, { enableHighAccuracy: true, timeout: 3500, maximumAge: 60000 });
  });
})();
