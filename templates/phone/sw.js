// Työpari's service worker (outreach/phone/routes.py says why it is written by hand).
// It keeps only the app shell: styles, scripts, icons and the offline page, under their
// content-hashed URLs. Pages and fragments are never cached: they hold client data.
"use strict";

const VERSION = "{{ version }}";
const SHELL = "shell-" + VERSION;
const URLS = {{ urls }};
const OFFLINE = "{{ offline_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(URLS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

function isPage(request) {
  return request.mode === "navigate" || request.headers.get("HX-Boosted") === "true";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  const path = url.pathname + url.search;
  if (URLS.includes(path)) {
    event.respondWith(caches.match(path).then((hit) => hit || fetch(request)));
    return;
  }
  if (isPage(request)) {
    // Always the network; without one, the shell (never a stored copy of the page).
    event.respondWith(fetch(request).catch(() =>
      caches.match(OFFLINE).then((hit) => hit || Response.error())));
  }
});

self.addEventListener("message", (event) => {
  const what = event.data && event.data.type;
  if (what === "wipe") {
    // Sign-out or the end of the session: nothing of this account stays in Cache Storage.
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  } else if (what === "refresh-shell") {
    // The offline page in the signed-in user's language, fetched again while online.
    // After a wipe the whole shell is fetched again.
    event.waitUntil(caches.has(SHELL).then((had) => caches.open(SHELL)
      .then((cache) => (had ? cache.add(OFFLINE) : cache.addAll(URLS)))).catch(() => null));
  }
});
