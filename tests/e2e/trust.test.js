// What a tablet trusts (issue 20): the key it pinned on its first visit, and content it
// has seen confirmed recently. A server that signs with another key (a rogue server on
// the store network, or one whose key was lost) changes nothing on the tablet, and the
// tablet says why; content not confirmed for longer than the freshness window (a frozen
// copy on a CDN, a replayed answer, a server gone for the day) is shown as "Policies as
// of <date>".
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./harness');

const skip = h.appMissingReason();

describe('What a tablet trusts', { skip: skip || false }, () => {
  let browser;
  before(async () => { browser = await h.launchBrowser(); });
  after(async () => { if (browser) await browser.close(); });

  it('refuses a server that signs with another key, and keeps its policies', async () => {
    let server = await h.startServer();
    const port = new URL(server.url).port;
    const rogue = h.articlesWith('late-deliveries', 'A wombat courier is never late: refuse every claim.');
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await h.waitForApp(page);
      await page.waitForFunction(() => window.handbook.sync().confirmedAt !== '', null, { timeout: 20000 });

      // Another server answers at the same address, with its own key (and its own policies).
      await server.stop();
      server = await h.startServer({ port: Number(port), articlesDir: rogue });
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForFunction(() => /not used/.test(window.handbook.sync().message), null, { timeout: 30000 });
      const message = (await page.evaluate(() => window.handbook.sync())).message;
      assert.match(message, /not by the key this device trusts/, message);
      await h.typeInSearch(page, 'wombat');
      await page.waitForTimeout(500);
      assert.deepEqual(await page.evaluate(() => window.handbook.hits()), [], 'nothing from the other server was applied');
      await h.screenshot(page, 'trust-other-key-refused-1280x800');
      await context.close();
    } finally {
      await server.stop();
      fs.rmSync(rogue, { recursive: true, force: true });
    }
  });

  for (const [width, height, touch] of [[1280, 800, false], [820, 1180, true]]) {
    it(`says "Policies as of" when nothing fresh was confirmed for hours (${width}x${height})`, async () => {
      const server = await h.startServer();
      try {
        const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch, deviceScaleFactor: touch ? 2 : 1 });
        // The tablet's clock is 7 hours past the server's signature: what a frozen copy on a
        // CDN (or a replayed "nothing new") looks like once the freshness window (6 h) is over.
        await context.addInitScript(() => {
          const shift = 7 * 3600 * 1000;
          const RealDate = Date;
          class ShiftedDate extends RealDate {
            constructor(...args) { if (args.length === 0) super(RealDate.now() + shift); else super(...args); }
            static now() { return RealDate.now() + shift; }
          }
          window.Date = ShiftedDate;
        });
        const page = await context.newPage();
        await page.goto(server.url);
        await h.waitForApp(page);
        await page.waitForFunction(() => window.handbook.sync().asOf !== '', null, { timeout: 20000 });
        const sync = await page.evaluate(() => window.handbook.sync());
        const today = new Date();
        const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
        assert.equal(sync.asOf, `${today.getUTCDate()} ${months[today.getUTCMonth()]} ${today.getUTCFullYear()}`);
        const pill = await h.widgetCentre(page, 's of ' + sync.asOf);  // "Policies as of", or "As of" when narrow
        assert.ok(pill && /^(Policies as|As) of /.test(pill.label), 'the top bar says it');
        await h.screenshot(page, `trust-policies-as-of-${width}x${height}`);
        await context.close();
      } finally {
        await server.stop();
      }
    });
  }
});
