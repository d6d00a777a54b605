/*!
 * Wijkpunt — progressive enhancement (plain ES2017, no build step).
 *
 * Load with <script src="{% static 'js/wijkpunt.js' %}" defer></script>.
 * Pages work without this file; it only adds:
 *   a) a Leaflet location picker on [data-wp-map]
 *   b) client-side checks and thumbnails on [data-wp-photos]
 *   c) on logout ([data-wp-logout]) the rounds' offline pages are dropped
 * Everything else is done by htmx. Content swapped in by htmx is enhanced
 * too (htmx:load). See docs/frontend.md for the data-attributes.
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [52.09, 5.12];
  var DEFAULT_ZOOM = 13;
  var PLACED_ZOOM = 17;
  var DEFAULT_MAX_FILES = 3;

  document.documentElement.classList.add("wp-js");

  /* ------------------------------------------------------------------ utils */

  function parseNumber(value) {
    if (value === null || value === undefined) return NaN;
    var s = String(value).trim().replace(",", ".");
    if (s === "") return NaN;
    return Number(s);
  }

  function validLatLng(lat, lng) {
    return isFinite(lat) && isFinite(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
  }

  function parseCenter(value) {
    if (!value) return DEFAULT_CENTER;
    var parts = String(value).split(/[\s,;]+/).filter(Boolean);
    if (parts.length !== 2) return DEFAULT_CENTER;
    var lat = parseNumber(parts[0]);
    var lng = parseNumber(parts[1]);
    return validLatLng(lat, lng) ? [lat, lng] : DEFAULT_CENTER;
  }

  function formatBytes(bytes) {
    var mb = bytes / (1024 * 1024);
    if (mb >= 1) {
      return mb.toLocaleString("nl-NL", { maximumFractionDigits: 1 }) + " MB";
    }
    return Math.max(1, Math.round(bytes / 1024)).toLocaleString("nl-NL") + " kB";
  }

  /** Find the element for `attr` that belongs to `el`:
   *  1. [attr="<id of el>"] anywhere in the document,
   *  2. otherwise an [attr] with an empty value (or naming el's id) inside the
   *     closest container matching `scopes` (default: the form field). */
  function findRelated(el, attr, scopes) {
    if (el.id) {
      var byId = document.querySelector("[" + attr + '="' + cssEscape(el.id) + '"]');
      if (byId) return byId;
    }
    var scope = el.closest(scopes || ".utrecht-form-field, .wp-field, fieldset");
    if (!scope) return null;
    var candidates = scope.querySelectorAll("[" + attr + "]");
    for (var i = 0; i < candidates.length; i++) {
      var v = candidates[i].getAttribute(attr);
      if (!v || v === el.id) return candidates[i];
    }
    return null;
  }

  function cssEscape(s) {
    if (window.CSS && window.CSS.escape) return window.CSS.escape(s);
    return String(s).replace(/["\\]/g, "\\$&");
  }

  function fire(el, type) {
    el.dispatchEvent(new Event(type, { bubbles: true }));
  }

  function once(el, key) {
    if (el["_wp_" + key]) return false;
    el["_wp_" + key] = true;
    return true;
  }

  /* ------------------------------------------------ a) location picker (map) */

  function initMap(el) {
    if (!once(el, "map")) return;
    var L = window.L;
    if (!L || typeof L.map !== "function") return; // Leaflet not loaded: inputs stay the fallback

    var latInput = document.getElementById(el.getAttribute("data-lat-input") || "");
    var lngInput = document.getElementById(el.getAttribute("data-lng-input") || "");
    if (!latInput || !lngInput) return;

    var tiles = (el.getAttribute("data-tiles") || "").trim();
    var attribution = el.getAttribute("data-attribution") || "";
    var zoom = parseInt(el.getAttribute("data-zoom") || "", 10);
    if (!isFinite(zoom)) zoom = DEFAULT_ZOOM;
    var center = parseCenter(el.getAttribute("data-center"));

    var map = L.map(el, {
      center: center,
      zoom: zoom,
      keyboard: true,
      scrollWheelZoom: false, // don't hijack page scrolling on phones
      tap: true,
      attributionControl: !!(tiles && attribution),
      zoomControl: true,
    });
    // Let Leaflet label its zoom buttons in Dutch
    var zoomIn = el.querySelector(".leaflet-control-zoom-in");
    var zoomOut = el.querySelector(".leaflet-control-zoom-out");
    if (zoomIn) { zoomIn.title = "Inzoomen"; zoomIn.setAttribute("aria-label", "Inzoomen"); }
    if (zoomOut) { zoomOut.title = "Uitzoomen"; zoomOut.setAttribute("aria-label", "Uitzoomen"); }

    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: attribution,
      }).addTo(map);
    } else {
      // No tile server (offline/test machines): draw a plain grid that pans
      // and zooms with the map. Nothing is fetched.
      el.classList.add("wp-map--grid");
      var Grid = L.GridLayer.extend({
        createTile: function () {
          var tile = document.createElement("div");
          tile.className = "wp-map__grid-tile";
          return tile;
        },
      });
      new Grid({ tileSize: 128, maxZoom: 19 }).addTo(map);
    }

    if (!el.hasAttribute("aria-label")) {
      el.setAttribute(
        "aria-label",
        "Kaart. Klik of tik om de locatie te kiezen. Met het toetsenbord: pijltjestoetsen om te schuiven, Enter om het midden te kiezen."
      );
    }
    el.setAttribute("role", el.getAttribute("role") || "application");

    var icon;
    var iconUrl = el.getAttribute("data-marker-icon");
    if (iconUrl) {
      icon = L.icon({
        iconUrl: iconUrl,
        iconRetinaUrl: el.getAttribute("data-marker-icon-2x") || iconUrl,
        shadowUrl: el.getAttribute("data-marker-shadow") || undefined,
        iconSize: [25, 41],
        iconAnchor: [12, 41],
        popupAnchor: [1, -34],
        tooltipAnchor: [16, -28],
        shadowSize: [41, 41],
      });
    } else {
      // Pure-CSS pin: works with hashed static file names, no image requests.
      icon = L.divIcon({
        className: "wp-map__marker",
        html: "<span></span>",
        iconSize: [28, 28],
        iconAnchor: [14, 34],
      });
    }

    var marker = null;
    var updatingInputs = false;
    var statusEl = ensureStatus(el);

    function setInputs(latlng) {
      updatingInputs = true;
      latInput.value = latlng.lat.toFixed(6);
      lngInput.value = latlng.lng.toFixed(6);
      fire(latInput, "input");
      fire(latInput, "change");
      fire(lngInput, "input");
      fire(lngInput, "change");
      updatingInputs = false;
    }

    function placeMarker(latlng, opts) {
      opts = opts || {};
      if (!marker) {
        marker = L.marker(latlng, {
          icon: icon,
          draggable: true,
          keyboard: false, // the map itself handles keyboard input
          title: "Gekozen locatie",
          alt: "Gekozen locatie",
        }).addTo(map);
        marker.on("dragend", function () {
          setInputs(marker.getLatLng());
          say(statusEl, "Locatie aangepast.");
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (opts.pan) {
        map.setView(latlng, Math.max(map.getZoom(), opts.zoom || map.getZoom()));
      }
      if (opts.fill) setInputs(marker.getLatLng());
    }

    // Initial marker from existing input values (e.g. form re-rendered after an error)
    var lat0 = parseNumber(latInput.value);
    var lng0 = parseNumber(lngInput.value);
    if (validLatLng(lat0, lng0)) {
      placeMarker(L.latLng(lat0, lng0), { pan: true, zoom: Math.max(zoom, PLACED_ZOOM - 1) });
    }

    map.on("click", function (e) {
      placeMarker(e.latlng, { fill: true });
      say(statusEl, "Locatie gekozen.");
    });

    // Keyboard: Enter or Space on the focused map picks the centre.
    el.addEventListener("keydown", function (e) {
      if (e.target !== el) return; // not when a zoom button has focus
      if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
        e.preventDefault();
        placeMarker(map.getCenter(), { fill: true });
        say(statusEl, "Locatie gekozen: het midden van de kaart.");
      }
    });

    // Typing coordinates moves the marker (fallback stays fully usable).
    function onInputChange() {
      if (updatingInputs) return;
      var lat = parseNumber(latInput.value);
      var lng = parseNumber(lngInput.value);
      if (validLatLng(lat, lng)) {
        placeMarker(L.latLng(lat, lng), { pan: true });
      } else if (marker && latInput.value === "" && lngInput.value === "") {
        map.removeLayer(marker);
        marker = null;
      }
    }
    latInput.addEventListener("change", onInputChange);
    lngInput.addEventListener("change", onInputChange);

    // "Gebruik mijn locatie"
    var buttons = findGeolocateButtons(el);
    buttons.forEach(function (btn) {
      if (!once(btn, "geo")) return;
      if (!("geolocation" in navigator) || window.isSecureContext === false) {
        // Leave it hidden (templates render it with the hidden attribute).
        return;
      }
      btn.hidden = false;
      if (btn.tagName === "BUTTON" && !btn.getAttribute("type")) btn.type = "button";
      btn.addEventListener("click", function (e) {
        e.preventDefault();
        btn.disabled = true;
        btn.setAttribute("aria-busy", "true");
        say(statusEl, "Uw locatie wordt bepaald…");
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            btn.disabled = false;
            btn.removeAttribute("aria-busy");
            var ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
            placeMarker(ll, { pan: true, fill: true, zoom: PLACED_ZOOM });
            var acc = Math.round(pos.coords.accuracy || 0);
            say(
              statusEl,
              "Uw locatie is ingevuld" + (acc ? " (nauwkeurig tot ongeveer " + acc + " meter)" : "") +
                ". Klopt het niet? Klik op de kaart of pas de coördinaten aan."
            );
          },
          function (err) {
            btn.disabled = false;
            btn.removeAttribute("aria-busy");
            var msg = "Uw locatie kon niet worden bepaald.";
            if (err && err.code === 1) msg = "U heeft geen toestemming gegeven om uw locatie te gebruiken.";
            else if (err && err.code === 3) msg = "Het bepalen van uw locatie duurde te lang.";
            say(statusEl, msg + " Klik op de kaart of vul de coördinaten in.", true);
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    });

    // Leaflet measures the container on init; re-measure once laid out.
    window.setTimeout(function () { map.invalidateSize(); }, 0);
    el._wpLeafletMap = map;
  }

  function findGeolocateButtons(mapEl) {
    var all = Array.prototype.slice.call(document.querySelectorAll("[data-wp-geolocate]"));
    return all.filter(function (btn) {
      var target = btn.getAttribute("data-wp-geolocate");
      if (target) return mapEl.id && target === mapEl.id;
      // No explicit target: the map in the same form, or the only map on the page.
      var form = btn.closest("form");
      if (form) return form.contains(mapEl) || form.querySelector("[data-wp-map]") === null;
      return document.querySelectorAll("[data-wp-map]").length === 1;
    });
  }

  function ensureStatus(mapEl) {
    var s = findRelated(mapEl, "data-wp-map-status", ".utrecht-form-field, .wp-field, fieldset, form");
    if (!s) {
      s = document.createElement("p");
      s.className = "wp-map-status";
      s.setAttribute("data-wp-map-status", mapEl.id || "");
      mapEl.insertAdjacentElement("afterend", s);
    }
    s.setAttribute("role", "status");
    s.setAttribute("aria-live", "polite");
    if (!s.classList.contains("wp-map-status")) s.classList.add("wp-map-status");
    return s;
  }

  function say(el, text, isError) {
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("wp-map-status--error", !!isError);
  }

  /* ------------------------------------------------- b) photo input checks */

  function initPhotos(input) {
    if (!once(input, "photos")) return;
    if (input.tagName !== "INPUT" || input.type !== "file") return;

    var maxFiles = parseInt(input.getAttribute("data-max-files") || "", 10);
    if (!isFinite(maxFiles) || maxFiles < 1) maxFiles = DEFAULT_MAX_FILES;
    var maxBytes = parseInt(input.getAttribute("data-max-bytes") || "", 10);
    if (!isFinite(maxBytes) || maxBytes < 1) maxBytes = 0;

    var errorEl = findRelated(input, "data-wp-photos-error");
    var createdError = !errorEl;
    if (!errorEl) {
      errorEl = document.createElement("p");
      errorEl.className = "wp-photos-error utrecht-form-field-error-message";
      errorEl.setAttribute("data-wp-photos-error", input.id || "");
      input.insertAdjacentElement("afterend", errorEl);
    }
    if (!errorEl.id) errorEl.id = (input.id || "wp-photos") + "-js-error";
    errorEl.setAttribute("aria-live", "assertive");

    var previewEl = findRelated(input, "data-wp-photos-preview");
    if (!previewEl) {
      previewEl = document.createElement("ul");
      previewEl.className = "wp-photo-thumbs";
      previewEl.setAttribute("data-wp-photos-preview", input.id || "");
      (createdError ? errorEl : input).insertAdjacentElement("afterend", previewEl);
    }

    var objectUrls = [];

    function clearPreview() {
      objectUrls.forEach(function (u) { URL.revokeObjectURL(u); });
      objectUrls = [];
      while (previewEl.firstChild) previewEl.removeChild(previewEl.firstChild);
    }

    function setError(msg) {
      errorEl.textContent = msg || "";
      input.setCustomValidity(msg || "");
      var describedBy = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      var has = describedBy.indexOf(errorEl.id) !== -1;
      if (msg) {
        input.setAttribute("aria-invalid", "true");
        if (!has) describedBy.push(errorEl.id);
      } else {
        input.removeAttribute("aria-invalid");
        if (has) describedBy.splice(describedBy.indexOf(errorEl.id), 1);
      }
      if (describedBy.length) input.setAttribute("aria-describedby", describedBy.join(" "));
      else input.removeAttribute("aria-describedby");
    }

    function check() {
      clearPreview();
      var files = Array.prototype.slice.call(input.files || []);
      var problems = [];
      var bad = {};

      if (files.length > maxFiles) {
        problems.push(
          "U kunt maximaal " + maxFiles + (maxFiles === 1 ? " foto" : " foto's") +
            " toevoegen. U heeft er " + files.length + " gekozen."
        );
      }
      files.forEach(function (f, i) {
        if (f.type && f.type.indexOf("image/") !== 0) {
          problems.push("Het bestand \u201C" + f.name + "\u201D is geen foto.");
          bad[i] = true;
        } else if (maxBytes && f.size > maxBytes) {
          problems.push(
            "De foto \u201C" + f.name + "\u201D is te groot (" + formatBytes(f.size) +
              "). Een foto mag maximaal " + formatBytes(maxBytes) + " zijn."
          );
          bad[i] = true;
        }
      });
      if (problems.length) {
        problems.push("Kies de foto's opnieuw.");
      }
      setError(problems.join(" "));

      files.forEach(function (f, i) {
        var li = document.createElement("li");
        if (bad[i]) li.className = "wp-photo-thumbs__item--error";
        // No preview for rejected files (also avoids decoding huge images on cheap phones).
        if (!bad[i] && f.type && f.type.indexOf("image/") === 0 && window.URL && URL.createObjectURL) {
          var img = document.createElement("img");
          var url = URL.createObjectURL(f);
          objectUrls.push(url);
          img.src = url;
          img.alt = "";
          img.decoding = "async";
          img.width = 104;
          img.height = 104;
          li.appendChild(img);
        }
        var name = document.createElement("span");
        name.className = "wp-photo-thumbs__name";
        name.textContent = f.name;
        name.title = f.name;
        li.appendChild(name);
        previewEl.appendChild(li);
      });
    }

    input.addEventListener("change", check);
    // The browser may keep a selection after "back"; check it right away.
    if (input.files && input.files.length) check();
    // Clear previews when the form is reset.
    var form = input.form;
    if (form) {
      form.addEventListener("reset", function () {
        window.setTimeout(function () { setError(""); clearPreview(); }, 0);
      });
    }
  }

  /* ---------------------------------------------------------------- wiring */

  function init(root) {
    root = root || document;
    var scope = root.querySelectorAll ? root : document;
    var maps = Array.prototype.slice.call(scope.querySelectorAll("[data-wp-map]"));
    var photos = Array.prototype.slice.call(scope.querySelectorAll("[data-wp-photos]"));
    if (scope.matches) {
      if (scope.matches("[data-wp-map]")) maps.push(scope);
      if (scope.matches("[data-wp-photos]")) photos.push(scope);
    }
    maps.forEach(function (el) {
      try { initMap(el); } catch (err) { if (window.console) console.error("wijkpunt: kaart", err); }
    });
    photos.forEach(function (el) {
      try { initPhotos(el); } catch (err) { if (window.console) console.error("wijkpunt: foto's", err); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  // Logging out from any page asks the rounds' service worker (docs/rounds.md) to drop the pages it
  // kept for offline use; reports still queued on the phone stay (only their maker sends them).
  // The message is posted before the form leaves (the lookup is asynchronous; a page that navigated
  // away first would never post it); a slow lookup holds the logout up for at most half a second.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-wp-logout")) return;
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.getRegistration) return;
    e.preventDefault();
    var left = false;
    function leave() { if (!left) { left = true; HTMLFormElement.prototype.submit.call(form); } }
    setTimeout(leave, 500);
    navigator.serviceWorker.getRegistration("/werk/rondes/").then(function (reg) {
      if (reg && reg.active) reg.active.postMessage({ type: "clear-pages" });
    }).catch(function () {}).then(leave);
  });
  // htmx fires htmx:load for every element it adds to the page.
  document.addEventListener("htmx:load", function (e) { init(e.target); });

  window.Wijkpunt = { init: init };
})();
