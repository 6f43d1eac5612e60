// A new build replaces the old one cleanly: the open page keeps running the version it
// started with (served by the service worker), the new version installs beside it,
// the page offers "Reload", and after it only the new version's cache is left.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const versionOf = (page) => page.locator('meta[name="handbook-version"]').getAttribute('content');
const appCaches = (page) => page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('handbook-app-')).sort());

test('a new build is offered, and replaces the old one when the user reloads', { skip: h.appMissingReason() || false }, async () => {
  // The shell in a folder of its own, so the test can make a "new build" of it.
  const shellDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-shell-'));
  fs.cpSync(path.join(h.root, 'web'), shellDir, { recursive: true });
  let server = await h.startServer({ shellDir });
  const port = new URL(server.url).port;
  const browser = await h.launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await h.waitForApp(page);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 30000 });
    const oldVersion = await versionOf(page);
    assert.deepEqual(await appCaches(page), ['handbook-app-' + oldVersion]);

    // The new build: one byte of the shell differs, so the whole site has a new version.
    assert.equal((await server.stop()).code, 0);
    fs.appendFileSync(path.join(shellDir, 'shell.css'), '\n/* the next build */\n');
    server = await h.startServer({ port, shellDir });
    assert.equal(server.url, `http://127.0.0.1:${port}/`);

    await page.reload();
    await h.waitForApp(page);
    assert.equal(await versionOf(page), oldVersion, 'the open page keeps the version it has until the user says');
    await page.locator('#update').waitFor({ state: 'visible', timeout: 30000 });
    await h.screenshot(page, 'shell-update-offered-1280x800');

    await Promise.all([page.waitForEvent('load', { timeout: 30000 }), page.locator('#update-reload').click()]);
    await h.waitForApp(page);
    const newVersion = await versionOf(page);
    assert.notEqual(newVersion, oldVersion, 'after Reload the page runs the new build');
    assert.match(newVersion, /^[0-9a-f]{16}$/);
    await page.waitForFunction((v) => caches.keys().then((names) => !names.includes('handbook-app-' + v)), oldVersion, { timeout: 10000 });
    assert.deepEqual(await appCaches(page), ['handbook-app-' + newVersion], 'the old version\'s cache is deleted');
    assert.equal(await page.locator('#update').isVisible(), false);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(shellDir, { recursive: true, force: true });
  }
});
