// A device's first visit: the page asks for the library as one database file
// (/api/snapshot) alongside the app, the app searches it at once and keeps it, then
// follows the change feed from the library's position. When that download fails or is
// damaged, the app takes the whole change feed instead, as before.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const skip = h.appMissingReason();
const QUERY = 'refnd no reciept';
const EXPECTED = 'refunds-without-receipt';
const slug = (hit) => (hit && typeof hit === 'object' ? hit.slug : hit);

describe('A first visit', { skip: skip || false }, () => {
  let server;
  let browser;

  before(async () => {
    server = await h.startServer();
    browser = await h.launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  // A fresh device: its own storage, the requests it makes, and its console errors.
  async function device(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', ...options });
    const page = await context.newPage();
    const errors = h.watchConsole(page);
    const requests = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) requests.push(u.pathname + u.search);
    });
    return { context, page, errors, requests };
  }

  async function searchShowsExpected(page) {
    await page.goto(server.url + '#/search/' + encodeURIComponent(QUERY));
    await page.waitForFunction((s) => {
      const first = window.handbook && window.handbook.hits()[0];
      return (first && typeof first === 'object' ? first.slug : first) === s;
    }, EXPECTED, { timeout: 30000 });
    await h.waitForApp(page);  // ready: the device's own store, the feed asked for
  }

  const feedPosition = async () => {
    const res = await fetch(server.url + 'api/snapshot', { method: 'HEAD' });
    return Number(res.headers.get('x-handbook-feed-position'));
  };

  it('searches the library download, keeps it, and takes only the feed after it', async () => {
    const position = await feedPosition();
    assert.ok(position > 0, 'the server has a feed position');
    const { context, page, errors, requests } = await device();
    await searchShowsExpected(page);
    assert.ok(requests.includes('/api/snapshot'), 'the library was downloaded: ' + requests.join(' '));
    const feeds = requests.filter((r) => r.startsWith('/api/feed'));
    assert.deepEqual(feeds, [`/api/feed?after=${position}`], 'the feed is asked for after the library only');
    assert.equal(await page.evaluate(() => localStorage.getItem('handbook.stored')), '1');
    await h.screenshot(page, 'first-visit-search-1280x800');

    // The next visit opens what the device kept: no second library download.
    requests.length = 0;
    await page.reload();
    await searchShowsExpected(page);
    assert.ok(!requests.includes('/api/snapshot'), 'no library download on a later visit: ' + requests.join(' '));
    assert.deepEqual(requests.filter((r) => r.startsWith('/api/feed')), [`/api/feed?after=${position}`]);

    // Storage kept, the page's note of it lost (localStorage cleared alone): the page asks
    // for the library again, the app still settles on what the device holds.
    await page.evaluate(() => localStorage.removeItem('handbook.stored'));
    requests.length = 0;
    await page.reload();
    await searchShowsExpected(page);
    assert.ok(requests.includes('/api/snapshot'));
    assert.deepEqual(requests.filter((r) => r.startsWith('/api/feed')), [`/api/feed?after=${position}`]);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('draws the library as its first frame, and sets up offline use only once the app is ready', async () => {
    // Issue 22: on a first visit the library is usually in before the app starts; a
    // "loading" frame in front of it held the page's only thread for a frame's work, and
    // the service worker's install read every app file again during the start-up.
    const { context, page, errors } = await device({ serviceWorkers: 'allow' });
    await context.addInitScript(() => {
      window.__firstFrame = null;
      document.addEventListener('DOMContentLoaded', () => {
        const panel = document.getElementById('loading');
        const seen = new MutationObserver(() => {
          if (!panel.hidden || window.__firstFrame) return;
          // Runs right after the task that drew the app's first frame.
          window.__firstFrame = { frame: Module.hbState.frame, hits: window.handbook.hits().length };
          window.__firstFrame.registered = navigator.serviceWorker.getRegistration().then((r) => !!r);
        });
        seen.observe(panel, { attributes: true, attributeFilter: ['hidden'] });
      });
    });
    // The library is held back until the app has started (as on a slow network), so a
    // frame the app drew meanwhile would be a loading frame.
    await page.route('**/api/snapshot', async (route) => {
      const response = await route.fetch();
      const started = () => page.evaluate(() => performance.getEntriesByName('handbook: main returned').length > 0);
      for (let i = 0; i < 600 && !(await started()); ++i) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 150));
      await route.fulfill({ response });
    });
    await searchShowsExpected(page);
    const first = await page.evaluate(async () => ({ ...window.__firstFrame, registered: await window.__firstFrame.registered }));
    const at = (name) => page.evaluate((n) => (performance.getEntriesByName(n)[0] || {}).startTime, 'handbook: ' + name);
    const mainReturned = await at('main returned');
    const libraryArrived = await at('library arrived');
    assert.ok(mainReturned > 0 && libraryArrived > 0, 'the start-up marks are on the page timeline');
    assert.equal(first.frame, 1, 'the shell panel went with the app\'s first frame');
    // A loading frame is drawn only when the library is more than a second late.
    if (libraryArrived - mainReturned < 900) assert.ok(first.hits > 0, 'the first frame drawn showed the library\'s hits: ' + JSON.stringify(first));
    assert.equal(first.registered, false, 'no service worker was installing while the first result was drawn');
    await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 30000 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('works on a tablet the same way', async () => {
    const { context, page, errors, requests } = await device({
      viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true,
    });
    // The faces the search screen does not draw (headings, italic, large icons) are baked
    // after its first frame: seen pending, then baked.
    await context.addInitScript(() => {
      window.__fontsPendingSeen = 0;
      const watch = () => {
        if (window.handbook) window.__fontsPendingSeen |= window.handbook.fontsPending();
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });
    await searchShowsExpected(page);
    assert.ok(requests.includes('/api/snapshot'));
    await h.screenshot(page, 'first-visit-search-820x1180');
    await page.waitForFunction(() => window.handbook.fontsPending() === 0, null, { timeout: 10000 });
    assert.notEqual(await page.evaluate(() => window.__fontsPendingSeen), 0, 'start-up left some faces for later');
    // A search with no matches draws two of them: the large icon and the heading.
    await page.evaluate(() => { location.hash = '#/search/' + encodeURIComponent('zzqxv wwkkj'); });
    await page.waitForFunction(() => window.handbook.query() === 'zzqxv wwkkj' && window.handbook.hits().length === 0);
    await page.waitForTimeout(300);
    await h.screenshot(page, 'first-visit-no-match-820x1180');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // Each answer the library download might get instead of the file: the app says why in
  // the console (a warning) and fills its store from the whole feed.
  const failures = [
    ['the server fails', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"no"}' })],
    ['the network drops it', (route) => route.abort('connectionreset')],
    ['an error page with 200', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<html>' + 'x'.repeat(2000) + '</html>' })],
    ['it is cut off halfway', async (route) => {
      const whole = Buffer.from(await (await fetch(server.url + 'api/snapshot')).arrayBuffer());
      await route.fulfill({ status: 200, contentType: 'application/vnd.sqlite3', body: whole.subarray(0, whole.length >> 1) });
    }],
  ];
  for (const [what, answer] of failures) {
    it(`takes the whole feed when ${what}`, async () => {
      const { context, page, errors, requests } = await device();
      const warnings = [];
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await page.route(/\/api\/snapshot/, answer);
      await searchShowsExpected(page);
      assert.ok(requests.includes('/api/snapshot'));
      assert.equal(requests.filter((r) => r.startsWith('/api/feed'))[0], '/api/feed?after=0', 'the whole feed');
      assert.ok(warnings.some((w) => /library download/.test(w)), 'the console says why: ' + warnings.join(' | '));
      if (what === 'the server fails') assert.ok(warnings.some((w) => /server answered 500/.test(w)), warnings.join(' | '));
      assert.equal(await page.evaluate(() => localStorage.getItem('handbook.stored')), '1');
      const hits = await page.evaluate(() => window.handbook.hits());
      assert.equal(slug(hits[0]), EXPECTED);
      // Chromium itself logs the failed request; nothing else may go wrong.
      assert.deepEqual(errors.filter((e) => !/^Failed to load resource/.test(e)), []);
      await context.close();
    });
  }
});
