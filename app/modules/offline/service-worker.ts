// The service worker, served from the site root (/sw.js, scope /). It is a progressive enhancement:
// nothing depends on it, pages work without it. Pages a learner saved for offline reading (the
// "save" button of public/offline.js puts them in PAGE_CACHE) are kept fresh on every visit
// (network first) and served from the cache when there is no signal. Nothing else is cached:
// pages never saved go to the network as if there were no worker.

export const PAGE_CACHE = 'banso-pages-v1'

export const SERVICE_WORKER_JS = `'use strict';
var PAGE_CACHE = '${PAGE_CACHE}';

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('banso-pages-') === 0 && k !== PAGE_CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromCache(request) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true });
  }).then(function (hit) {
    if (!hit) return null;
    // Mark what came from the cache (the page script shows "you are offline, this is the saved copy").
    var headers = new Headers(hit.headers);
    headers.set('X-Banso-Offline-Copy', '1');
    return hit.blob().then(function (body) { return new Response(body, { status: hit.status, statusText: hit.statusText, headers: headers }); });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Signing out: forget the saved pages (they show the person's name and progress).
  if (request.method === 'POST' && url.pathname === '/logout') {
    event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (request.method !== 'GET') return;
  event.respondWith(caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (saved) {
      return fetch(request).then(function (response) {
        // Keep a saved page or file up to date; never add what was not saved.
        if (saved && response.ok && response.type === 'basic') cache.put(request, response.clone());
        return response;
      }, function (error) {
        return fromCache(request).then(function (hit) {
          if (hit) return hit;
          throw error;
        });
      });
    });
  }));
});
`

/**
 * The page side (/offline.js, loaded by lesson and course pages of an enrolled learner): registers
 * the worker, offers "save for offline" (fetches the course's pages and their files into
 * PAGE_CACHE), says when a page is the saved copy, and queues "lesson done" while offline in
 * localStorage under a random id, sending the queue when the connection returns.
 */
export const OFFLINE_PAGE_JS = `(function () {
  'use strict';
  var box = document.getElementById('offline-tools');
  if (!box) return;
  var status = document.getElementById('offline-status');
  var button = document.getElementById('offline-save');
  var QUEUE = 'banso-offline-progress';
  function say(text) { status.textContent = text; }
  function read() { try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; } }
  function write(list) { localStorage.setItem(QUEUE, JSON.stringify(list)); }
  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  box.hidden = false;

  // Progress marked offline: queued here, sent when back online, removed only once the server has it.
  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return;
    var list = read();
    if (!list.length) return;
    syncing = true;
    var sent = 0;
    list.reduce(function (previous, mark) {
      return previous.then(function () {
        return fetch('/api/offline-progress', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(mark) })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (result) {
            if (result && result.ok) { sent++; write(read().filter(function (m) { return m.id !== mark.id; })); }
          }, function () {});
      });
    }, Promise.resolve()).then(function () {
      syncing = false;
      if (sent) { say(box.getAttribute('data-synced')); box.setAttribute('data-synced-count', String(sent)); }
    });
  }
  window.addEventListener('online', sync);
  sync();

  var lastSubmitter = null;
  document.addEventListener('click', function (e) { var t = e.target; if (t && t.name === 'intent') lastSubmitter = t; }, true);
  document.addEventListener('submit', function (e) {
    var submitter = e.submitter || lastSubmitter;
    if (!submitter || submitter.name !== 'intent' || submitter.value !== 'done' || navigator.onLine) return;
    var lesson = box.getAttribute('data-lesson');
    if (!lesson) return;
    e.preventDefault();
    var list = read();
    list.push({ id: randomId(), course: box.getAttribute('data-course'), lesson: lesson, doneAt: new Date().toISOString() });
    write(list);
    submitter.disabled = true;
    say(box.getAttribute('data-queued'));
  });

  if (!('serviceWorker' in navigator) || !window.caches) {
    button.hidden = true;
    say(box.getAttribute('data-unsupported'));
    return;
  }
  navigator.serviceWorker.register('/sw.js', { scope: '/' });
  if (!navigator.onLine) say(box.getAttribute('data-offline-now'));

  function assetsOf(html, base) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var out = [];
    function add(u) { if (u) { var a = new URL(u, base); if (a.origin === location.origin) out.push(a.pathname + a.search); } }
    Array.prototype.forEach.call(doc.querySelectorAll('link[rel="stylesheet"], link[rel="icon"]'), function (l) { add(l.getAttribute('href')); });
    Array.prototype.forEach.call(doc.querySelectorAll('img[src], script[src]'), function (i) { add(i.getAttribute('src')); });
    Array.prototype.forEach.call(doc.querySelectorAll('source[srcset], img[srcset]'), function (s) {
      s.getAttribute('srcset').split(',').forEach(function (part) { add(part.trim().split(' ')[0]); });
    });
    Array.prototype.forEach.call(doc.querySelectorAll('a[download]'), function (a) { add(a.getAttribute('href')); });
    return out;
  }

  button.addEventListener('click', function () {
    var urls = JSON.parse(box.getAttribute('data-urls'));
    button.disabled = true;
    say(box.getAttribute('data-saving'));
    caches.open('${PAGE_CACHE}').then(function (cache) {
      var files = [];
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: 'same-origin' }).then(function (response) {
          if (!response.ok) throw new Error(url + ' ' + response.status);
          return response.clone().text().then(function (html) {
            files = files.concat(assetsOf(html, location.origin + url));
            return cache.put(url, response);
          });
        });
      })).then(function () {
        var unique = files.filter(function (f, i) { return files.indexOf(f) === i; });
        return Promise.all(unique.map(function (f) {
          return fetch(f, { credentials: 'same-origin' }).then(function (r) { if (r.ok) return cache.put(f, r); });
        }));
      }).then(function () {
        box.setAttribute('data-saved', 'true');
        say(box.getAttribute('data-saved-text').replace('{n}', String(urls.length)));
      });
    }).catch(function () {
      say(box.getAttribute('data-failed'));
    }).then(function () { button.disabled = false; });
  });
})();
`
