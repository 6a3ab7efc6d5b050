// /training-offline.js — on a session page, with JavaScript: a citizen added while the phone has no
// signal is kept in localStorage under a random id and sent to /api/training-attendance when the
// connection returns, removed from the phone only once the server has it (or refused it for good).
// The page itself (and its style sheet and this script) is put in the service worker's page cache
// the first time it is opened with signal, so the organiser can open it again at the village without
// one; the worker keeps it fresh on every visit and signing out forgets it (app/modules/offline).
// Without JavaScript the page is unchanged: the form posts as usual.
import { PAGE_CACHE } from '~/modules/offline/service-worker'

const SCRIPT = `(function () {
  'use strict';
  var box = document.getElementById('training-offline');
  if (!box || !window.localStorage || !window.fetch) return;
  var QUEUE = 'banso-training-offline';
  var sessionId = box.getAttribute('data-session');
  var status = document.getElementById('training-offline-status');
  function say(text) { status.textContent = text; }
  function read() { try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; } }
  function write(list) { localStorage.setItem(QUEUE, JSON.stringify(list)); }
  function mine() { return read().filter(function (m) { return m.sessionId === sessionId; }); }
  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function waiting() { var n = mine().length; box.hidden = n === 0; if (n) say(box.getAttribute('data-queued').replace('{n}', String(n))); }
  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return;
    var list = read();
    if (!list.length) return;
    syncing = true;
    var sent = 0, refused = [];
    list.reduce(function (previous, mark) {
      return previous.then(function () {
        return fetch('/api/training-attendance', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(mark) })
          .then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }, function () { return { status: r.status, body: null }; }); })
          .then(function (res) {
            var done = res.body && res.body.ok;
            // Refused for good (bad entry, already on the list, not yours): dropped and said; kept on 401, 5xx, no answer.
            var final = !done && res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429;
            if (done) sent++;
            if (final) refused.push((mark.fields.fullName || '') + ': ' + ((res.body && res.body.error) || res.status));
            if (done || final) write(read().filter(function (m) { return m.id !== mark.id; }));
          }, function () {});
      });
    }, Promise.resolve()).then(function () {
      syncing = false;
      if (sent || refused.length) {
        box.hidden = false;
        say([sent ? box.getAttribute('data-synced').replace('{n}', String(sent)) : ''].concat(refused).join(' '));
        box.setAttribute('data-synced-count', String(sent));
        var link = document.getElementById('training-offline-reload');
        if (link) link.hidden = false;
      } else waiting();
    });
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (navigator.onLine || !form || !form.querySelector('input[name="intent"][value="add-citizen"]')) return;
    e.preventDefault();
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name && el.name !== 'intent') fields[el.name] = el.value; });
    var list = read();
    list.push({ id: randomId(), sessionId: sessionId, fields: fields });
    write(list);
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name && el.name !== 'intent' && el.name !== 'village') el.value = ''; });
    waiting();
  });
  window.addEventListener('online', sync);
  waiting();
  sync();
  // Keep this session's page for opening without signal (the page cache of /sw.js).
  if (navigator.onLine && 'serviceWorker' in navigator && window.caches) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' });
    var urls = [location.pathname, '/training-offline.js'];
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"]'), function (l) { urls.push(new URL(l.href).pathname); });
    // Fetched once, when not kept yet: from then on the worker refreshes a kept page on every visit.
    caches.open('${PAGE_CACHE}').then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return cache.match(url).then(function (kept) {
          if (kept) return;
          return fetch(url, { credentials: 'same-origin' }).then(function (r) { if (r.ok) return cache.put(url, r); });
        });
      }));
    }).then(function () { box.setAttribute('data-kept', '1'); }, function () {});
  }
})();
`

export function loader() {
  return new Response(SCRIPT, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } })
}
