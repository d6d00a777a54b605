/*!
 * Wijkpunt — the offline queue of round mode (plain ES2017, no build step; docs/rounds.md).
 *
 * Every write made on the walking page (a report, the checklist, start/finish) is first stored on
 * the phone — IndexedDB, or localStorage when IndexedDB is unavailable — and then sent with fetch,
 * one item at a time, oldest first. A report gets its UUID Idempotency-Key when it is CREATED here,
 * and keeps it for every attempt, so a repeated or interrupted send can never make a second report.
 *
 *   2xx with the API's JSON -> removed from the queue (it arrived)
 *   2xx without it         -> kept, retried later: a login page, proxy or portal answered, not Wijkpunt
 *   400/404/409/413/...    -> kept, marked "error" with the server's field errors (edit or delete it)
 *   401/403                -> kept (session expired / CSRF / made by another user): retried later
 *   5xx                    -> kept, retried later; the other items are still sent in the meantime
 *   429, no network, a redirect, no answer within 30 s
 *                          -> kept, retried later (after 2, 4, 8, 16 s, then every 20 s; on "online";
 *                             on page load)
 *
 * Every item carries the mark of the user who made it (data-wp-user on the walking page). Only the
 * items of the user of this page are sent (with the mark, which the server checks) or shown: on a
 * shared phone, what one person queued is never filed in another person's name; it waits until its
 * maker logs in again.
 *
 * window.WijkpuntQueue = { add, update, remove, list, flush, onChange, newKey }
 */
