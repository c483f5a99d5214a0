/* The portal's service worker: offline copies of the pages that work without a connection
 * (attendance, the activity form, the story form) and of the static files, and Background Sync
 * of the offline queue (static/js/offline-queue.js, loaded here too).
 *
 * The cache name carries the release: a new release installs a new worker, which drops every
 * older cache when it takes over. Signing in or out empties the page copies (rosters and forms
 * hold personal data); the queue itself stays, kept per user.
 */
"use strict";
const VERSION = "{{ version|escapejs }}";
const CACHE = `tpbis-${VERSION}`;
const PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const OFFLINE_PAGES = new RegExp("^(?:{% for pattern in offline_pages %}{{ pattern|escapejs }}{% if not forloop.last %}|{% endif %}{% endfor %})$");
const SIGN_IN_OUT = [{% for path in session_paths %}"{{ path|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

importScripts("{{ queue_script|escapejs }}");

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
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
    .catch(() => caches.match(key).then((hit) => hit || Response.error()));
}

function forgetPages() {
  return caches.open(CACHE).then((cache) =>
    cache.keys().then((requests) =>
      Promise.all(
        requests
          .filter((request) => !new URL(request.url).pathname.startsWith(STATIC_PREFIX))
          .map((request) => cache.delete(request))
      )
    )
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && SIGN_IN_OUT.includes(url.pathname)) {
    event.waitUntil(forgetPages());
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && OFFLINE_PAGES.test(url.pathname)) {
    // Searches (?q=) fall back to the full page, which filters itself in the browser.
    event.respondWith(networkFirst(request, url.origin + url.pathname, !url.search));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(networkFirst(request, request.url, true));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type !== "keep-page") return;
  const url = new URL(message.url, self.location.origin);
  if (url.origin !== self.location.origin || !OFFLINE_PAGES.test(url.pathname)) return;
  event.waitUntil(
    fetch(url.pathname, { credentials: "same-origin" }).then((response) => {
      if (!response.ok || response.redirected) return undefined;
      return caches.open(CACHE).then((cache) => cache.put(url.origin + url.pathname, response));
    })
  );
});

/* Background Sync: the queue is sent even when no page of the portal is open, for the user
 * who was last signed in on this browser (never for another). */
self.addEventListener("sync", (event) => {
  if (event.tag !== "tpbis-queue") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      if (windows.length) {
        windows.forEach((client) => client.postMessage({ type: "tpbis-queue-flush" }));
        return undefined;
      }
      return self.TpbisQueue.storedUser().then((user) => {
        if (!user) return undefined;
        self.TpbisQueue.useUser(user);
        return self.TpbisQueue.flush();
      });
    })
  );
});
