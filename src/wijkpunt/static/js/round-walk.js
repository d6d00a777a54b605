/*!
 * Wijkpunt — the walking page of a round (plain ES2017, no build step; docs/rounds.md).
 * Needs round-queue.js. Without JavaScript the page's forms post normally.
 *
 *  - the report form, the checklist and start/finish go into the phone's queue (WijkpuntQueue)
 *    and from there to the API; a report's Idempotency-Key is made when the report is made;
 *  - the queue is shown: "N meldingen wachten op verbinding", each item, and for an item the server
 *    refused (4xx) its messages with "Aanpassen" and "Verwijderen";
 *  - a service worker (scope /werk/rondes/) keeps this page and its files for a reload without network.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-wp-round]");
  var Q = window.WijkpuntQueue;
  if (!root || !Q) return;
  var roundId = root.getAttribute("data-wp-round");
  var S = JSON.parse((document.getElementById("round-strings") || {}).textContent || "{}");
  var places = JSON.parse((document.getElementById("round-places") || {}).textContent || "[]");
  var placeByValue = {};
  places.forEach(function (p) { placeByValue[p.value] = p; });

  var form = root.querySelector("[data-wp-round-report]");
  var checklist = root.querySelector("[data-wp-round-checklist]");
  var queueBox = root.querySelector("[data-wp-queue]");
  var queueList = root.querySelector("[data-wp-queue-list]");
  var queueCount = root.querySelector("[data-wp-queue-count]");
  var queueNote = root.querySelector("[data-wp-queue-note]");
  var reportsList = root.querySelector("[data-wp-round-reports]");
  var netBanner = root.querySelector("[data-wp-net]");
  var checksStatus = root.querySelector("[data-wp-checks-status]");
  var statusBadge = root.querySelector("[data-wp-round-status]");
  var formError = root.querySelector("[data-wp-report-error]");
  var whereStatus = root.querySelector("[data-wp-where-status]");
  var otherAddress = root.querySelector("[data-wp-other-address]");
  var cancelEdit = root.querySelector("[data-wp-cancel-edit]");
  var authProblem = false;

  function t(key, vars) {
    var s = S[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(vars[k]); });
    return s;
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // this round's items, made by the user of this page (a shared phone may hold another user's items)
  function mine(item) { return String(item.round) === String(roundId) && (item.user || "") === Q.owner; }

  // --- connection banner ------------------------------------------------------------------------
  function showNet() { if (netBanner) netBanner.hidden = navigator.onLine !== false; }
  window.addEventListener("online", showNet);
  window.addEventListener("offline", showNet);
  showNet();

  // --- the report form ------------------------------------------------------------------------
  function field(name) { return form.elements.namedItem(name); }
  function whereLabel(value) {
    var sel = field("where");
    for (var i = 0; i < sel.options.length; i++) if (sel.options[i].value === value) return sel.options[i].text;
    return value;
  }
  function toggleOtherAddress() {
    if (otherAddress) otherAddress.hidden = field("where").value !== "adres";
  }

  function locate() {
    return new Promise(function (resolve, reject) {
      if (!navigator.geolocation) { reject(new Error("no geolocation")); return; }
      if (whereStatus) whereStatus.textContent = t("gps_busy");
      navigator.geolocation.getCurrentPosition(function (pos) {
        resolve({ latitude: pos.coords.latitude.toFixed(6), longitude: pos.coords.longitude.toFixed(6) });
      }, reject, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    });
  }

  /** The reporting point's API body, as RoundReportForm.payload() makes it on the server. */
  function payload(coords) {
    var where = field("where").value;
    var location = { text: field("location_text").value.trim() };
    var place = placeByValue[where];
    if (place && place.kind === "complex") {
      location.kind = "complex"; location.complex = place.complex;
    } else if (place) {
      location.kind = "adres"; location.postcode = place.postcode; location.house_number = place.house_number;
      location.house_letter = place.house_letter; location.addition = place.addition;
    } else if (where === "gps") {
      location.kind = "kaart"; location.latitude = coords.latitude; location.longitude = coords.longitude;
    } else {
      location.kind = "adres"; location.postcode = field("postcode").value.trim();
      var number = parseInt(field("house_number").value, 10);
      if (!isNaN(number)) location.house_number = number;
    }
    return { description: field("description").value.trim(), location: location, occurred_at: new Date().toISOString() };
  }

  function showFormError(text) {
    formError.textContent = text || "";
    formError.hidden = !text;
  }

  function resetForm() {
    form.reset();
    field("idempotency_key").value = Q.newKey();
    field("editing").value = "";
    if (cancelEdit) cancelEdit.hidden = true;
    if (whereStatus) whereStatus.textContent = "";
    toggleOtherAddress();
  }

  function queueReport(coords) {
    var body = payload(coords);
    var editing = field("editing").value;
    var meta = { where: whereLabel(field("where").value), whereValue: field("where").value,
                 postcode: field("postcode").value, house_number: field("house_number").value };
    var done = editing
      ? Q.get(editing).then(function (old) {
          // a 409 means the key was used for other content: a changed report needs a key of its own
          if (old && old.status === 409) {
            return Q.remove(editing).then(function () {
              return Q.add({ kind: "report", round: roundId, url: root.getAttribute("data-report-url"), body: body, meta: meta });
            });
          }
          return Q.update(editing, { body: body, meta: meta });
        })
      : Q.add({ id: field("idempotency_key").value || Q.newKey(), kind: "report", round: roundId,
                url: root.getAttribute("data-report-url"), body: body, meta: meta });
    return done.then(function () { resetForm(); render(); });
  }

  if (form) {
    var keyInput = field("idempotency_key");
    if (keyInput && !keyInput.value) keyInput.value = Q.newKey();
    field("where").addEventListener("change", toggleOtherAddress);
    toggleOtherAddress();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      showFormError("");
      if (field("description").value.trim().length < 1) { showFormError(t("need_description")); return; }
      var where = field("where").value;
      if (!where) { showFormError(t("need_where")); return; }
      if (where !== "gps") { queueReport(null); return; }
      locate().then(function (coords) {
        if (whereStatus) whereStatus.textContent = t("gps_ok");
        queueReport(coords);
      }, function () {
        if (whereStatus) whereStatus.textContent = "";
        showFormError(t("gps_fail"));
      });
    });
    if (cancelEdit) cancelEdit.addEventListener("click", resetForm);
  }

  function edit(item) {
    field("description").value = item.body.description || "";
    field("where").value = (item.meta && item.meta.whereValue) || "";
    field("location_text").value = (item.body.location && item.body.location.text) || "";
    field("postcode").value = (item.meta && item.meta.postcode) || "";
    field("house_number").value = (item.meta && item.meta.house_number) || "";
    field("editing").value = item.id;
    if (cancelEdit) cancelEdit.hidden = false;
    toggleOtherAddress();
    field("description").focus();
    form.scrollIntoView({ block: "start" });
  }

  // --- the queue on screen --------------------------------------------------------------------
  function errorLines(item) {
    var lines = [];
    (function walk(value) {
      if (value == null) return;
      if (typeof value === "string") { lines.push(value); return; }
      if (Array.isArray(value)) { value.forEach(walk); return; }
      if (typeof value === "object") Object.keys(value).forEach(function (k) { walk(value[k]); });
    })(item.errors);
    if (item.status === 404) return [t("not_found")];
    return lines.length ? lines : [t("error_status", { status: item.status })];
  }

  function render() {
    return Q.list().then(function (items) {
      items = items.filter(mine);
      var reports = items.filter(function (i) { return i.kind === "report"; });
      var pending = reports.filter(function (i) { return i.state === "pending"; });
      var failed = reports.filter(function (i) { return i.state === "error"; });
      var others = items.filter(function (i) { return i.kind !== "report" && i.state === "pending"; });
      queueBox.hidden = items.length === 0;
      queueBox.setAttribute("data-count", String(pending.length));
      var heading = pending.length === 1 ? t("waiting_one") : t("waiting_many", { n: pending.length });
      if (!pending.length && failed.length) heading = t("attention", { n: failed.length });
      else if (!pending.length && others.length) heading = t("changes_waiting");
      queueCount.textContent = heading;
      queueNote.textContent = authProblem ? t("auth") : t("queued_note");
      queueList.textContent = "";
      reports.forEach(function (item) {
        var li = el("li", { "data-key": item.id, "data-state": item.state, "data-testid": "queued-report" });
        li.appendChild(el("strong", {}, item.body.description.slice(0, 120)));
        li.appendChild(el("br"));
        var when = new Date(item.createdAt);
        li.appendChild(el("span", { "class": "wp-muted" }, (item.meta ? item.meta.where : "") + " · " +
          when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + " · " +
          (item.state === "error" ? t("state_error") : t("state_pending"))));
        if (item.state === "error") {
          errorLines(item).forEach(function (line) { li.appendChild(el("p", { "class": "wp-round-errors" }, line)); });
        }
        if (item.state === "error" && form) {
          var editBtn = el("button", { type: "button", "class": "utrecht-button utrecht-button--secondary-action" }, t("edit"));
          editBtn.addEventListener("click", function () { edit(item); });
          li.appendChild(editBtn);
        }
        var del = el("button", { type: "button", "class": "utrecht-button utrecht-button--subtle" }, t("delete"));
        del.addEventListener("click", function () {
          if (window.confirm(t("confirm_delete"))) Q.remove(item.id).then(render);
        });
        li.appendChild(del);
        queueList.appendChild(li);
      });
      items.filter(function (i) { return i.kind !== "report"; }).forEach(function (i) {
        if (i.kind === "checks" && checksStatus) {
          checksStatus.textContent = i.state === "error" ? errorLines(i).join(" ") : t("checks_waiting");
        }
        if (i.kind === "status" && i.state === "error" && statusBadge) statusBadge.textContent = errorLines(i).join(" ");
      });
    });
  }

  function addSentReport(data) {
    if (!data || !reportsList || reportsList.querySelector('[data-report="' + data.id + '"]')) return;
    var li = el("li", { "data-report": String(data.id) });
    li.appendChild(el("strong", {}, data.reference));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", { "class": "wp-badge wp-status--" + data.status }, (S.report_status || {})[data.status] || data.status));
    li.appendChild(el("br"));
    li.appendChild(document.createTextNode((data.description || "").slice(0, 120)));
    li.appendChild(el("br"));
    li.appendChild(el("span", { "class": "wp-muted" }, data.address || ""));
    reportsList.insertBefore(li, reportsList.firstChild);
    var empty = root.querySelector("[data-wp-round-reports-empty]");
    if (empty) empty.hidden = true;
  }

  Q.onChange(function (type, item, extra) {
    if (type === "auth") authProblem = true;
    if (type === "sent") {
      authProblem = false;
      if (item && mine(item) && item.kind === "report") addSentReport(extra);
      if (item && mine(item) && item.kind === "checks" && checksStatus) checksStatus.textContent = t("checks_saved");
      if (item && mine(item) && item.kind === "status" && extra && statusBadge) {
        statusBadge.textContent = (S.round_status || {})[extra.status] || extra.status;
        statusBadge.className = "wp-round-status wp-round-status--" + extra.status;
      }
    }
    if (type === "offline") showNet();
    render();
  });

  // --- checklist: every change is kept (the newest checklist replaces a waiting one) -----------
  function queueChecks() {
    var checks = [];
    Array.prototype.forEach.call(checklist.querySelectorAll("fieldset[data-item]"), function (fs) {
      var item = fs.getAttribute("data-item");
      var chosen = fs.querySelector('input[type="radio"]:checked');
      var remark = fs.querySelector('input[type="text"], textarea');
      checks.push({ item: item, result: chosen ? chosen.value : "niet_bekeken", remark: remark ? remark.value : "" });
    });
    var id = "checks-" + Q.owner + "-" + roundId;
    return Q.get(id).then(function (existing) {
      var item = { kind: "checks", round: roundId, url: root.getAttribute("data-checks-url"), body: { checks: checks } };
      if (existing) return Q.update(id, item);
      item.id = id;
      return Q.add(item);
    }).then(function () { if (checksStatus) checksStatus.textContent = t("checks_waiting"); });
  }
  if (checklist) {
    checklist.addEventListener("change", queueChecks);
    checklist.addEventListener("submit", function (event) { event.preventDefault(); queueChecks(); });
  }

  // --- start / finish -------------------------------------------------------------------------
  Array.prototype.forEach.call(root.querySelectorAll("[data-wp-round-action]"), function (f) {
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var action = f.getAttribute("data-wp-round-action");
      Q.add({ id: "status-" + Q.owner + "-" + roundId + "-" + action, kind: "status", round: roundId,
              url: root.getAttribute("data-status-url"), body: { action: action } }).then(function () {
        if (statusBadge) statusBadge.textContent = t("status_waiting");
        if (action === "start") f.hidden = true;
        render();
      });
    });
  });

  // --- service worker: keep this page for a reload without network ----------------------------
  // Logging out here drops the pages the service worker kept (the queue stays: it is only sent, and
  // shown, when its maker is logged in).
  var logoutUrl = root.getAttribute("data-logout-url");
  Array.prototype.forEach.call(document.querySelectorAll("form[action]"), function (f) {
    if (!logoutUrl || new URL(f.action, location.href).pathname !== logoutUrl) return;
    f.addEventListener("submit", function () {
      if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return;
      navigator.serviceWorker.controller.postMessage({ type: "clear-pages" });
    });
  });
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: root.getAttribute("data-sw-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (reg) {
        var urls = [location.pathname];
        Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"][href], script[src]'), function (n) {
          urls.push(n.getAttribute("href") || n.getAttribute("src"));
        });
        if (reg.active) reg.active.postMessage({ type: "cache-urls", urls: urls });
      })
      .catch(function () { /* no service worker: the queue still works while the tab is open */ });
  }

  render();
})();
