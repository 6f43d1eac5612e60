// The accessible twin (issue 17): the DOM that mirrors what the canvas draws, found and
// driven by role and name as a screen reader or a keyboard user would, with no pixel
// positions: typing in the twin's search field, Tab and Enter through results into an
// article and along its links, the browser's find-in-page, the accessibility tree
// Chromium builds (CDP Accessibility.getFullAXTree), axe-core on each screen, and the
// focus ring on the canvas at 1280x800 and 820x1180.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness');

const skip = h.appMissingReason();
const state = (page) => page.evaluate(() => ({
  screen: window.handbook.screen(), query: window.handbook.query(), article: window.handbook.article(), hash: location.hash,
}));

// axe-core from npm (a devDependency): injected as a script, run on the whole document.
const axePath = (() => { try { return require.resolve('axe-core/axe.min.js'); } catch (e) { return null; } })();
async function axeViolations(page) {
  await page.addScriptTag({ content: fs.readFileSync(axePath, 'utf8') });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, sample: v.nodes[0] && v.nodes[0].html }));
  });
  return result;
}

async function newPage(env, tablet, extra = {}) {
  const context = await env.browser.newContext(Object.assign(tablet
    ? { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true }
    : { viewport: { width: 1280, height: 800 } }, extra));
  const page = await context.newPage();
  const errors = h.watchConsole(page);
  await page.goto(env.server.url);
  await h.waitForApp(page);
  return { context, page, errors };
}

// The name of the element the page's keyboard is on, and its role (tag for the native ones).
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? { tag: e.tagName, role: e.getAttribute('role'), name: e.getAttribute('aria-label') || e.textContent.trim(), twin: e.dataset.twin || '' } : null;
});

// Presses Tab until the focused element satisfies `want` (at most `limit` times).
async function tabTo(page, want, limit = 40) {
  const seen = [];
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    seen.push(f && `${f.tag}:${f.name.slice(0, 40)}`);
    if (f && want(f)) return f;
  }
  throw new Error(`Tab never reached it; the keyboard went through ${JSON.stringify(seen)}`);
}

