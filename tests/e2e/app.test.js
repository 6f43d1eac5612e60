// The Handbook app in a real browser, driven by real keyboard, mouse and touch events;
// window.handbook (the app's read-only test hook) says what is on screen:
//   screen(): "home" | "search" | "article", hits(), article(), query(), ready(),
//   widgets(): [{label, x, y, w, h}] in CSS px, so a test can click or tap by label.
// Routes: #/, #/search/<urlencoded>, #/a/<slug>.
//
// The steps run in order on one server: search, open, follow a link, back, deep link,
// tablet with touch, then offline (the server is stopped for that, so it comes last).
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const skip = h.appMissingReason();
const QUERY = 'refnd no reciept';
const EXPECTED = 'refunds-without-receipt';

// Links to other articles in the expected article, as [text](slug.md).
function articleLinks(slug) {
  const text = fs.readFileSync(path.join(h.root, 'articles', slug + '.md'), 'utf8');
  return [...text.matchAll(/\[([^\]]+)\]\(([a-z0-9-]+)\.md\)/g)].map((m) => ({ text: m[1], slug: m[2] }));
}

const state = (page) => page.evaluate(() => ({
  screen: window.handbook.screen(), article: window.handbook.article(), query: window.handbook.query(),
  hits: window.handbook.hits(), hash: location.hash,
}));

async function waitForState(page, predicate, arg, what) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: 15000 });
  } catch (e) {
    throw new Error(`timed out waiting for ${what}; the app shows ${JSON.stringify(await state(page))}`);
  }
}

const firstHitIs = (slug) => (s) => {
  const first = window.handbook.hits()[0];
  return (first && typeof first === 'object' ? first.slug : first) === s;
};

