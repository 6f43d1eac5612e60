// The HTML shell in a real browser: what the page does before and around the app
// (progress while downloading, a clear message when the app cannot run or load), and
// the server's headers as the browser sees them.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

let server;
let browser;

before(async () => {
  server = await h.startServer();
  browser = await h.launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const { code } = await server.stop();
    assert.equal(code, 0, 'handbook serve should exit 0 on Ctrl-C (SIGINT)');
  }
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  return { context, page };
}

test('without WebGL 2 the page says so and loads nothing big', async () => {
  const { context, page } = await newPage();
  // As on a browser or device without WebGL 2: getContext('webgl2') gives null.
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : original.call(this, type, ...rest);
    };
  });
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(server.url);
  await page.locator('#failure').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await page.locator('#failure-text').textContent(), /WebGL 2/);
  assert.match(await page.locator('#failure-hint').textContent(), /hardware acceleration/);
  assert.equal(await page.locator('#loading').isVisible(), false);
  assert.ok(!requested.some((p) => /handbook\.(js|wasm|data)$/.test(p)), 'nothing of the app should be fetched: ' + requested.join(' '));
  await h.screenshot(page, 'shell-no-webgl2-1280x800');
  await context.close();
});

test('with WebGL switched off in the browser (--disable-webgl) the page says so', async () => {
  const noWebgl = await h.launchBrowser(['--disable-webgl']);
  try {
    const context = await noWebgl.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('#failure').waitFor({ state: 'visible', timeout: 10000 });
    assert.match(await page.locator('#failure-text').textContent(), /WebGL 2/);
    await h.screenshot(page, 'shell-no-webgl2-820x1180');
  } finally {
    await noWebgl.close();
  }
});

test('without WebAssembly the page says so', async () => {
  const { context, page } = await newPage();
  await page.addInitScript(() => { delete window.WebAssembly; });
  await page.goto(server.url);
  await page.locator('#failure').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await page.locator('#failure-text').textContent(), /WebAssembly/);
  await context.close();
});

test('when handbook.js cannot be downloaded the page says so', async () => {
  const { context, page } = await newPage();
  await page.route(/\/v\/[0-9a-f]+\/handbook\.js/, (route) => route.abort('connectionrefused'));
  await page.goto(server.url);
  await page.locator('#failure').waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await page.locator('#failure-text').textContent(), /could not download handbook\.js/);
  assert.equal(await page.locator('#retry').isVisible(), true);
  await h.screenshot(page, 'shell-load-failed-1280x800');
  await context.close();
});

test('the server explains a missing app file, and the page passes that on', { skip: h.appMissingReason() || false }, async () => {
  const { context, page } = await newPage();
  await page.route(/\/v\/[0-9a-f]+\/handbook\.wasm/, (route) => route.fulfill({
    status: 404, contentType: 'text/plain', body: 'Not found: /handbook.wasm. The web app is not built: run scripts/build.sh web.',
  }));
  await page.goto(server.url);
  await page.locator('#failure').waitFor({ state: 'visible', timeout: 30000 });
  assert.match(await page.locator('#failure-text').textContent(), /handbook\.wasm.*404/);
  assert.match(await page.locator('#failure-hint').textContent(), /not built/);
  await context.close();
});