describe('The accessible twin', { skip: skip || false }, () => {
  const env = h.sharedServerAndBrowser({ before, after });

  it('types into the twin search field found by role and name, and lists results as links', async () => {
    const { context, page, errors } = await newPage(env, false);
    const box = page.getByRole('textbox', { name: 'Search' });
    await box.focus();
    await page.keyboard.type('refund receipt');
    await h.waitUntil(page, () => window.handbook.query() === 'refund receipt', null, 'the query typed through the twin field');
    assert.equal((await focused(page)).name, 'Search', 'the keyboard stays on the twin field while typing');
    // The results: a list of links, each the article's title, with the matching passage.
    const results = page.getByRole('list', { name: /results/i });
    await results.waitFor({ timeout: 10000 });
    const links = results.getByRole('link');
    assert.ok(await links.count() >= 3, 'several results are links in the list');
    const first = await links.first().textContent();
    assert.match(first, /receipt/i, 'the first result is about receipts');
    // The live region says how many were found, once, for a screen reader.
    await h.waitUntil(page, () => /results? for/.test(document.getElementById('handbook-twin-live').textContent), null, 'the announcement');
    assert.match(await page.locator('#handbook-twin-live').textContent(), /^\d+ results? for refund receipt/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('keyboard only: Tab to search, type, Tab to a result, Enter opens it, a link in it, Back returns', async () => {
    const { context, page, errors } = await newPage(env, false);
    await tabTo(page, (f) => f.tag === 'INPUT' && f.name === 'Search');
    await page.keyboard.type('approval limits');
    await h.waitUntil(page, () => window.handbook.query() === 'approval limits', null, 'the query');
    await page.getByRole('list', { name: /results/i }).waitFor({ timeout: 10000 });
    const result = await tabTo(page, (f) => f.tag === 'A' && /Approval limits/i.test(f.name));
    assert.ok(result.twin, 'the result link is a twin element');
    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => window.handbook.article() === 'approval-limits', null, 'the article opened by Enter');
    await page.getByRole('heading', { level: 1, name: /Approval limits/ }).waitFor({ timeout: 10000 });
    // Tab on into the article to an inline link, and follow it.
    await tabTo(page, (f) => f.tag === 'A' && f.name === 'Refunds without a receipt', 80);
    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => window.handbook.article() === 'refunds-without-receipt', null, 'the linked article');
    await page.goBack();
    await h.waitUntil(page, () => window.handbook.article() === 'approval-limits', null, 'back in the first article');
    await h.screenshot(page, 'twin-keyboard-reader-1280x800');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('Tab walks down every result in order, the canvas scrolling along, and never drops the keyboard', async () => {
    const { context, page } = await newPage(env, false);
    await page.getByRole('textbox', { name: 'Search' }).focus();
    await page.keyboard.type('refund');
    await h.waitUntil(page, () => window.handbook.query() === 'refund', null, 'the query');
    const titles = await page.getByRole('list', { name: /results/i }).getByRole('link').allTextContents();
    assert.ok(titles.length >= 15, `enough results to scroll: ${titles.length}`);
    await tabTo(page, (f) => f.tag === 'A' && f.name === titles[0]);
    const walked = [titles[0]];
    let scrolled = 0;
    for (let i = 1; i < 15; ++i) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      assert.equal(f.tag, 'A', `Tab ${i} stays on a result (${JSON.stringify(f)}), after ${JSON.stringify(walked)}`);
      walked.push(f.name);
      scrolled = await page.evaluate(() => document.getElementById('handbook-twin-main').scrollTop);
    }
    assert.deepEqual(walked, titles.slice(0, 15), 'in the order they are ranked');
    assert.ok(scrolled > 300, `the main area scrolled to keep the focused result in view (${scrolled})`);
    // The canvas shows the focused result: its ring is inside the window.
    await h.waitUntil(page, () => { const r = window.handbook.focusRing(); return r && r.y > 0 && r.y + r.h <= innerHeight; }, null, 'the ring in view');
    await context.close();
  });

  it("the browser's find-in-page finds text the canvas draws", async () => {
    const { context, page } = await newPage(env, false);
    await page.goto(env.server.url + '#/a/approval-limits');
    await h.waitUntil(page, () => window.handbook.article() === 'approval-limits', null, 'the article');
    await page.getByRole('heading', { name: 'Limits by role' }).waitFor({ timeout: 10000 });
    const found = await page.evaluate(() => window.find('Head of Customer Service plus Finance Director'));
    assert.equal(found, true, 'window.find finds a table cell');
    // A sentence near the end, below the fold. window.find selects it but (a legacy API)
    // does not scroll; Chrome's find bar scrolls the match into view, which scrollIntoView
    // on the match stands for here. The twin's main area scrolls, and the canvas follows.
    assert.equal(await page.evaluate(() => window.find('uses the same levels')), true, 'a sentence further down');
    await page.evaluate(() => window.getSelection().getRangeAt(0).startContainer.parentElement.scrollIntoView({ block: 'center' }));
    await h.waitUntil(page, () => document.getElementById('handbook-twin-main').scrollTop > 200, null, 'the twin scrolled to it');
    await h.waitUntil(page, () => window.handbook.section() !== '', null, 'the canvas scrolled past a heading to it');
    const shown = await page.evaluate(() => {
      const r = window.getSelection().getRangeAt(0).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: innerHeight };
    });
    assert.ok(shown.top > 0 && shown.bottom < shown.height, `the found words are on screen: ${JSON.stringify(shown)}`);
    await h.screenshot(page, 'twin-find-1280x800');
    const missing = await page.evaluate(() => window.find('zebra crossing quartz'));
    assert.equal(missing, false, 'and not what is not there');
    await context.close();
  });

  it("Chromium's accessibility tree has the results, the article's headings and its table", async () => {
    const { context, page } = await newPage(env, false);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Accessibility.enable');
    const tree = async () => (await cdp.send('Accessibility.getFullAXTree')).nodes
      .filter((n) => !n.ignored).map((n) => ({ role: n.role && n.role.value, name: n.name && n.name.value }));
    await page.getByRole('textbox', { name: 'Search' }).focus();
    await page.keyboard.type('exchange');
    await page.getByRole('list', { name: /results/i }).waitFor({ timeout: 10000 });
    let nodes = await tree();
    assert.ok(nodes.some((n) => n.role === 'searchbox' || n.role === 'textbox'), 'a search field');
    assert.ok(nodes.filter((n) => n.role === 'listitem').length >= 3, 'the results are list items');
    assert.ok(nodes.some((n) => n.role === 'link' && /exchange/i.test(n.name || '')), 'a result link names an exchange article');

    await page.goto(env.server.url + '#/a/approval-limits');
    await page.getByRole('heading', { name: 'Limits by role' }).waitFor({ timeout: 10000 });
    nodes = await tree();
    const headings = nodes.filter((n) => n.role === 'heading').map((n) => n.name);
    assert.ok(headings.includes('Approval limits for refunds and goodwill'), `the title is a heading: ${headings}`);
    assert.ok(headings.includes('How to get approval'), 'a section is a heading');
    assert.ok(nodes.some((n) => n.role === 'table'), 'the table is a table');
    assert.ok(nodes.some((n) => n.role === 'columnheader' && n.name === 'role'), 'with its column headers');
    assert.ok(nodes.some((n) => n.role === 'cell' && n.name === '$500'), 'and its cells');
    assert.ok(nodes.some((n) => n.role === 'main'), 'a main landmark');
    assert.ok(nodes.some((n) => n.role === 'banner'), 'a banner');
    await context.close();
  });

  it('axe-core finds no violation at all on home, results, no results, an article with a table, the display dialog', { skip: axePath ? false : 'axe-core is not installed (npm install)' }, async () => {
    // (axe is injected as an inline script, which the app's Content-Security-Policy forbids.)
    const { context, page } = await newPage(env, false, { bypassCSP: true });
    const report = {};
    const check = async (name) => {
      const v = await axeViolations(page);
      report[name] = v;
      return v;
    };
    assert.deepEqual(await check('home'), [], 'home');
    await page.getByRole('textbox', { name: 'Search' }).focus();
    await page.keyboard.type('refund');
    await page.getByRole('list', { name: /results/i }).waitFor({ timeout: 10000 });
    assert.deepEqual(await check('results'), [], 'results');
    await page.keyboard.type(' qqxxzzv');
    await h.waitUntil(page, () => /No results|No policy/i.test(document.getElementById('handbook-twin').textContent), null, 'no results');
    assert.deepEqual(await check('no results'), [], 'no results');
    await page.goto(env.server.url + '#/a/approval-limits');
    await page.getByRole('heading', { name: 'Limits by role' }).waitFor({ timeout: 10000 });
    assert.deepEqual(await check('article'), [], 'an article with a table');
    await page.getByRole('button', { name: 'Display settings' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ timeout: 10000 });
    assert.deepEqual(await check('display'), [], 'the display dialog');
    fs.mkdirSync(h.resultsDir, { recursive: true });
    fs.writeFileSync(path.join(h.resultsDir, 'axe-report.json'), JSON.stringify(report, null, 1));
    await context.close();
  });

  for (const tablet of [false, true]) {
    const size = tablet ? '820x1180' : '1280x800';
    it(`the canvas draws a focus ring where the keyboard is (${size})`, async () => {
      const { context, page } = await newPage(env, tablet);
      await page.getByRole('textbox', { name: 'Search' }).focus();
      await page.keyboard.type('gift card');
      await h.waitUntil(page, () => window.handbook.query() === 'gift card', null, 'the query');
      await page.getByRole('list', { name: /results/i }).waitFor({ timeout: 10000 });
      // The fourth result: far enough down that the browser scrolls to it on a small screen.
      let links = 0;
      await tabTo(page, (f) => f.tag === 'A' && f.name !== 'Handbook' && ++links === 4);
      await h.waitUntil(page, () => window.handbook.focusRing && window.handbook.focusRing() !== null, null, 'the ring');
      const ring = await page.evaluate(() => window.handbook.focusRing());
      const el = await page.evaluate(() => { const r = document.activeElement.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
      // The ring is drawn around the focused element's place on the canvas.
      assert.ok(Math.abs(ring.x - el.x) < 8 && Math.abs(ring.y - el.y) < 8, `ring ${JSON.stringify(ring)} at the element ${JSON.stringify(el)}`);
      await h.screenshot(page, `twin-focus-ring-${size}`);
      await context.close();
    });
  }

  it('a pinch on a tablet steps the text size, and the screen is laid out again at it (not zoomed)', async () => {
    const { context, page } = await newPage(env, true);
    await page.goto(env.server.url + '#/a/approval-limits');
    await page.getByRole('heading', { name: 'Limits by role' }).waitFor({ timeout: 10000 });
    const before = await page.evaluate(() => window.handbook.settings().textSize);
    const headingBox = async () => page.getByRole('heading', { level: 1 }).evaluate((e) => e.getBoundingClientRect().height);
    const heightBefore = await headingBox();
    const cdp = await context.newCDPSession(page);
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
    // Two fingers 100 px apart, spread to 300 px: a step of 1.2 at 120, 144, 173, 207, 249, 299 px.
    await touch('touchStart', [{ x: 360, y: 700, id: 1 }]);
    await touch('touchStart', [{ x: 360, y: 700, id: 1 }, { x: 460, y: 700, id: 2 }]);
    for (let d = 120; d <= 300; d += 20) await touch('touchMove', [{ x: 360, y: 700, id: 1 }, { x: 360 + d, y: 700, id: 2 }]);
    await touch('touchEnd', []);
    await h.waitUntil(page, (b) => window.handbook.settings().textSize > b, before, 'a bigger text size');
    const after = await page.evaluate(() => window.handbook.settings().textSize);
    assert.equal(after, 4, `spread far enough, the text goes to the largest size (from ${before})`);
    await h.waitUntil(page, (hb) => { const e = document.querySelector('#handbook-twin h1'); return e && e.getBoundingClientRect().height > hb * 1.2; }, heightBefore, 'the title laid out bigger');
    assert.equal(await page.evaluate(() => window.handbook.article()), 'approval-limits', 'the pinch tapped nothing');
    assert.equal(await page.evaluate(() => window.handbook.selection()), '', 'and selected nothing');
    await h.screenshot(page, 'twin-pinch-largest-820x1180');
    // Closing the fingers steps it back down.
    await touch('touchStart', [{ x: 300, y: 700, id: 3 }]);
    await touch('touchStart', [{ x: 300, y: 700, id: 3 }, { x: 600, y: 700, id: 4 }]);
    for (let d = 280; d >= 100; d -= 20) await touch('touchMove', [{ x: 300, y: 700, id: 3 }, { x: 300 + d, y: 700, id: 4 }]);
    await touch('touchEnd', []);
    await h.waitUntil(page, () => window.handbook.settings().textSize < 4, null, 'a smaller text size');
    await context.close();
  });

  it('browser zoom (Ctrl+plus to 150%) lays the screen out again, sharp: the canvas has a pixel for each device pixel', async () => {
    const { context, page } = await newPage(env, false);
    await page.goto(env.server.url + '#/a/approval-limits');
    await page.getByRole('heading', { name: 'Limits by role' }).waitFor({ timeout: 10000 });
    // The column's width: the widest paragraph's.
    const column = () => Math.max(...[...document.querySelectorAll('#handbook-twin-main p')].map((p) => p.getBoundingClientRect().width));
    const before = await page.evaluate(`(${column})()`);
    // What Ctrl+plus to 150% does to a page: fewer CSS pixels across, 1.5 device pixels each.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 853, height: 533, deviceScaleFactor: 1.5, mobile: false });
    await h.waitUntil(page, (b) => innerWidth === 853 && Math.max(...[...document.querySelectorAll('#handbook-twin-main p')].map((p) => p.getBoundingClientRect().width)) < b,
      before, 'the text laid out in the narrower page');
    const after = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { dpr: devicePixelRatio, canvas: [c.width, c.height], css: [innerWidth, innerHeight] };
    });
    const columnAfter = await page.evaluate(`(${column})()`);
    assert.equal(after.dpr, 1.5);
    assert.deepEqual(after.canvas, [Math.round(853 * 1.5), Math.round(533 * 1.5)], 'a canvas pixel per device pixel: drawn sharp, not scaled up');
    assert.ok(columnAfter < before && columnAfter > 700, `the text column fits the narrower page (${before} -> ${columnAfter} CSS px)`);
    // Through the same DevTools session (Playwright's own screenshot resets the metrics).
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
    fs.mkdirSync(h.resultsDir, { recursive: true });
    fs.writeFileSync(path.join(h.resultsDir, 'twin-zoom-150-853x533.png'), Buffer.from(shot.data, 'base64'));
    await context.close();
  });

  it('says when the device goes offline, in a live region of its own', async () => {
    const { context, page } = await newPage(env, false);
    await page.getByRole('textbox', { name: 'Search' }).focus();
    await page.keyboard.type('refund');
    await h.waitUntil(page, () => /results for refund/.test(document.getElementById('handbook-twin-live').textContent), null, 'the results said');
    await context.setOffline(true);
    await h.waitUntil(page, () => /^Offline/.test(document.getElementById('handbook-twin-status').textContent), null, 'offline said', 30000);
    assert.match(await page.locator('#handbook-twin-live').textContent(), /results for refund/, 'the results are still said in theirs');
    await context.setOffline(false);
    await context.close();
  });

  it('?twin=0 leaves the twin out (and the app still searches)', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(env.server.url + '?twin=0');
    await h.waitForApp(page);
    assert.equal(await page.locator('#handbook-twin').count(), 0);
    await h.typeInSearch(page, 'refund');
    await h.waitUntil(page, () => window.handbook.query() === 'refund', null, 'the query');
    await context.close();
  });

  it('the tree follows the screen: no stale nodes after leaving an article', async () => {
    const { context, page } = await newPage(env, false);
    await page.goto(env.server.url + '#/a/approval-limits');
    await page.getByRole('heading', { name: 'Limits by role' }).waitFor({ timeout: 10000 });
    await page.goto(env.server.url + '#/');
    await h.waitUntil(page, () => window.handbook.screen() === 'home', null, 'home');
    await h.waitUntil(page, () => !document.getElementById('handbook-twin').textContent.includes('Limits by role'), null, 'the article gone from the twin');
    assert.equal((await state(page)).article, '');
    await context.close();
  });
});