describe('Handbook in the browser', { skip: skip || false }, () => {
  let server;
  let browser;
  let context;
  let page;
  let errors;
  let linked;  // the article reached by following a link

  before(async () => {
    server = await h.startServer();
    browser = await h.launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Counts the GL state the page reads back, per parameter (see the frames test below).
    await context.addInitScript(() => {
      window.__glReads = {};
      const getParameter = WebGL2RenderingContext.prototype.getParameter;
      WebGL2RenderingContext.prototype.getParameter = function (name) {
        window.__glReads[name] = (window.__glReads[name] || 0) + 1;
        return getParameter.call(this, name);
      };
    });
    page = await context.newPage();
    errors = h.watchConsole(page);
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('loads, with no script or policy errors', async () => {
    await page.goto(server.url);
    await h.waitForApp(page);
    await page.locator('#loading').waitFor({ state: 'hidden' });
    const s = await state(page);
    assert.ok(['home', 'search'].includes(s.screen), 'starts on home or search, not ' + s.screen);
    await h.screenshot(page, 'app-home-1280x800');
    assert.deepEqual(errors, [], 'no console errors (a Content-Security-Policy violation would be one)');
  });

  it('finds the right article first for a misspelled query typed on the keyboard', async () => {
    await page.keyboard.type(QUERY);
    await waitForState(page, firstHitIs(EXPECTED), EXPECTED, `${EXPECTED} first for "${QUERY}"`);
    const s = await state(page);
    assert.equal(s.screen, 'search');
    assert.equal(s.query, QUERY);
    assert.match(decodeURIComponent(s.hash), /^#\/search\//);
    await h.screenshot(page, 'app-search-1280x800');
  });

  it('draws its frames without asking WebGL for state it set itself', async () => {
    // Blend and scissor state cost a round trip to the GPU process per query; ImGui's
    // renderer backs them up every frame, and src/web/gl_state_shadow.cpp answers instead.
    // Without it each of these is read once per frame.
    const names = ['SCISSOR_BOX', 'BLEND_SRC_RGB', 'BLEND_DST_RGB', 'BLEND_SRC_ALPHA', 'BLEND_DST_ALPHA',
      'BLEND_EQUATION_RGB', 'BLEND_EQUATION_ALPHA'];
    const framesBefore = await page.evaluate(() => window.handbook.frames());
    await page.keyboard.type(' xy', { delay: 60 });
    for (let i = 0; i < 3; ++i) await page.keyboard.press('Backspace', { delay: 60 });
    await waitForState(page, firstHitIs(EXPECTED), EXPECTED, `${EXPECTED} first again for "${QUERY}"`);
    const reads = await page.evaluate((list) => ({
      frames: window.handbook.frames(),
      counts: list.map((n) => window.__glReads[WebGL2RenderingContext[n]] || 0),
    }), names);
    assert.ok(reads.frames - framesBefore >= 6, `frames were drawn while typing (${reads.frames - framesBefore})`);
    names.forEach((n, i) => assert.ok(reads.counts[i] <= 1, `${n} was read back ${reads.counts[i]} times in ${reads.frames} frames`));
    assert.equal((await state(page)).query, QUERY);
  });

  it('opens the first hit with Enter', async () => {
    await page.keyboard.press('Enter');
    await waitForState(page, (slug) => window.handbook.screen() === 'article' && window.handbook.article() === slug, EXPECTED, 'the article');
    assert.equal((await state(page)).hash, '#/a/' + EXPECTED);
    await h.screenshot(page, 'app-article-1280x800');
  });

  it('follows a link to another article (clicked by its label)', async () => {
    const links = articleLinks(EXPECTED);
    assert.ok(links.length > 0, 'the article has links to follow');
    let target = null;
    for (let scrolls = 0; scrolls < 12 && !target; ++scrolls) {
      for (const link of links) {
        const c = await h.widgetCentre(page, link.text);
        if (c && c.y > 70 && c.y < 780) { target = { ...link, ...c }; break; }
      }
      if (!target) {
        await page.mouse.move(640, 500);
        await page.mouse.wheel(0, 300);
        await page.waitForTimeout(200);
      }
    }
    assert.ok(target, 'a link of the article is on screen as a widget: ' + links.map((l) => l.text).join(', '));
    await page.mouse.click(target.x, target.y);
    await waitForState(page, (slug) => window.handbook.article() === slug, target.slug, 'the linked article ' + target.slug);
    assert.equal((await state(page)).hash, '#/a/' + target.slug);
    linked = target.slug;
  });

  it('goes back with the browser\'s back button', async () => {
    await page.goBack({ waitUntil: 'commit' }).catch(() => {});
    await waitForState(page, (slug) => window.handbook.article() === slug, EXPECTED, 'back on ' + EXPECTED);
    await page.goForward({ waitUntil: 'commit' }).catch(() => {});
    await waitForState(page, (slug) => window.handbook.article() === slug, linked, 'forward on ' + linked);
  });

  it('reloads a deep link onto the same screen', async () => {
    await page.goto(server.url + '#/a/' + EXPECTED);
    await page.reload();
    await h.waitForApp(page);
    await waitForState(page, (slug) => window.handbook.screen() === 'article' && window.handbook.article() === slug, EXPECTED, 'the deep-linked article');
    await page.goto(server.url + '#/search/' + encodeURIComponent('damagd parcel'));
    await page.reload();
    await h.waitForApp(page);
    await waitForState(page, () => window.handbook.screen() === 'search' && window.handbook.query() === 'damagd parcel', null, 'the deep-linked search');
    assert.ok((await state(page)).hits.length > 0, 'a deep-linked search shows hits');
  });

  it('works on a tablet: touch, 820x1180 at devicePixelRatio 2', async () => {
    const tablet = await browser.newContext({ viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
    const tab = await tablet.newPage();
    const tabErrors = h.watchConsole(tab);
    await tab.goto(server.url);
    await h.waitForApp(tab);
    await h.screenshot(tab, 'app-home-820x1180');
    const box = await h.widgetCentre(tab, 'Search');
    assert.ok(box, 'the search box is a widget labelled "Search"');
    await tab.touchscreen.tap(box.x, box.y);
    await tab.keyboard.type(QUERY);
    await waitForState(tab, firstHitIs(EXPECTED), EXPECTED, `${EXPECTED} first on the tablet`);
    await h.screenshot(tab, 'app-search-820x1180');
    const title = fs.readFileSync(path.join(h.root, 'articles', EXPECTED + '.md'), 'utf8').match(/^title:\s*(.+)$/m)[1].trim();
    const hit = await h.widgetCentre(tab, title);
    assert.ok(hit, `the first hit is a widget labelled "${title}"`);
    await tab.touchscreen.tap(hit.x, hit.y);
    await waitForState(tab, (slug) => window.handbook.article() === slug, EXPECTED, 'the article opened by a tap');
    await h.screenshot(tab, 'app-article-820x1180');
    assert.deepEqual(tabErrors, []);
    await tablet.close();
  });

  it('is installable (manifest and service worker as Chromium judges them)', async () => {
    await page.goto(server.url);
    await h.waitForApp(page);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 30000 });
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], 'manifest errors: ' + JSON.stringify(manifest.errors));
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // Playwright's contexts are incognito profiles, where nothing installs: that one
    // says nothing about the site. Any other (icons, manifest, worker) would.
    const real = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
    assert.deepEqual(real, [], 'installability errors: ' + JSON.stringify(real));
  });

  it('opens and searches offline, with the server stopped', async () => {
    // The service worker controls the page and holds the whole versioned app set.
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 30000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const all = [];
      for (const name of names) for (const r of await (await caches.open(name)).keys()) all.push(new URL(r.url).pathname);
      return { names, all };
    });
    const version = await page.locator('meta[name="handbook-version"]').getAttribute('content');
    for (const file of ['handbook.js', 'handbook.wasm', 'handbook.data', 'shell.js'].map((f) => `/v/${version}/${f}`).concat(['/'])) {
      assert.ok(cached.all.includes(file), `${file} is cached for offline use: ${JSON.stringify(cached)}`);
    }
    const { code } = await server.stop();
    assert.equal(code, 0, 'the server stops cleanly on Ctrl-C');
    await context.setOffline(true);
    await page.goto(server.url + '#/');
    await page.reload();
    await h.waitForApp(page);
    await page.keyboard.type(QUERY);
    await waitForState(page, firstHitIs(EXPECTED), EXPECTED, `${EXPECTED} first while offline`);
    await h.screenshot(page, 'app-offline-search-1280x800');
    await page.keyboard.press('Enter');
    await waitForState(page, (slug) => window.handbook.article() === slug, EXPECTED, 'the article while offline');
  });
});
