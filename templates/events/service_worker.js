/* Keeps the attendance pages usable without a connection.
 *
 * The attendance pages and the static files they need are answered from the network when it
 * is there and from this cache when it is not; the marks themselves wait in the page's own
 * queue (static/js/attendance.js). Signing out empties the cache: rosters hold personal data.
 */
"use strict";
const CACHE = "tpbis-attendance-v1";
const PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const ATTENDANCE = new RegExp("^(?:{% for prefix in attendance_prefixes %}{{ prefix|escapejs }}{% if not forloop.last %}|{% endif %}{% endfor %})\\d+/$");
const LOGOUT = "{{ logout_path|escapejs }}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

function networkFirst(request, key, store) {
  return fetch(request)
    .then((response) => {
      if (store && response.ok && response.type === "basic" && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() =>
      caches.match(key).then((hit) => hit || Response.error())
    );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && ATTENDANCE.test(url.pathname)) {
    // Searches (?q=) fall back to the full roster, which filters itself in the browser.
    event.respondWith(networkFirst(request, url.origin + url.pathname, !url.search));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(networkFirst(request, request.url, true));
  }
});
