// Many stores (issue 20): tablets read the app and the policies through nginx from the
// static tree `handbook serve --static-dir` keeps (immutable files named by their
// content, one signed pointer), while writes (sign-in, publishing) go through nginx to
// `handbook serve`. The shipped deploy/nginx/handbook.conf is the one run here.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const binary = process.env.HANDBOOK_BINARY || path.join(h.root, 'build/native/src/server/handbook');
const nginxMissing = fs.existsSync('/usr/sbin/nginx') ? false : 'nginx is not installed (scripts/setup.sh installs it)';
const skip = h.appMissingReason() || nginxMissing;

function addUser(dbPath, name, role, password) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['user', 'add', name, '--role', role, '--db', dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('user add: ' + out))));
    proc.stdin.end(password + '\n');
  });
}

// The JSON API as the app calls it, through nginx.
async function api(base, method, route, body, cookie) {
  const headers = { 'X-Handbook-Request': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(base + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { json = null; }
  return { status: res.status, json, text, cookie: (res.headers.get('set-cookie') || '').split(';')[0] };
}

async function waitForFile(file, timeout = 20000) {
  const start = Date.now();
  while (!fs.existsSync(file)) {
    if (Date.now() - start > timeout) throw new Error('no ' + file);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Many stores: tablets read a static tree through nginx, writes go to handbook serve', { skip: skip || false }, () => {
  let browser, server, nginx, staticDir;
  before(async () => {
    browser = await h.launchBrowser();
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-static-'));
    fs.chmodSync(staticDir, 0o755);  // nginx's workers read it
    server = await h.startServer({ extra: ['--static-dir', staticDir] });
    await waitForFile(path.join(staticDir, 'content/latest'));
    nginx = await h.startNginx({ staticDir, upstreamUrl: server.url });
  });
  after(async () => {
    if (nginx) await nginx.stop();
    if (server) await server.stop();
    if (browser) await browser.close();
    if (staticDir) fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('a tablet starts from the static files, and picks up a publish made through the API', async () => {
    // What a CDN sees: the app under v/<version>/ and the content files are immutable, the
    // pointer short-lived, the way in revalidated.
    const index = await fetch(nginx.url);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const page0 = await index.text();
    assert.match(page0, /<meta name="handbook-content" content="static">/);
    assert.match(page0, /<meta name="handbook-key" content="ed25519:[A-Za-z0-9_-]{43}">/);
    const version = /name="handbook-version" content="([0-9a-f]{16})"/.exec(page0)[1];
    const wasm = await fetch(nginx.url + `v/${version}/handbook.wasm`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const latest = await fetch(nginx.url + 'content/latest');
    assert.equal(latest.headers.get('cache-control'), 'public, max-age=30');
    const pointer = JSON.parse((await latest.text()).split('\n').slice(1).join('\n'));
    const page1 = await fetch(nginx.url + pointer.pages[0].file);
    assert.equal(page1.headers.get('cache-control'), 'public, max-age=31536000, immutable');

    const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors = h.watchConsole(page);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(nginx.url);
    await h.waitForApp(page);
    await page.waitForFunction(() => window.handbook.sync().confirmedAt !== '', null, { timeout: 30000 });
    assert.ok(requests.includes('/content/latest'), requests.join(' '));
    assert.ok(requests.includes('/' + pointer.snapshot.file), 'the library came from the static tree: ' + requests.join(' '));
    // (The app's "who is signed in" question, GET /api/session, is not content: it goes to the server.)
    assert.deepEqual(requests.filter((r) => r.startsWith('/api/') && !r.startsWith('/api/session')), [],
      'no content request reached handbook serve');
    assert.equal((await page.evaluate(() => window.handbook.sync())).message, 'Up to date');
    // A write the app makes from the page (a search that found nothing, which needs no
    // sign-in) passes nginx with the page's own Origin: nginx on a port of its own once
    // forwarded the Host without it, and the server refused every such write as cross-site.
    const miss = await page.evaluate(() => fetch('api/search-misses', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Handbook-Request': '1' },
      body: JSON.stringify({ id: 'd-static-e2e-miss', query: 'zorbonian', kind: 'no_results', searched_at: new Date().toISOString() }),
    }).then(async (r) => ({ status: r.status, text: await r.text() })));
    assert.equal(miss.status, 200, miss.text);

    // A policy owner publishes through nginx: sign-in, draft, submit, publish (handbook serve).
    await addUser(server.dbPath, 'ana', 'admin', 'a long passphrase');
    const signIn = await api(nginx.url, 'POST', 'api/session', { user: 'ana', password: 'a long passphrase' });
    assert.equal(signIn.status, 200, signIn.text);
    const cookie = signIn.cookie;
    assert.equal((await api(nginx.url, 'PUT', 'api/settings', { self_approval: true }, cookie)).status, 200);
    const versions = await api(nginx.url, 'GET', 'api/articles/refund-windows/versions', undefined, cookie);
    const newest = versions.json.versions ? versions.json.versions[0] : versions.json[0];
    const live = (await api(nginx.url, 'GET', `api/articles/refund-windows/versions/${newest.version}`, undefined, cookie)).json;
    const article = live.article || live;
    const draft = await api(nginx.url, 'POST', 'api/drafts', {
      slug: 'refund-windows', title: article.title, category: article.category, tags: article.tags, owner: article.owner,
      effective: article.effective, review_by: article.review_by,
      body: article.body + '\n\nA quokka plush toy may be returned within 90 days.\n',
      base_version: newest.version, client_id: 'static-e2e-1',
    }, cookie);
    assert.equal(draft.status, 201, draft.text);
    const id = draft.json.id || (draft.json.draft && draft.json.draft.id);
    assert.equal((await api(nginx.url, 'POST', `api/drafts/${id}/submit`, { summary: 'Quokkas', must_acknowledge: false }, cookie)).status, 200);
    const today = new Date().toISOString().slice(0, 10);
    const published = await api(nginx.url, 'POST', `api/drafts/${id}/publish`, { effective: today, must_acknowledge: false }, cookie);
    assert.equal(published.status, 200, published.text);

    // The server rewrites the static tree; the tablet's next check finds it through nginx.
    const before = requests.length;
    const box = await h.widgetCentre(page, 'Search');
    await page.touchscreen.tap(box.x, box.y);
    await page.keyboard.insertText('quokka');
    await page.waitForFunction(() => {
      window.dispatchEvent(new Event('online'));
      const first = window.handbook.hits()[0];
      return (first && typeof first === 'object' ? first.slug : first) === 'refund-windows';
    }, null, { timeout: 30000, polling: 1000 });
    const later = requests.slice(before);
    assert.ok(later.some((r) => r.startsWith('/content/feed/')), 'the new page came from the static tree: ' + later.join(' '));
    assert.deepEqual(later.filter((r) => r.startsWith('/api/feed') || r.startsWith('/api/snapshot')), []);
    assert.match(nginx.accessLog(), /GET \/content\/latest/);
    await h.screenshot(page, 'static-through-nginx-820x1180');
    assert.deepEqual(errors.filter((e) => !/Handbook: /.test(e)), []);
    await context.close();
  });
});
