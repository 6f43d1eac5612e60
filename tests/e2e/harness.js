// What every browser test needs: a `handbook serve` of its own (free port, temporary
// database with the bundled articles imported), and the Debian chromium driven by
// playwright-core with the flags from the toolchain notes.
//
//   HANDBOOK_BINARY   the native handbook program   (default build/native/src/server/handbook)
//   HANDBOOK_WEB_DIR  the web build's app folder    (default build/web/src/web)
//   CHROMIUM          the browser                   (default /usr/bin/chromium)
//   HANDBOOK_REQUIRE_APP=1  fail, rather than skip, the tests that need the built app
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..', '..');
const binary = process.env.HANDBOOK_BINARY || path.join(root, 'build/native/src/server/handbook');
const webDir = process.env.HANDBOOK_WEB_DIR || path.join(root, 'build/web/src/web');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const resultsDir = path.join(root, 'test-results');

// Keep --enable-unsafe-swiftshader (WebGL on the CPU); never --use-gl (breaks WebGL).
// The background-networking flags stop chromium from calling out on a closed network.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];

// Why the app-dependent tests cannot run here, or '' when they can. Under
// HANDBOOK_REQUIRE_APP=1 (scripts/test.sh, which has just built the app) they never
// skip: a missing app is then a failure, not a quiet skip.
function appMissingReason() {
  if (process.env.HANDBOOK_REQUIRE_APP === '1') return '';
  const missing = ['handbook.js', 'handbook.wasm', 'handbook.data'].filter((f) => !fs.existsSync(path.join(webDir, f)));
  return missing.length ? `the web app is not built (${webDir} lacks ${missing.join(', ')}): run scripts/build.sh web` : '';
}

// Servers still running when the test process ends (a test that threw) are stopped.
const running = new Set();
process.on('exit', () => { for (const proc of running) proc.kill('SIGKILL'); });

// Starts `handbook serve` and resolves once it prints its URL. Options: port (default
// 0: any free port), shellDir (default web/), articlesDir (default articles/: imported
// into the new database on its first start), keyPath (the signing key file; default: a
// new key beside the new database, as on a real first start), extra (more arguments).
async function startServer({ port = 0, shellDir = path.join(root, 'web'), articlesDir = path.join(root, 'articles'),
  keyPath = '', extra = [] } = {}) {
  if (!fs.existsSync(binary)) throw new Error(`no handbook program at ${binary}: run scripts/build.sh native`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-e2e-'));
  const dbPath = path.join(tmp, 'handbook.db');
  const proc = spawn(binary, ['serve', '--port', String(port), '--db', dbPath,
    '--articles', articlesDir, '--shell', shellDir, '--web', webDir, ...(keyPath ? ['--key', keyPath] : []), ...extra],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('handbook serve did not start in 20 s:\n' + out + log)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`handbook serve exited with ${code}:\n${out}${log}`)); });
  });
  let stopped = false;
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url,
    dbPath,
    log: () => log,
    // SIGINT, as Ctrl-C: the server must stop cleanly (exit 0).
    async stop() {
      if (stopped) return exited;
      stopped = true;
      proc.kill('SIGINT');
      const result = await exited;
      fs.rmSync(tmp, { recursive: true, force: true });
      return result;
    },
  };
}

