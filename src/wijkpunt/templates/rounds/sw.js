/* Wijkpunt — service worker of round mode (scope {{ scope }}; docs/rounds.md).
 * Pages (HTML): network first. A page is kept, and shown from the cache when there is no network, only
 * when the server marked it for that ({{ offline_header }}: the walking page, the round page and a
 * walker's own list — never a staff list) and only for one user at a time: the header's value is an
 * opaque mark of the user; a page of another user, a redirect (logged out) or a 401/403 drops every
 * page kept, and so does logging out from the walking page ("clear-pages").
 * Static files: from the cache at once, refreshed in the background. Everything else (the API, POSTs)
 * goes straight to the network: the page's own queue (round-queue.js) keeps what could not be sent.
 */
"use strict";
var CACHE = "wijkpunt-rondes-v{{ version }}";
var SCOPE = "{{ scope }}";
var ASSETS = {{ assets_json|safe }};
var OFFLINE_HEADER = "{{ offline_header }}";
var OWNER_KEY = "/__wijkpunt-rondes-owner__";  // a pseudo entry: whose pages the cache holds

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(ASSETS.map(function (url) { return cache.add(url).catch(function () {}); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("wijkpunt-rondes-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isStatic(path) { return path.indexOf("/static/") === 0; }

/** Drop every kept page (and whose they were); static files stay. */
function clearPages(cache) {
  return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (r) { return !isStatic(new URL(r.url).pathname); })
      .map(function (r) { return cache.delete(r); }));
  });
}

/** Keep ``res`` as the offline copy of ``path``, or drop what is kept (see the top of this file). */
function keepPage(path, res) {
  var owner = res.headers.get(OFFLINE_HEADER) || "";
  return caches.open(CACHE).then(function (cache) {
    if (res.type === "opaqueredirect" || res.redirected || res.status === 401 || res.status === 403) {
      return clearPages(cache);  // logged out, or someone without access: nothing kept may be shown
    }
    if (!res.ok || res.type !== "basic" || !owner) return cache.delete(path);
    return cache.match(OWNER_KEY).then(function (hit) { return hit ? hit.text() : ""; }).then(function (previous) {
      return previous && previous !== owner ? clearPages(cache) : null;  // another user: drop the other's pages
    }).then(function () {
      return Promise.all([cache.put(OWNER_KEY, new Response(owner)), cache.put(path, res)]);
    });
  }).catch(function () {});
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "clear-pages") {
    event.waitUntil(caches.open(CACHE).then(clearPages));
    return;
  }
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(data.urls.filter(function (u) { return typeof u === "string" && u.charAt(0) === "/"; })
      .map(function (url) {
        var path = new URL(url, self.location.origin).pathname;
        if (isStatic(path)) {
          return fetch(url).then(function (res) { if (res.ok) return cache.put(path, res); }).catch(function () {});
        }
        if (path.indexOf(SCOPE) !== 0) return null;  // only round pages and static files
        return fetch(path, { credentials: "same-origin", redirect: "manual" })
          .then(function (res) { return keepPage(path, res); }).catch(function () {});
      }));
  }));
});

function isPage(request, url) {
  return request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPage(request, url)) {
    event.respondWith(fetch(request).then(function (res) {
      event.waitUntil(keepPage(url.pathname, res.type === "basic" && res.ok ? res.clone() : res));
      return res;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(url.pathname); }).then(function (hit) {
        return hit || new Response("<!doctype html><meta charset=utf-8><title>Offline</title>" +
          "<p>Geen verbinding. Open deze pagina opnieuw zodra er weer bereik is.</p>",
          { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    }));
    return;
  }
  if (isStatic(url.pathname)) {
    // stale-while-revalidate: answer from the cache at once, refresh it in the background
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) {
        var fresh = fetch(request).then(function (res) {
          if (res.ok) cache.put(url.pathname, res.clone());
          return res;
        });
        if (hit) { event.waitUntil(fresh.catch(function () {})); return hit; }
        return fresh;
      });
    }));
  }
});
