// Keeping a device's copy right while a page stays open: the app checks for new policies
// by itself (a till left open all day must not keep yesterday's), says when the server
// last confirmed it current, and when the server's database was re-created it downloads
// the library again instead of trusting its own position (the finding: it kept the old
// policies for good and said "Up to date").
//
// The regular check is minutes apart; the page's long timers (over a minute: only that
// check) are made to fire after 300 ms, and their requested delays are recorded.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const skip = h.appMissingReason();

async function shortenLongTimers(context) {
  await context.addInitScript(() => {
    window.__longTimers = [];
    const realSetTimeout = window.setTimeout;
    window.setTimeout = function (fn, delay, ...rest) {
      if (typeof delay === 'number' && delay > 60000) {
        window.__longTimers.push(delay);
        delay = 300;
      }
      return realSetTimeout.call(this, fn, delay, ...rest);
    };
  });
}

const search = h.typeInSearch;

const firstHit = (page) => page.evaluate(() => {
  const first = window.handbook.hits()[0];
  return first && typeof first === 'object' ? first.slug : first || '';
});

describe('Keeping the device current', { skip: skip || false }, () => {
  let browser;
  before(async () => { browser = await h.launchBrowser(); });
  after(async () => { if (browser) await browser.close(); });

  it('picks up a publish while the page stays open, and says when it was confirmed', async () => {
    const server = await h.startServer();
    const edited = h.articlesWith('refund-windows', 'A quokka plush toy may be returned within 90 days.');
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await shortenLongTimers(context);
      const page = await context.newPage();
      await page.goto(server.url);
      await h.waitForApp(page);
      await page.waitForFunction(() => window.handbook.sync().confirmedAt !== '', null, { timeout: 20000 });
      const firstConfirmed = (await page.evaluate(() => window.handbook.sync())).confirmedAt;
      assert.match(firstConfirmed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      await search(page, 'quokka');
      assert.equal(await firstHit(page), '', 'the word is not in any policy yet');

      // A policy owner's change reaches the server's database (another process writes it
      // while the server answers); the open page is not reloaded or told.
      const imported = await h.runHandbook(['import', edited, '--db', server.dbPath]);
      assert.equal(imported.code, 0, imported.out);
      await page.waitForFunction(() => {
        const first = window.handbook.hits()[0];
        return (first && typeof first === 'object' ? first.slug : first) === 'refund-windows';
      }, null, { timeout: 20000 });
      const delays = await page.evaluate(() => window.__longTimers);
      assert.ok(delays.some((d) => d >= 270000 && d <= 330000), 'checks every 5 minutes (+-10%): ' + JSON.stringify(delays));
      const sync = await page.evaluate(() => window.handbook.sync());
      assert.equal(sync.offline, false);
      assert.ok(sync.confirmedAt >= firstConfirmed, JSON.stringify(sync));
      await h.screenshot(page, 'sync-picked-up-1280x800');
      await context.close();
    } finally {
      await server.stop();
      fs.rmSync(edited, { recursive: true, force: true });
    }
  });

  it('downloads the library again from a server whose database was re-created', async () => {
    // The signing key lives outside the database: a re-created database keeps it.
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-key-'));
    const keyPath = path.join(keyDir, 'handbook.signing-key');
    let server = await h.startServer({ keyPath });
    const port = new URL(server.url).port;
    const recreated = h.articlesWith('late-deliveries', 'A wombat courier is late after two working days.');
    try {
      const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, deviceScaleFactor: 2 });
      const page = await context.newPage();
      const errors = h.watchConsole(page);
      await page.goto(server.url);
      await h.waitForApp(page);
      await page.waitForFunction(() => window.handbook.sync().confirmedAt !== '', null, { timeout: 20000 });

      // The server's database is replaced by a new one (its sequence starts again: the
      // device's position is beyond it, and the identity differs).
      await server.stop();
      server = await h.startServer({ port: Number(port), articlesDir: recreated, keyPath });
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForFunction(() => /downloaded the server's library again/.test(window.handbook.sync().message), null, { timeout: 30000 });
      const message = (await page.evaluate(() => window.handbook.sync())).message;
      assert.match(message, /downloaded the server's library again/, message);
      await h.screenshot(page, 'sync-library-downloaded-again-820x1180');

      const box = await h.widgetCentre(page, 'Search');
      await page.touchscreen.tap(box.x, box.y);
      await page.keyboard.insertText('wombat');
      await page.waitForFunction(() => {
        const first = window.handbook.hits()[0];
        return (first && typeof first === 'object' ? first.slug : first) === 'late-deliveries';
      }, null, { timeout: 20000 });
      // And it follows the new server from there: up to date, not offline.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForFunction(() => window.handbook.sync().message === 'Up to date', null, { timeout: 20000 });
      assert.deepEqual(errors.filter((e) => !/Handbook: /.test(e)), []);
      await context.close();
    } finally {
      await server.stop();
      fs.rmSync(recreated, { recursive: true, force: true });
      fs.rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
