// Reading a policy in a real browser (issue 15): part of a sentence dragged over and
// copied with Ctrl+C; a long policy's contents jump to a section while Back and Copy stay
// in the header; a tablet shows "Offline" when it is; the searches staff type.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const skip = h.appMissingReason();


// Every clipboard write the page makes, kept for the test (the app writes with
// navigator.clipboard.writeText inside the key or tap that asked for it).
async function recordClipboard(context) {
  await context.addInitScript(() => {
    window.__copied = [];
    const write = navigator.clipboard && navigator.clipboard.writeText.bind(navigator.clipboard);
    if (navigator.clipboard) {
      navigator.clipboard.writeText = (text) => { window.__copied.push(text); return write(text); };
    }
  });
}

describe('Reading a policy', { skip: skip || false }, () => {
  const env = h.sharedServerAndBrowser({ before, after });

  it('copies part of a sentence dragged over with the mouse (Ctrl+C)', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await recordClipboard(context);
    const page = await context.newPage();
    const errors = h.watchConsole(page);
    await page.goto(env.server.url + '#/a/missing-parcels');
    await h.waitForApp(page);
    await h.waitUntil(page, () => window.handbook.texts().length > 2, null, 'the body drawn');
    const texts = await page.evaluate(() => window.handbook.texts());
    // The first paragraph of the body with two lines or more, its first line.
    const para = texts.find((t) => t.lines >= 2 && t.y > 150);
    assert.ok(para, 'a paragraph of two lines is on screen: ' + JSON.stringify(texts));
    const y = para.y + 10;
    await page.mouse.move(para.x + 60, y);
    await page.mouse.down();
    for (let i = 1; i <= 8; ++i) await page.mouse.move(para.x + 60 + i * 30, y);
    await page.mouse.up();
    const selected = await page.evaluate(() => window.handbook.selection());
    assert.ok(selected.length > 5, `some words are selected: "${selected}"`);
    await h.screenshot(page, 'reading-selection-1280x800');
    await page.keyboard.press('Control+c');
    await page.waitForFunction(() => window.__copied.length > 0, null, { timeout: 5000 });
    const copied = await page.evaluate(() => window.__copied[window.__copied.length - 1]);
    assert.equal(copied, selected, 'Ctrl+C copies the words selected, not the whole paragraph');
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, selected, 'and they are on the clipboard');
    const source = require('node:fs').readFileSync(require('node:path').join(h.root, 'articles/missing-parcels.md'), 'utf8')
      .replace(/\*\*|\[|\]\([^)]*\)/g, '').replace(/\s+/g, ' ');
    assert.ok(source.includes(selected.replace(/\s+/g, ' ')), `"${selected}" is a piece of the policy's text`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const [size, opts] of [['1280x800', { viewport: { width: 1280, height: 800 } }],
    ['820x1180', { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true }]]) {
    it(`a long policy's contents jump to a section, with Back and Copy still in view (${size})`, async () => {
      const context = await env.browser.newContext(opts);
      const page = await context.newPage();
      await page.goto(env.server.url + '#/a/customer-service-standards-guide');
      await h.waitForApp(page);
      await h.waitUntil(page, () => window.handbook.widgets().some((w) => w.label === 'Contents'), null, 'the Contents button');
      const backBefore = await h.widgetCentre(page, 'Home');
      await h.screenshot(page, `reading-article-${size}`);
      const contents = await h.widgetCentre(page, 'Contents');
      if (opts.hasTouch) await page.touchscreen.tap(contents.x, contents.y);
      else await page.mouse.click(contents.x, contents.y);
      await h.waitUntil(page, () => window.handbook.widgets().some((w) => w.label === '4. Owning the problem'), null, 'the contents listed');
      await h.screenshot(page, `reading-contents-${size}`);
      const entry = await h.widgetCentre(page, '4. Owning the problem');
      if (opts.hasTouch) await page.touchscreen.tap(entry.x, entry.y);
      else await page.mouse.click(entry.x, entry.y);
      await h.waitUntil(page, () => window.handbook.section() === '4. Owning the problem', null, 'the section at the top');
      await h.screenshot(page, `reading-section-${size}`);
      const backAfter = await h.widgetCentre(page, 'Home');
      assert.ok(backAfter, '"Home" (back) is still on screen');
      assert.equal(backAfter.y, backBefore.y, 'in the same place: the header does not scroll');
      assert.ok(await h.widgetCentre(page, 'Copy link'), '"Copy link" is still on screen');
      await context.close();
    });
  }

  it('shows "Offline" on a tablet when the server cannot be reached', async () => {
    const context = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(env.server.url);
    await h.waitForApp(page);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 30000 });
    // A reload lets the page fetch the feed through the service worker, which keeps it.
    await page.reload();
    await h.waitForApp(page);
    await page.waitForTimeout(500);
    await context.setOffline(true);
    await page.reload();
    await h.waitForApp(page);
    // The service worker answers the feed from what it kept: still offline, and said so.
    await h.waitUntil(page, () => window.handbook.offline(), null, 'the app to know it is offline');
    await h.waitUntil(page, () => window.handbook.widgets().some((w) => w.label === 'Offline'), null, 'the Offline sign in the bar');
    await h.screenshot(page, 'reading-offline-820x1180');
    const sign = await h.widgetCentre(page, 'Offline');
    await page.touchscreen.tap(sign.x, sign.y);
    await page.waitForTimeout(300);
    await h.screenshot(page, 'reading-offline-details-820x1180');
    await context.close();
  });

  it('says which words no policy has, and finds nothing for words that are not there', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(env.server.url);
    await h.waitForApp(page);
    await page.keyboard.type('xylophone escalte to manager');
    await h.waitUntil(page, () => window.handbook.query() === 'xylophone escalte to manager' && window.handbook.hits().length > 0, null, 'hits');
    assert.deepEqual(await page.evaluate(() => window.handbook.unknownWords()), ['xylophone']);
    assert.equal(await page.evaluate(() => window.handbook.showingResultsFor()), 'escalate to manager');
    await h.screenshot(page, 'search-unknown-word-1280x800');
    await page.keyboard.press('Escape');
    await page.keyboard.type('café crème');
    await h.waitUntil(page, () => window.handbook.query() === 'café crème', null, 'the query');
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.handbook.hits()), [], 'nothing matched');
    assert.equal(await page.evaluate(() => window.handbook.showingResultsFor()), '', 'no "correction" into other words');
    await h.screenshot(page, 'search-nothing-matched-1280x800');
    for (const [query, slug] of [['parcel never arrived', 'missing-parcels'], ['who approves goodwill over 50', 'approval-limits']]) {
      await page.keyboard.press('Escape');
      await page.keyboard.type(query);
      await h.waitUntil(page, (q) => window.handbook.query() === q[0] && window.handbook.hits()[0] === q[1], [query, slug], `${slug} first for "${query}"`);
    }
    await context.close();
  });
});
