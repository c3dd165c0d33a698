{% load static %}// Khru's service worker: the register opens with no network (the last copy of each class's register page),
// and the static files it needs come from the cache. Everything else goes to the network as usual.
const CACHE = "khru-v1";
const STATIC = ["{% static 'khru/khru.css' %}", "{% static 'attendance/register.js' %}", "{% static 'django_htmx/htmx-2.min.js' %}"];
const OFFLINE_PAGES = /^\/attendance\/classrooms\/[0-9a-f-]+\/register$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(STATIC)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (OFFLINE_PAGES.test(url.pathname)) {
    // Network first; keep the newest copy per class (whatever the day) for when the network is gone.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
    );
  }
});