test('the app starts from a file server that does not say handbook.wasm is wasm', { skip: h.appMissingReason() || false }, async () => {
  // Streaming compilation needs the type application/wasm; a plain file server may send
  // application/octet-stream, and the page gives the bytes the right type itself.
  const { context, page } = await newPage();
  let served = false;
  await page.route(/\/v\/[0-9a-f]+\/handbook\.wasm/, async (route) => {
    const response = await route.fetch();
    served = true;
    await route.fulfill({ status: 200, contentType: 'application/octet-stream', body: await response.body() });
  });
  const errors = h.watchConsole(page);
  await page.goto(server.url + '#/search/parcel');
  await h.waitForApp(page);
  assert.ok(served, 'the wasm went through the plain file server');
  assert.ok((await page.evaluate(() => window.handbook.hits())).length > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a progress bar shows while the wasm and data download', { skip: h.appMissingReason() || false }, async () => {
  const { context, page } = await newPage();
  // Hold the wasm back: the bar is there, but cannot know how far along it is yet.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(/\/v\/[0-9a-f]+\/handbook\.wasm/, async (route) => { await released; await route.continue(); });
  const dataDone = page.waitForResponse(/\/v\/[0-9a-f]+\/handbook\.data/, { timeout: 30000 });
  await page.goto(server.url);
  await page.locator('#loading').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#progress').isVisible(), true);
  await dataDone;
  assert.match(await page.locator('#progress').getAttribute('class'), /indeterminate/);
  assert.match(await page.locator('#loading-text').textContent(), /Loading…|Starting…/);
  await h.screenshot(page, 'shell-loading-1280x800');
  // The canvas (its WebGL context made by the page's check, opaque) shows the page's
  // background behind the panel, not black.
  const colours = await page.evaluate(() => {
    const gl = document.getElementById('canvas').getContext('webgl2');
    return { clear: Array.from(gl.getParameter(gl.COLOR_CLEAR_VALUE)).map((x) => Math.round(x * 255)), page: getComputedStyle(document.body).backgroundColor };
  });
  assert.equal(`rgb(${colours.clear.slice(0, 3).join(', ')})`, colours.page);
  release();
  // Once everything has arrived the loading panel goes away (the app has started).
  await page.locator('#loading').waitFor({ state: 'hidden', timeout: 60000 });
  assert.equal(await page.locator('#failure').isVisible(), false);
  await context.close();
});

test('on a slow network the bar counts the megabytes up', { skip: h.appMissingReason() || false }, async () => {
  const { context, page } = await newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // About 1.6 MB of gzip at 400 KB/s: a few seconds of visible progress.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: 400 * 1024, uploadThroughput: 400 * 1024,
  });
  await page.goto(server.url, { waitUntil: 'commit' });
  const seen = [];
  while (await page.locator('#loading').isVisible() && seen.length < 400) {
    const value = await page.locator('#progress').getAttribute('aria-valuenow');
    const text = await page.locator('#loading-text').textContent();
    if (value !== null) seen.push({ value: Number(value), text });
    if (seen.length === 1 || (seen.length > 0 && seen[seen.length - 1].value >= 50 && !seen.shot)) {
      if (seen.length > 1) seen.shot = true;
      await h.screenshot(page, 'shell-progress-1280x800');
    }
    await page.waitForTimeout(100);
  }
  const between = seen.filter((s) => s.value > 0 && s.value < 100);
  assert.ok(between.length >= 3, 'the bar should be seen part-way several times: ' + JSON.stringify(seen.slice(0, 20)));
  for (let i = 1; i < seen.length; ++i) assert.ok(seen[i].value >= seen[i - 1].value, 'the bar never moves backwards');
  assert.match(between[0].text, /Loading… [\d.]+ MB of [\d.]+ MB/);
  await page.locator('#loading').waitFor({ state: 'hidden', timeout: 60000 });
  await context.close();
});

test('the browser gets the app with the right types, compression and policy', async () => {
  const { context, page } = await newPage();
  const responses = new Map();
  page.on('response', (r) => responses.set(new URL(r.url()).pathname, r));
  const main = await page.goto(server.url);
  const headers = main.headers();
  assert.equal(headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(headers['cache-control'], 'no-cache');
  assert.match(headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(headers['content-security-policy'], /default-src 'none'/);
  const version = await page.locator('meta[name="handbook-version"]').getAttribute('content');
  assert.match(version, /^[0-9a-f]{16}$/);
  // The shell's own files: versioned, immutable, compressed where it pays.
  await page.waitForLoadState('load');
  const shell = responses.get(`/v/${version}/shell.js`);
  assert.ok(shell, 'shell.js should have been fetched');
  assert.equal(shell.headers()['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(shell.headers()['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(shell.headers()['content-encoding'], 'gzip');
  const manifest = await page.request.get(server.url + 'manifest.webmanifest');
  assert.equal(manifest.headers()['content-type'], 'application/manifest+json');
  const parsed = await manifest.json();
  assert.equal(parsed.display, 'standalone');
  assert.ok(parsed.icons.length >= 1 && parsed.start_url);
  const sw = await page.request.get(server.url + 'sw.js');
  assert.equal(sw.headers()['cache-control'], 'no-cache');
  assert.ok((await sw.text()).includes(`'${version}'`), 'sw.js should carry the site version');
  await context.close();
});