// A free TCP port on 127.0.0.1 (for a program that cannot be told to pick one).
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// nginx (Debian's) with the shipped deploy/nginx/handbook.conf, its listen address, root
// and upstream changed to `staticDir` and `upstreamUrl` (a `handbook serve`). Resolves
// with {url, stop, log} once it answers.
async function startNginx({ staticDir, upstreamUrl }) {
  const nginx = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-nginx-'));
  const upstream = new URL(upstreamUrl);
  let site = fs.readFileSync(path.join(root, 'deploy/nginx/handbook.conf'), 'utf8');
  for (const [from, to] of [['    listen 80;', `    listen 127.0.0.1:${port};`], ['    root /srv/handbook/static;', `    root ${staticDir};`],
    ['    server 127.0.0.1:8080;', `    server ${upstream.hostname}:${upstream.port};`]]) {
    if (!site.includes(from)) throw new Error(`deploy/nginx/handbook.conf has no '${from.trim()}' any more: update harness.js`);
    site = site.replace(from, to);
  }
  fs.writeFileSync(path.join(tmp, 'handbook.conf'), site);
  fs.writeFileSync(path.join(tmp, 'nginx.conf'), `
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
${process.getuid && process.getuid() === 0 ? 'user root;' : ''}
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${tmp}/access.log;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  include ${tmp}/handbook.conf;
}
`);
  const proc = spawn(nginx, ['-p', tmp, '-c', path.join(tmp, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => { running.delete(proc); resolve({ code, signal }); }));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; ++i) {
    try {
      await fetch(url + 'sw.js');
      break;
    } catch (e) {
      if (i > 100 || proc.exitCode !== null) throw new Error('nginx did not start: ' + log + (fs.existsSync(tmp + '/error.log') ? fs.readFileSync(tmp + '/error.log', 'utf8') : ''));
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    accessLog: () => (fs.existsSync(tmp + '/access.log') ? fs.readFileSync(tmp + '/access.log', 'utf8') : ''),
    async stop() {
      proc.kill('SIGQUIT');
      await exited;
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

// Chromium 156 preloads its address bar's suggestion popup, a WebUI page
// (chrome://omnibox-popup.top-chrome), in every new window, and each Playwright context
// is a new window: a renderer that evaluates about a second of chrome:// scripts right
// beside the page under test. No page sees it, but on this 2-core machine it takes a core
// while the app starts (bench/README.md, "CPU throttling"). Both features must be off.
const chromiumFeaturesOff = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

// Chromium reads only the last --disable-features switch, and Playwright passes its own
// list: ours replaces it with both lists. Playwright's is read from the command line of
// a first launch (it changes between Playwright versions).
let playwrightFeaturesOff = null;
async function disableFeaturesArg() {
  if (playwrightFeaturesOff === null) {
    const probe = await chromium.launchServer({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    playwrightFeaturesOff = probe.process().spawnargs.find((a) => a.startsWith('--disable-features=')) || '';
    await probe.close();
  }
  const theirs = playwrightFeaturesOff.slice('--disable-features='.length).split(',').filter(Boolean);
  return '--disable-features=' + [...theirs, ...chromiumFeaturesOff].join(',');
}

// Playwright gives the browser a fresh temporary profile (the notes' --user-data-dir),
// and each context its own storage, service workers and caches.
// `gpuProcess`: WebGL and compositing in Chromium's GPU process (SwiftShader there), as on
// a device with a graphics chip. Without it (the tests) the page composites in software on
// its own main thread, reading each canvas frame back: slower, but the set-up the notes
// verified on every machine.
async function launchBrowser(extraArgs = [], { gpuProcess = false } = {}) {
  const features = await disableFeaturesArg();
  const args = chromiumArgs.filter((a) => !(gpuProcess && a === '--disable-gpu'));
  return chromium.launch({
    executablePath: chromiumPath, headless: true, args: [...args, features, ...extraArgs],
    ignoreDefaultArgs: playwrightFeaturesOff ? [playwrightFeaturesOff] : [],
  });
}

// Runs `handbook <args>` to the end (an import into a running server's database, say),
// with `input` on its standard input if given (a password for `user add`); resolves with
// its exit code and output.
function runHandbook(args, input) {
  return new Promise((resolve) => {
    const proc = spawn(binary, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) proc.stdin.end(input);
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

// A copy of the bundled articles with `extra` appended to the body of article `slug`.
function articlesWith(slug, extra) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-articles-'));
  fs.cpSync(path.join(root, 'articles'), dir, { recursive: true });
  fs.appendFileSync(path.join(dir, slug + '.md'), '\n' + extra + '\n');
  return dir;
}

// Collects console errors and page errors, to assert that none happened (a CSP
// violation shows up here).
function watchConsole(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

async function screenshot(page, name) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, name + '.png');
  await page.screenshot({ path: file });
  return file;
}

// Resolves when the app reports ready (window.handbook.ready()).
async function waitForApp(page, timeout = 60000) {
  await page.waitForFunction(() => window.handbook && window.handbook.ready(), null, { timeout });
}

// The centre of the first widget whose label contains `text` (CSS px), or null.
async function widgetCentre(page, text) {
  const widgets = await page.evaluate(() => window.handbook.widgets());
  const w = widgets.find((x) => x.label === text) || widgets.find((x) => x.label && x.label.includes(text));
  return w ? { x: w.x + w.w / 2, y: w.y + w.h / 2, label: w.label } : null;
}

// Types `text` into the search box (its text selected first): found by role and name in
// the accessible twin, or clicked on the canvas where the twin is off (?twin=0).
async function typeInSearch(page, text) {
  if (await page.locator('#handbook-twin').count()) {
    await page.getByRole('textbox', { name: 'Search' }).focus();
  } else {
    const box = await widgetCentre(page, 'Search');
    await page.mouse.click(box.x, box.y);
  }
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

const slugOf = (hit) => (hit && typeof hit === 'object' ? hit.slug : hit);

// Waits until `predicate(arg)` holds in the page; on a timeout the error says what the
// app shows (screen, query, article, section, widgets' labels) instead of only "timeout".
async function waitUntil(page, predicate, arg, what, timeout = 15000) {
  try {
    await page.waitForFunction(predicate, arg, { timeout });
  } catch (e) {
    const shows = await page.evaluate(() => ({
      screen: window.handbook.screen(), query: window.handbook.query(), article: window.handbook.article(),
      section: window.handbook.section ? window.handbook.section() : '', hash: location.hash,
      labels: window.handbook.widgets().map((w) => w.label),
      editor: window.handbook.screen() === 'edit' ? window.handbook.editor() : undefined,
    })).catch(() => 'nothing (the page is gone)');
    throw new Error(`timed out waiting for ${what}; the app shows ${JSON.stringify(shows)}`);
  }
}

// One server and one browser for the tests of a suite (node:test's before/after of the
// suite this is called in); their handles are on the returned object.
function sharedServerAndBrowser({ before, after }) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.stop();
  });
  return env;
}

// Activates a twin control from the keyboard (Enter), as a keyboard or screen reader user.
async function press(locator, page) {
  await locator.focus();
  await page.keyboard.press('Enter');
}

// Signs `name` in through the app's sign-in screen (the accounts' shared test password).
const TEST_PASSWORD = 'correct horse battery staple';
async function signIn(page, url, name, password = TEST_PASSWORD) {
  await page.goto(url + '#/sign-in');
  await waitForApp(page);
  await page.getByRole('textbox', { name: 'User name' }).focus();
  await page.keyboard.type(name);
  await page.getByLabel('Password').focus();
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Account: ' + name }).waitFor({ timeout: 15000 });
}

// The server's JSON API as `name` (signed in with the test password): a function
// (method, path, body) resolving with {status, body}.
async function apiAs(url, name, password = TEST_PASSWORD) {
  const r = await fetch(url + 'api/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Handbook-Request': '1' },
    body: JSON.stringify({ user: name, password }),
  });
  if (r.status !== 200) throw new Error(`signing ${name} in through the API: ${r.status}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return async (method, path, body) => {
    const res = await fetch(url + path, {
      method, headers: { Cookie: cookie, 'Content-Type': 'application/json', 'X-Handbook-Request': '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
}

// The date `offsetDays` from today (UTC), YYYY-MM-DD; and as the app writes it ("17 Dec 2026").
function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
}
function displayDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
}

module.exports = {
  root, webDir, resultsDir, appMissingReason, startServer, launchBrowser, watchConsole, screenshot, waitForApp,
  widgetCentre, slugOf, runHandbook, articlesWith, waitUntil, sharedServerAndBrowser, startNginx, freePort, typeInSearch,
  press, signIn, TEST_PASSWORD, apiAs, isoDay, displayDay,
};