(function () {
  "use strict";
  var DB_NAME = "wijkpunt-rondes";
  var STORE = "queue";
  var LS_KEY = "wijkpunt-rondes-queue";
  var RETRY_MS = 20000;
  var SEND_TIMEOUT_MS = 30000;
  var ownerEl = document.querySelector("[data-wp-user]");
  var OWNER = ownerEl ? ownerEl.getAttribute("data-wp-user") || "" : "";
  var listeners = [];
  var dbPromise = null;
  var flushing = false;
  var seq = 0;
  var backoff = 0;  // ms until an extra retry after a failed send: 2 s, 4 s, ... up to RETRY_MS
  var retryTimer = null;
  var failed = false;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- storage: IndexedDB with a localStorage fallback -----------------------------------------
  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var req;
      try { req = indexedDB.open(DB_NAME, 1); } catch (e) { resolve(null); return; }
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { resolve(null); };
      req.onblocked = function () { resolve(null); };
    });
    return dbPromise;
  }

  function lsAll() {
    try { return JSON.parse(localStorage.getItem(LS_KEY) || "[]"); } catch (e) { return []; }
  }
  function lsSave(items) { localStorage.setItem(LS_KEY, JSON.stringify(items)); }

  function tx(mode, fn) {
    return openDb().then(function (db) {
      if (!db) return fn(null);
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var store = t.objectStore(STORE);
        var out = fn(store);
        t.oncomplete = function () { resolve(out instanceof IDBRequest ? out.result : out); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function list() {
    return tx("readonly", function (store) {
      if (!store) return lsAll();
      return store.getAll();
    }).then(function (items) {
      return (items || []).slice().sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function put(item) {
    return tx("readwrite", function (store) {
      if (!store) {
        var items = lsAll().filter(function (i) { return i.id !== item.id; });
        items.push(item);
        lsSave(items);
        return item;
      }
      store.put(item);
      return item;
    }).then(function () { emit("change"); return item; });
  }

  function get(id) {
    return tx("readonly", function (store) {
      if (!store) return lsAll().filter(function (i) { return i.id === id; })[0];
      return store.get(id);
    });
  }

  function remove(id, onlyRev) {
    return get(id).then(function (current) {
      if (!current) return false;
      if (onlyRev !== undefined && current.rev !== onlyRev) return false;  // changed while it was being sent
      return tx("readwrite", function (store) {
        if (!store) { lsSave(lsAll().filter(function (i) { return i.id !== id; })); return true; }
        store.delete(id);
        return true;
      });
    }).then(function (done) { emit("change"); return done; });
  }

  /** Queue a write. ``item``: {id?, kind, round, url, body, label?}. Returns the stored item. */
  function add(item) {
    var now = Date.now();
    item.id = item.id || newKey();
    item.user = OWNER;
    item.seq = item.seq || now * 1000 + (seq++ % 1000);
    item.rev = newKey();
    item.state = "pending";
    item.errors = null;
    item.createdAt = item.createdAt || new Date(now).toISOString();
    item.attempts = 0;
    return put(item).then(function (stored) { flushSoon(); return stored; });
  }

  /** Replace an item's content (after editing); same id, so a report keeps its Idempotency-Key. */
  function update(id, changes) {
    return get(id).then(function (current) {
      if (!current) return null;
      Object.keys(changes).forEach(function (k) { current[k] = changes[k]; });
      current.rev = newKey();
      current.state = "pending";
      current.errors = null;
      return put(current).then(function (stored) { flushSoon(); return stored; });
    });
  }

  // --- sending ----------------------------------------------------------------------------------
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var el = document.querySelector("[data-wp-csrf]");
    return el ? el.getAttribute("data-wp-csrf") : "";
  }

  function send(item) {
    var headers = { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(),
                    "X-Wijkpunt-Queue-User": item.user || "" };
    if (item.kind === "report") headers["Idempotency-Key"] = item.id;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : null;
    // redirect: "error" -- a redirect (to a login page, a portal) is not an answer: retry later
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(item.body), cache: "no-store",
      redirect: "error", signal: controller ? controller.signal : undefined,
    }).then(function (res) { clearTimeout(timer); return res; }, function (err) { clearTimeout(timer); throw err; });
  }

  /** Only an answer of the API itself (JSON with the object's id) proves that an item arrived. */
  function arrived(res) {
    var type = res.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== 0) return Promise.resolve(null);
    return res.json().then(function (data) {
      return data && typeof data === "object" && data.id !== undefined && data.id !== null ? data : null;
    }, function () { return null; });
  }

  function mineToSend(item) { return item.state === "pending" && (item.user || "") === OWNER; }

  function flushOnce(skip) {
    return list().then(function (items) {
      var next = items.filter(function (i) { return mineToSend(i) && !skip[i.id]; })[0];
      if (!next) return false;
      var rev = next.rev;
      return send(next).then(function (res) {
        if (res.ok) {
          return arrived(res).then(function (data) {
            if (!data) { failed = true; emit("retry", next, res.status); return false; }
            return remove(next.id, rev).then(function () { emit("sent", next, data); return true; });
          });
        }
        if (res.status >= 500) {
          // this item fails on the server: keep it for later, but let the others through meanwhile
          failed = true; skip[next.id] = true; emit("retry", next, res.status); return true;
        }
        if (res.status === 429) { failed = true; emit("retry", next, res.status); return false; }
        if (res.status === 401 || res.status === 403) { emit("auth", next, res.status); return false; }
        return res.json().catch(function () { return {}; }).then(function (data) {
          return get(next.id).then(function (current) {
            if (!current || current.rev !== rev) return true;  // edited meanwhile: send the new content
            current.state = "error";
            current.status = res.status;
            current.errors = data || {};
            return put(current).then(function () { emit("error", current, res.status); return true; });
          });
        });
      }, function () {
        failed = true;
        emit("offline", next);  // network failure: keep it, try again later
        return false;
      });
    });
  }

  function flushLoop(skip) {
    skip = skip || {};
    return flushOnce(skip).then(function (more) { return more ? flushLoop(skip) : undefined; });
  }

  /** Send what is queued, one item at a time. Only one flush runs at a time (also across tabs). */
  function flush() {
    if (flushing) return Promise.resolve();
    if (navigator.onLine === false) return Promise.resolve();
    flushing = true;
    failed = false;
    var run = (navigator.locks && navigator.locks.request)
      ? navigator.locks.request("wijkpunt-rondes-flush", function () { return flushLoop(); })
      : flushLoop();
    return Promise.resolve(run).catch(function () { /* storage error: next timer tries again */ })
      .then(function () {
        flushing = false;
        if (failed) {
          backoff = Math.min(backoff ? backoff * 2 : 2000, RETRY_MS);
          clearTimeout(retryTimer);
          retryTimer = setTimeout(flush, backoff);
        } else {
          backoff = 0;
        }
        emit("idle");
      });
  }

  var soon = null;
  function flushSoon() {
    if (soon) return;
    soon = setTimeout(function () { soon = null; flush(); }, 50);
  }

  function emit(type, item, extra) {
    listeners.forEach(function (fn) { try { fn(type, item, extra); } catch (e) { /* a listener never stops the queue */ } });
  }

  function onChange(fn) { listeners.push(fn); }

  window.addEventListener("online", function () { flush(); });
  setInterval(function () { flush(); }, RETRY_MS);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { flush(); });
  } else {
    flushSoon();
  }

  window.WijkpuntQueue = { add: add, update: update, remove: remove, list: list, get: get, flush: flush,
                           onChange: onChange, newKey: newKey, owner: OWNER };
})();
