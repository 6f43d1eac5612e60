// Handbook's service worker: the app opens and searches with no network after the
// first visit.
//
// - The app (shell, handbook.js/.wasm/.data) is one versioned set, precached on
//   install and answered cache-first. VERSION is the site's content hash, written in
//   by `handbook serve`, so every build is a new cache and a new sw.js; old sets are
//   deleted when the new one activates.
// - The content feed (/api/feed?after=N, or a static tree's signed pointer
//   content/latest) is network-first; each answer is kept, and the kept one answers when
//   the network is down, marked, so the app does not take it for the server's word.
//   The app checks every answer's signature itself (src/core/signed_file.h): nothing
//   kept here is trusted for being kept.
// - Nothing else under api/ is kept: sign-in, drafts, accounts and every answer that
//   depends on who is signed in go to the network only (a shared tablet must never hand
//   one person's answers to the next), and the server marks them no-store.
// - A new version waits (no skipWaiting on its own): the page offers "Reload" and
//   sends 'skip-waiting' only when the user asks. The app is read-only today, so
//   nothing could be lost, but the editor will hold unsaved work; that is why.
// Known limitations: a feed answer is kept per exact `after` value (the most recent
// 50); the precache is all-or-nothing (an install that fails retries on the next
// visit, the old version keeps working meanwhile).
'use strict';

const VERSION = '__HANDBOOK_VERSION__';
const APP_CACHE = 'handbook-app-' + VERSION;
const FEED_CACHE = 'handbook-feed-v1';
const FEED_ENTRIES_KEPT = 50;

const scope = new URL(self.registration.scope);
const inScope = (path) => new URL(path, scope).href;
const versioned = (path) => inScope('v/' + VERSION + '/' + path);

// The start page is kept under the scope URL itself ('./'): navigations to it with
// any hash or query are answered from there.
const START_PAGE = inScope('./');
const APP_FILES = [
  START_PAGE,
  versioned('shell.js'),
  versioned('shell.css'),
  versioned('manifest.webmanifest'),
  versioned('icons/icon.svg'),
  versioned('icons/icon-maskable.svg'),
  versioned('handbook.js'),
  versioned('handbook.wasm'),
  versioned('handbook.data'),
];
const FEED_PATH = new URL('api/feed', scope).pathname;
const POINTER_PATH = new URL('content/latest', scope).pathname;

// Fetches one app file and checks it belongs to this version: a v/<version>/ path of
// another version is gone (404), and the start page names its version; mixing versions
// in one cache would break the app.
async function fetchForPrecache(url) {
  const response = await fetch(url, { cache: url === START_PAGE ? 'no-cache' : 'default' });
  if (!response.ok) throw new Error(url + ': ' + response.status);
  if (url === START_PAGE) {
    const text = await response.clone().text();
    if (!text.includes('content="' + VERSION + '"')) throw new Error('the server has moved on from version ' + VERSION);
  } else if (!(response.headers.get('Cache-Control') || '').includes('immutable')) {
    throw new Error(url + ' is not version ' + VERSION + ' any more');
  }
  return response;
}

// The published content as of install time, every page of it, so a device that has
// only just opened Handbook can still start offline.
async function precacheFeed() {
  const cache = await caches.open(FEED_CACHE);
  let after = 0;
  for (let page = 0; page < 100; ++page) {
    const url = new URL(FEED_PATH + '?after=' + after, scope).href;
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) return;
    // A signed file: one line of signature, then the feed's JSON.
    const text = await response.clone().text();
    const feed = JSON.parse(text.slice(text.indexOf('\n') + 1));
    await cache.put(url, response);
    if (!feed.more || !(feed.latest > after)) return;
    after = feed.latest;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(APP_CACHE);
    const responses = await Promise.all(APP_FILES.map(fetchForPrecache));
    await Promise.all(responses.map((response, i) => cache.put(APP_FILES[i], response)));
    // The feed is best effort: the app shell is what must be complete.
    try {
      await precacheFeed();
    } catch (e) {
      console.warn('Handbook: could not keep the content for offline use yet: ' + e);
    }
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith('handbook-app-') && name !== APP_CACHE)
      .map((name) => caches.delete(name)));
    // Control the page that registered us right away, so its first visit already
    // works offline on the next reload.
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

// Navigations to the app itself (with any hash or query) get the start page.
function isStartPage(url) {
  return url.pathname === scope.pathname || url.pathname === scope.pathname + 'index.html';
}

async function appFirst(request) {
  const cache = await caches.open(APP_CACHE);
  const key = request.mode === 'navigate' && isStartPage(new URL(request.url)) ? START_PAGE : request;
  const cached = await cache.match(key, { ignoreVary: true });
  if (cached) return cached;
  return fetch(request);  // not part of the app set (or the set is still installing)
}

async function trimFeedCache(cache) {
  const keys = await cache.keys();  // oldest first
  const initial = keys.filter((k) => new URL(k.url).searchParams.get('after') === '0');
  const rest = keys.filter((k) => !initial.includes(k));
  await Promise.all(rest.slice(0, Math.max(0, rest.length - FEED_ENTRIES_KEPT)).map((k) => cache.delete(k)));
}

async function feedNetworkFirst(request) {
  const cache = await caches.open(FEED_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.delete(request);  // re-insert, so the order of keys is by age
      await cache.put(request, response.clone());
      trimFeedCache(cache);
    }
    return response;
  } catch (networkError) {
    const cached = await cache.match(request, { ignoreVary: true });
    // Marked, so the app can tell this copy from the server's word (it does not make
    // the device "confirmed current": src/web/feed_fetch.h).
    if (cached) {
      const headers = new Headers(cached.headers);
      headers.set('X-Handbook-Offline', '1');
      return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
    }
    return new Response(JSON.stringify({ error: 'offline, and this part of the content was not kept on this device' }), {
      status: 503,
      headers: { 'Content-Type': 'application/json' },
    });
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  if (url.pathname === FEED_PATH || url.pathname === POINTER_PATH) {
    event.respondWith(feedNetworkFirst(request));
    return;
  }
  if (url.pathname.startsWith(new URL('api/', scope).pathname)) return;  // other API calls: network only
  event.respondWith(appFirst(request));
});
