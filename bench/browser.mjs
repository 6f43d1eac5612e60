// The app in a real browser: download size, time to the first search result, and frame
// times while typing. Runs against a `handbook serve` of the bundled articles with the web
// app in build/web (the same server and Chromium set-up as the e2e tests: harness.js).
//   node bench/browser.mjs OUT.json [--runs 5] [--typing-runs 3] [--throttle 4]
//   node bench/browser.mjs OUT.json --twin-cost [--rounds 4]   (the accessible twin on against off, typing)
//   node bench/browser.mjs OUT.json --editor-latency [--rounds 3]   (key to drawn frame in the editor, longest policy)
//   node bench/browser.mjs OUT.json --reference [--runs 5]   (first result only, against the reference page, interleaved)
//   node bench/browser.mjs OUT.json --trace [--runs 3]   (first visits traced: where the time goes, phase by phase)
//   node bench/browser.mjs OUT.json --compare SHELL_DIR[:WEB_DIR] [--runs 8]   (first results against another build, in turns)
// Needs build/native (the handbook program) and build/web (the app): scripts/build.sh all.
// What each figure means is in bench/README.md ("In the browser").
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const h = require('../tests/e2e/harness.js');

const args = process.argv.slice(2);
const outPath = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
if (!outPath) {
  console.error('usage: node bench/browser.mjs OUT.json [--runs 5] [--typing-runs 3] [--throttle 4]');
  process.exit(2);
}
const runs = Number(option('runs', 5));
const typingRuns = Number(option('typing-runs', 3));
const throttleRate = Number(option('throttle', 4));
// A deep link a member of staff would open (the e2e tests' misspelled query), and a query
// typed the way staff type it: lower case, words of a policy question.
const deepLinkQuery = option('query', 'refnd no reciept');
const typedQuery = option('typed', 'damaged parcel refund');
// Time between keystrokes: about 8 characters a second, a brisk typist. Each keystroke
// also waits for its result frame, so a slow app is measured, not overrun.
const keyIntervalMs = Number(option('key-interval', 125));
const say = (m) => console.error('browser bench: ' + m);

const missing = h.appMissingReason();
if (missing) {
  console.error('browser bench: ' + missing);
  process.exit(1);
}

// --- 1. Download size ---------------------------------------------------------------

// One GET, body bytes as they arrive on the wire (node:http does not decompress).
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function measureFile(base, urlPath, group) {
  const plain = await get(base + urlPath);
  if (plain.status !== 200) throw new Error(`GET ${urlPath}: HTTP ${plain.status}`);
  const sent = await get(base + urlPath, { 'Accept-Encoding': 'gzip' });
  return {
    path: urlPath,
    group,
    raw_bytes: plain.body.length,
    gzip9_bytes: zlib.gzipSync(plain.body, { level: 9 }).length,
    served_gzip_bytes: sent.body.length,
    served_encoding: sent.headers['content-encoding'] || 'identity',
  };
}

// The JSON body of a signed file (src/core/signed_file.h: one line of statement, then the body).
const signedJson = (text) => JSON.parse(text.slice(text.indexOf('\n') + 1));

async function measureDownload(base) {
  const files = [];
  for (const name of ['handbook.wasm', 'handbook.js', 'handbook.data']) files.push(await measureFile(base, '/' + name, 'app'));
  // Every file of the shell folder (index.html is what "/" serves).
  const shellDir = path.join(h.root, 'web');
  const shellFiles = fs.readdirSync(shellDir, { recursive: true })
    .filter((f) => fs.statSync(path.join(shellDir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
  for (const f of shellFiles) files.push(await measureFile(base, f === 'index.html' ? '/' : '/' + f, 'shell'));
  // The content a first visit downloads: the library as one database file, then the
  // change feed after its position (every page of it; nothing, unless it moved since).
  const snapshot = await measureFile(base, '/api/snapshot', 'content');
  files.push(snapshot);
  let after = Number((await get(base + '/api/snapshot')).headers['x-handbook-feed-position'] || 0);
  for (let page = 0; page < 100; ++page) {
    const f = await measureFile(base, `/api/feed?after=${after}`, 'content');
    files.push(f);
    const feed = signedJson((await get(base + f.path)).body.toString('utf8'));
    if (!feed.more) break;
    after = feed.latest;
  }
  const sum = (list, key) => list.reduce((s, f) => s + f[key], 0);
  const total = (list) => ({ raw_bytes: sum(list, 'raw_bytes'), gzip9_bytes: sum(list, 'gzip9_bytes'), served_gzip_bytes: sum(list, 'served_gzip_bytes') });
  const withoutContent = files.filter((f) => f.group !== 'content');
  return {
    files,
    app: total(files.filter((f) => f.group === 'app')),
    shell: total(files.filter((f) => f.group === 'shell')),
    content: total(files.filter((f) => f.group === 'content')),
    without_content: total(withoutContent),
    with_content: total(files),
  };
}

// --- 2 and 3: in the browser ------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};
// Nearest rank, as the search benchmark does.
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : null;
};
const round = (x) => (x == null ? null : Math.round(x * 10) / 10);

// Installed before any page script: watches the app's test hook once per animation frame
// and notes the first frame whose published state shows search hits. The app publishes
// its state at the end of each frame it draws, and only lists hits that frame laid out,
// so hits in the state mean a frame with them has been drawn; this check runs in the
// same or the next animation frame (at most one frame interval late).
function firstResultProbe() {
  let found;
  window.__hbBench = { firstResult: null, ready: null, found: new Promise((resolve) => { found = resolve; }) };
  const poll = () => {
    const app = window.handbook;
    const now = performance.now();
    if (app && window.__hbBench.ready == null && app.ready()) window.__hbBench.ready = now;
    if (app && app.screen() === 'search' && app.hits().length > 0) {
      window.__hbBench.firstResult = now;
      performance.mark('bench: first result');  // where it falls in a trace (--trace)
      window.__hbBench.hits = app.hits();
      window.__hbBench.frames = app.frames();
      found(true);
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

// Resolves with the value of a promise in the page, awaited through the DevTools protocol
// rather than with Playwright's page-side helpers (page.waitForFunction): those first
// put about 330 KB of Playwright's own script into the page, which on a throttled CPU
// holds the main thread for 45-65 ms in the middle of the start-up being timed (seen in
// a trace), and then poll in the page.
async function awaitInPage(cdp, expression, what, timeoutMs = 120000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const answer = await Promise.race([timeout, cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })]);
    if (answer.exceptionDetails) throw new Error(`${what}: ${JSON.stringify(answer.exceptionDetails)}`);
    return answer.result.value;
  } finally {
    clearTimeout(timer);
  }
}

// The probe times the result in the page, so when the wait begins does not matter: it
// begins once the page has loaded, so the expression runs in the new document.
async function waitForFirstResult(page, cdp) {
  await page.waitForLoadState('load', { timeout: 120000 });
  if (await awaitInPage(cdp, 'window.__hbBench.found', 'first result') !== true) throw new Error('the first-result probe failed');
}

// A fixed amount of JavaScript work, timed in the page: shows that the CPU throttling is
// in force on the page that was measured (about `rate` times the unthrottled time).
async function cpuCheck(page) {
  return page.evaluate(() => {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 3e6; ++i) x = (x * 31 + i) % 1000003;
    return { ms: performance.now() - t0, x };
  }).then((r) => r.ms);
}

// The machine's own speed just before a first-visit run, outside the browser: this VM's
// cores slow down by up to ~40% for minutes at a time, which the throttled start-up feels
// several times over (bench/README.md, "How the throttling works"). A fixed loop on one
// thread, then on two threads started together (both cores busy, as in a start-up:
// the page's main thread and everything beside it), timed in each thread.
const fixedLoop = `
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 2e7; ++i) x = (x * 31 + i) % 1000003;
  return { ms: performance.now() - t0, x };`;

// The loop on `threads` worker threads at once (each away from the Node thread that
// drives the browser), timed in each; the slowest.
function loopOnThreads(threads) {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const source = `const { workerData, parentPort } = require('node:worker_threads');
    Atomics.add(workerData.gate, 0, 1);
    while (Atomics.load(workerData.gate, 0) < workerData.threads) {}  // all start together
    parentPort.postMessage((() => {${fixedLoop}})().ms);`;
  const one = () => new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { gate, threads } });
    worker.once('message', (ms) => worker.terminate().then(() => resolve(ms)));
    worker.once('error', reject);
  });
  return Promise.all(Array.from({ length: threads }, one)).then((times) => Math.max(...times));
}

async function machineCheck() {
  return { one_thread_ms: await loopOnThreads(1), two_threads_ms: await loopOnThreads(2) };
}

async function newPage(browser, rate) {
  // A fresh context: empty HTTP cache, no service worker, no IndexedDB from earlier runs.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = h.watchConsole(page);
  // Set on the page's own DevTools session before it navigates.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return { context, page, errors, cdp };
}

async function firstResultRun(browser, base, rate) {
  const { context, page, errors, cdp } = await newPage(browser, rate);
  await context.addInitScript(firstResultProbe);
  await page.goto(base + '#/search/' + encodeURIComponent(deepLinkQuery), { waitUntil: 'commit' });
  await waitForFirstResult(page, cdp);
  const r = await page.evaluate(() => {
    const at = (suffix) => {
      const e = performance.getEntriesByType('resource').find((x) => new URL(x.name).pathname.endsWith(suffix));
      return e ? e.responseEnd : null;
    };
    const start = (suffix) => {
      const e = performance.getEntriesByType('resource').find((x) => new URL(x.name).pathname.endsWith(suffix));
      return e ? e.startTime : null;
    };
    return {
      first_result_ms: window.__hbBench.firstResult, ready_ms: window.__hbBench.ready, hits: window.__hbBench.hits,
      frames: window.__hbBench.frames, wasm_loaded_ms: at('/handbook.wasm'), data_loaded_ms: at('/handbook.data'),
      snapshot_requested_ms: start('/api/snapshot'), snapshot_loaded_ms: at('/api/snapshot'),
      feed_requested_ms: start('/api/feed'), feed_loaded_ms: at('/api/feed'),
    };
  });
  r.cpu_check_ms = await cpuCheck(page);
  await context.close();
  if (errors.length) throw new Error('console errors: ' + errors.join('; '));
  return r;
}

// A returning visit, as a store tablet starts the app every day after the first: the app
// and the library are on the device already (service worker cache, IndexedDB). A first
// visit, unthrottled, until the service worker controls the page and the library is kept
// on the device; then a second page of the same browser context, throttled at `rate`,
// opens the same deep link, timed from its navigation as on a first visit.
async function returningResultRun(browser, base, rate) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const first = await context.newPage();
  const firstErrors = h.watchConsole(first);
  await first.goto(base + '#/');
  await h.waitForApp(first, 120000);
  await first.waitForFunction(() => navigator.serviceWorker.controller && localStorage.getItem('handbook.stored') === '1',
    null, { timeout: 120000 });
  await first.close();
  await context.addInitScript(firstResultProbe);
  const page = await context.newPage();
  const errors = h.watchConsole(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(base + '#/search/' + encodeURIComponent(deepLinkQuery), { waitUntil: 'commit' });
  await waitForFirstResult(page, cdp);
  const r = await page.evaluate(() => ({
    first_result_ms: window.__hbBench.firstResult,
    hits: window.__hbBench.hits,
    // Nothing of the app or the library from the network: all from the device.
    snapshot_asked: performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname.endsWith('/api/snapshot')),
    controlled: navigator.serviceWorker.controller != null,
  }));
  r.cpu_check_ms = await cpuCheck(page);
  await context.close();
  if (firstErrors.length || errors.length) throw new Error('console errors: ' + [...firstErrors, ...errors].join('; '));
  if (r.snapshot_asked || !r.controlled) throw new Error('the returning visit did not start from the device: ' + JSON.stringify(r));
  return r;
}

// Records every animation frame (timestamps) while typing, and for each keystroke the
// time from its keydown to the first animation frame after the app has drawn the results
// for the text typed so far (its published query is that text and it has drawn a frame
// since the key).
function typingProbe() {
  const b = window.__hbType = { frameTimes: [], keys: [], pending: null, recording: true };
  window.addEventListener('keydown', () => {
    if (b.pending && b.pending.keyAt == null) {
      b.pending.keyAt = performance.now();
      b.pending.framesAtKey = window.handbook.frames();
    }
  }, true);
  const loop = (t) => {
    if (!b.recording) return;
    b.frameTimes.push(t);
    const p = b.pending;
    if (p && p.keyAt != null) {
      const app = window.handbook;
      const q = app.query();
      if (app.frames() > p.framesAtKey && (q === p.text || q === p.text.trim())) {
        b.keys.push({ text: p.text, ms: performance.now() - p.keyAt, hits: app.hits().length, app_frames: app.frames() - p.framesAtKey });
        b.pending = null;
        p.drawn(true);
      }
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

async function typingRun(browser, base, rate, pageQuery = '') {
  const { context, page, errors, cdp } = await newPage(browser, rate);
  await page.goto(base + pageQuery + '#/');
  await h.waitForApp(page, 120000);
  await page.locator('#loading').waitFor({ state: 'hidden' });
  await page.waitForTimeout(500);  // let start-up work (service worker, saving) settle
  await page.evaluate(typingProbe);
  // The main thread's busy time (DevTools' TaskDuration, seconds) and the frames the app
  // drew, over the typing: what each drawn frame cost the page.
  await cdp.send('Performance.enable');
  const metric = async (name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name).value;
  const taskBefore = await metric('TaskDuration');
  const framesBefore = await page.evaluate(() => window.handbook.frames());
  for (let i = 1; i <= typedQuery.length; ++i) {
    const text = typedQuery.slice(0, i);
    await page.evaluate((t) => {
      const p = { text: t, keyAt: null };
      p.done = new Promise((resolve) => { p.drawn = resolve; });
      window.__hbType.pending = p;
    }, text);
    const sent = Date.now();
    await page.keyboard.type(typedQuery[i - 1]);
    // Awaited through the protocol, not by polling the page (a poll every 10 ms is work on
    // the main thread being timed).
    await awaitInPage(cdp, 'window.__hbType.pending && window.__hbType.pending.done', `the results for "${text}"`, 30000);
    const left = keyIntervalMs - (Date.now() - sent);
    if (left > 0) await page.waitForTimeout(left);
  }
  const taskMs = (await metric('TaskDuration') - taskBefore) * 1000;
  const appFrames = await page.evaluate(() => window.handbook.frames()) - framesBefore;
  const r = await page.evaluate(() => {
    const b = window.__hbType;
    b.recording = false;
    return { frameTimes: b.frameTimes, keys: b.keys, hits: window.handbook.hits() };
  });
  r.cpu_check_ms = await cpuCheck(page);
  await context.close();
  if (errors.length) throw new Error('console errors: ' + errors.join('; '));
  const intervals = r.frameTimes.slice(1).map((t, i) => t - r.frameTimes[i]);
  return { intervals, keys: r.keys, final_hits: r.hits, cpu_check_ms: r.cpu_check_ms, task_ms: taskMs, app_frames: appFrames };
}

// The accessible twin's cost while typing (issue 17: at most a tenth of a frame): typing
// runs with the twin on and off (?twin=0), interleaved in one run so machine drift hits
// both alike; the main thread's busy time per frame the app drew, on against off.
async function twinCost(browser, base, rounds) {
  const on = [], off = [];
  for (let i = 0; i < rounds; ++i) {
    for (const twin of i % 2 === 0 ? [true, false] : [false, true]) {
      say(`typing "${typedQuery}" with the twin ${twin ? 'on' : 'off'}, round ${i + 1}/${rounds}`);
      const r = await typingRun(browser, base, 1, twin ? '' : '?twin=0');
      (twin ? on : off).push({ task_ms: round(r.task_ms), app_frames: r.app_frames, per_frame_ms: r.task_ms / r.app_frames,
        key_to_frame_p50_ms: round(percentile(r.keys.map((k) => k.ms), 50)) });
    }
  }
  const perFrameOn = median(on.map((r) => r.per_frame_ms)), perFrameOff = median(off.map((r) => r.per_frame_ms));
  const frameMs = 1000 / 60;
  return {
    rounds, query: typedQuery, key_interval_ms: keyIntervalMs,
    main_thread_per_app_frame_on_ms: round(perFrameOn),
    main_thread_per_app_frame_off_ms: round(perFrameOff),
    twin_cost_per_frame_ms: round(perFrameOn - perFrameOff),
    twin_cost_of_a_60hz_frame: Math.round((perFrameOn - perFrameOff) / frameMs * 1000) / 1000,
    twin_cost_of_the_frames_own_time: Math.round((perFrameOn - perFrameOff) / perFrameOff * 1000) / 1000,
    key_to_frame_p50_on_ms: median(on.map((r) => r.key_to_frame_p50_ms)),
    key_to_frame_p50_off_ms: median(off.map((r) => r.key_to_frame_p50_ms)),
    on: on.map((r) => ({ ...r, per_frame_ms: round(r.per_frame_ms) })),
    off: off.map((r) => ({ ...r, per_frame_ms: round(r.per_frame_ms) })),
  };
}

// Key to drawn frame in the policy editor (issue 18: p95 within one 60 Hz frame,
// unthrottled), typing at the end of the longest bundled policy. An editor is made with
// `handbook user add`; each key's time runs from the page's keydown (capture phase) to
// the end of the app's frame that drew the text with that key in it, and its frames count
// the animation frames from the key to that one (1: drawn in the next frame).
async function editorLatency(browser, base, rounds, dbPath) {
  const slug = fs.readdirSync(path.join(h.root, 'articles')).filter((f) => f.endsWith('.md'))
    .map((f) => ({ f, size: fs.statSync(path.join(h.root, 'articles', f)).size })).sort((a, b) => b.size - a.size)[0].f.replace(/\.md$/, '');
  const made = await h.runHandbook(['user', 'add', 'bench-editor', '--role', 'editor', '--db', dbPath], 'bench editor password 1\n');
  if (made.code !== 0 && !/already an account/.test(made.out)) throw new Error(made.out);
  const text = 'The customer may return the item within thirty days. ';
  const all = [], ticks = [], perFrame = [];
  for (let round = 0; round < rounds; ++round) {
    say(`typing in the editor of "${slug}", round ${round + 1}/${rounds}`);
    const { context, page, errors, cdp } = await newPage(browser, 1);
    await page.goto(base + '#/sign-in');
    await h.waitForApp(page, 120000);
    await page.getByRole('textbox', { name: 'User name' }).focus();
    await page.keyboard.type('bench-editor');
    await page.getByLabel('Password').focus();
    await page.keyboard.type('bench editor password 1');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Account: bench-editor' }).waitFor({ timeout: 30000 });
    await page.goto(base + '#/edit/' + slug);
    await page.waitForFunction(() => window.handbook.screen() === 'edit' && window.handbook.editor().body.length > 0);
    await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
    await page.keyboard.press('Control+End');
    await page.waitForTimeout(500);
    await page.evaluate(() => {
      const b = { keyAt: null, length: window.handbook.editor().body.length, times: [], keys: [], ticks: [], done: null };
      window.__hbEdit = b;
      document.addEventListener('keydown', () => { b.keyAt = performance.now(); }, true);
      // Each animation frame's start (the time every callback of that frame is given).
      const loop = (t) => { b.ticks.push(t); requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
      // The app hands the test hook its state at the end of each frame it draws: that is
      // when the frame with the key is drawn. The animation frames that started between the
      // key and then are counted at the end: 1 is the next frame after the key.
      const hook = Module.hbState;
      let frame = hook.frame;
      Object.defineProperty(hook, 'frame', { configurable: true, get: () => frame, set: (v) => {
        frame = v;
        if (b.keyAt == null) return;
        const len = window.handbook.editor().body.length;
        if (len <= b.length) return;
        const now = performance.now();
        b.times.push(now - b.keyAt);
        b.keys.push([b.keyAt, now]);
        b.keyAt = null;
        b.length = len;
        if (b.done) b.done();
      } });
    });
    // The main thread's busy time (DevTools' TaskDuration) per frame the app drew, over
    // the typing: the app's own share of a frame, apart from waiting for the screen.
    await cdp.send('Performance.enable');
    const metric = async (name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name).value;
    const taskBefore = await metric('TaskDuration');
    const framesBefore = await page.evaluate(() => window.handbook.frames());
    for (const ch of text) {
      await page.evaluate(() => { window.__hbEdit.wait = new Promise((r) => { window.__hbEdit.done = r; }); });
      const sent = Date.now();
      await page.keyboard.type(ch);
      await awaitInPage(cdp, 'window.__hbEdit.wait', 'the key drawn', 30000);
      const left = keyIntervalMs - (Date.now() - sent);
      if (left > 0) await page.waitForTimeout(left);
    }
    const taskMs = (await metric('TaskDuration') - taskBefore) * 1000;
    const appFrames = await page.evaluate(() => window.handbook.frames()) - framesBefore;
    perFrame.push(taskMs / appFrames);
    ticks.push(...(await page.evaluate(() => window.__hbEdit.keys.map(([key, drawn]) =>
      window.__hbEdit.ticks.filter((t) => t > key && t <= drawn).length))));
    all.push(...(await page.evaluate(() => window.__hbEdit.times)));
    await context.close();
    if (errors.filter((e) => !/401/.test(e)).length) throw new Error('console errors: ' + errors.join('; '));
  }
  return {
    article: slug, bytes: fs.statSync(path.join(h.root, 'articles', slug + '.md')).size, rounds, keystrokes: all.length,
    key_interval_ms: keyIntervalMs,
    key_to_frame_p50_ms: round(percentile(all, 50)), key_to_frame_p95_ms: round(percentile(all, 95)),
    key_to_frame_max_ms: round(Math.max(...all)),
    // Drawn in the first animation frame after the key (the frame the screen shows next).
    keys_in_next_frame: Math.round(ticks.filter((t) => t <= 1).length / ticks.length * 1000) / 1000,
    frames_to_draw_p95: percentile(ticks, 95),
    main_thread_per_app_frame_ms: round(median(perFrame)),
  };
}

// --- The reference page (issue 22) ----------------------------------------------------
// The same job done the plainest way the web offers, as a yardstick that moves with the
// machine: a DOM page downloads the same published articles (the feed's JSON, gzipped
// as `handbook serve` sends it), indexes them with MiniSearch (fuzzy and prefix search,
// as a JavaScript site search would), searches the same deep link's query and draws the
// first ten hits. Its first result is timed like Handbook's: at the animation frame after
// the one that drew it. Handbook's time is then reported as a ratio to it, run beside it
// in the same browser, so a slow phase of the machine slows both.

async function startReferenceServer(base) {
  const feed = (await get(base + 'api/feed?after=0')).body.toString('utf8');
  const page = signedJson(feed);
  const articles = page.changes.filter((c) => c.kind === 'article' && c.article.status === 'published')
    .map((c) => ({ id: c.article.slug, title: c.article.title, body: c.article.body }));
  const files = {
    '/articles.json': { type: 'application/json', body: zlib.gzipSync(JSON.stringify(articles), { level: 6 }), gzip: true },
    '/minisearch.js': { type: 'text/javascript', body: zlib.gzipSync(fs.readFileSync(path.join(path.dirname(require.resolve('minisearch')), '..', 'umd', 'index.js')), { level: 6 }), gzip: true },
    '/': { type: 'text/html', body: Buffer.from(referencePageHtml()), gzip: false },
  };
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(req.url === '/favicon.ico' ? 204 : 404); res.end(); return; }  // no icon: not an error
    res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store', ...(f.gzip ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(f.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, articles: articles.length, close: () => new Promise((r) => server.close(r)) };
}

function referencePageHtml() {
  return String.raw`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reference search</title>
<style>body{font:16px system-ui,sans-serif;margin:24px auto;max-width:760px}li{margin:12px 0}p{margin:4px 0;color:#444}</style>
<script src="/minisearch.js"></script></head><body><input id="q" size="40"><ol id="hits"></ol><script>
(async () => {
  const query = decodeURIComponent(location.hash.replace(/^#\/search\//, ''));
  document.getElementById('q').value = query;
  const articles = await (await fetch('/articles.json')).json();
  const index = new MiniSearch({ fields: ['title', 'body'], storeFields: ['title', 'body'],
    searchOptions: { fuzzy: 0.2, prefix: true, boost: { title: 2 }, combineWith: 'OR' } });
  index.addAll(articles);
  const hits = index.search(query).slice(0, 10);
  const list = document.getElementById('hits');
  for (const hit of hits) {
    const li = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = hit.title;
    const passage = document.createElement('p');
    const words = hit.terms.map((t) => t.toLowerCase());
    const para = hit.body.split(/\n\n+/).find((p) => words.some((w) => p.toLowerCase().includes(w))) || hit.body;
    passage.textContent = para.slice(0, 240);
    li.append(title, passage);
    list.append(li);
  }
  requestAnimationFrame(() => { window.__refBench = { firstResult: performance.now(), hits: hits.map((x) => x.id) }; });
})();
</script></body></html>`;
}

async function referenceRun(browser, url, rate) {
  const { context, page, errors, cdp } = await newPage(browser, rate);
  await page.goto(url + '#/search/' + encodeURIComponent(deepLinkQuery), { waitUntil: 'commit' });
  await page.waitForLoadState('load', { timeout: 120000 });
  const r = await awaitInPage(cdp, `new Promise((resolve) => { const poll = () => window.__refBench ? resolve(window.__refBench)
    : setTimeout(poll, 5); poll(); })`, 'reference first result', 60000).catch((e) => {
    throw new Error(e.message + (errors.length ? ' (the page said: ' + errors.join('; ') + ')' : ''));
  });
  r.cpu_check_ms = await cpuCheck(page);
  await context.close();
  if (errors.length) throw new Error('console errors on the reference page: ' + errors.join('; '));
  return { first_result_ms: r.firstResult, hits: r.hits, cpu_check_ms: r.cpu_check_ms };
}

// Handbook's first visit and the reference page's, alternately, `runs` times each.
async function againstReference(browser, base, reference, rate) {
  const handbook = [], plain = [];
  for (let i = 0; i < runs; ++i) {
    say(`first result against the reference, ${rate > 1 ? rate + 'x' : 'unthrottled'}, run ${i + 1}/${runs}`);
    handbook.push(await firstResultRun(browser, base, rate));
    plain.push(await referenceRun(browser, reference.url, rate));
  }
  const hb = handbook.map((r) => r.first_result_ms), ref = plain.map((r) => r.first_result_ms);
  return {
    cpu_throttling_rate: rate,
    handbook_median_ms: round(median(hb)),
    reference_median_ms: round(median(ref)),
    ratio_of_medians: round(median(hb) / median(ref)),
    ratio_each: hb.map((x, i) => round(x / ref[i])),
    handbook_each_ms: hb.map(round),
    reference_each_ms: ref.map(round),
    reference_first_hits: plain[0].hits.slice(0, 3),
    handbook_first_hits: handbook[0].hits.slice(0, 3),
  };
}

// --- Another build against this one (--compare) -------------------------------------------
// First visits to this build and to another (its shell folder, and optionally its folder of
// handbook.js/.wasm/.data), served side by side by the same handbook program and taken in
// turns, the order swapped every run, in one browser: how a start-up change is judged on a
// machine whose speed drifts by more than most changes are worth (bench/README.md).
async function againstBuild(browser, base, other, rate) {
  const mine = [], theirs = [];
  for (let i = 0; i < runs; ++i) {
    say(`first result against ${other.label}, ${rate > 1 ? rate + 'x' : 'unthrottled'}, run ${i + 1}/${runs}`);
    const pair = i % 2 ? [other.url, base] : [base, other.url];
    const first = await firstResultRun(browser, pair[0], rate), second = await firstResultRun(browser, pair[1], rate);
    mine.push(i % 2 ? second.first_result_ms : first.first_result_ms);
    theirs.push(i % 2 ? first.first_result_ms : second.first_result_ms);
  }
  return {
    cpu_throttling_rate: rate,
    this_build_median_ms: round(median(mine)),
    other_build_median_ms: round(median(theirs)),
    this_build_faster_in: mine.filter((x, i) => x < theirs[i]).length + ' of ' + runs,
    this_build_each_ms: mine.map(round),
    other_build_each_ms: theirs.map(round),
  };
}

// --- Where a first visit's time goes (issue 22) -----------------------------------------
// One first visit recorded with Chromium's performance trace (the DevTools protocol's
// Tracing domain), read back into phases: the page's own marks ("handbook: main",
// "handbook: library arrived", ... from src/web, performance.mark) and, within each, the
// time the page's thread spent compiling wasm functions on their first call (V8 compiles
// lazily: wasm.CompileLazy) and waiting for the GPU process (ImplementationBase::WaitForCmd).
const traceCategories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'blink.user_timing',
  'loading', 'gpu', 'toplevel', 'IndexedDB'];

async function tracedFirstVisit(browser, base, rate) {
  const { context, page, errors, cdp } = await newPage(browser, rate);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => { for (const x of e.value) events.push(x); });
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: traceCategories }, transferMode: 'ReportEvents' });
  await context.addInitScript(firstResultProbe);
  await page.goto(base + '#/search/' + encodeURIComponent(deepLinkQuery), { waitUntil: 'commit' });
  await waitForFirstResult(page, cdp);
  const firstResult = await page.evaluate(() => window.__hbBench.firstResult);
  await cdp.send('Tracing.end');
  await complete;
  await context.close();
  if (errors.length) throw new Error('console errors: ' + errors.join('; '));
  return { events, first_result_ms: firstResult };
}

// The trace's events read as the page's phases up to its first result (times from the
// navigation, in ms).
function traceBreakdown(events, firstResultMs) {
  const lazy = events.filter((e) => e.name === 'wasm.CompileLazy');
  if (!lazy.length) throw new Error('the trace has no lazily compiled wasm: is this the app?');
  const { pid, tid } = lazy[0];
  const onPage = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X');
  const marks = events.filter((e) => e.pid === pid && typeof e.name === 'string' && e.name.startsWith('handbook: ') && e.ph !== 'e');
  const found = events.find((e) => e.pid === pid && e.name === 'bench: first result' && e.ph !== 'e');
  if (!found) throw new Error('the trace has no "bench: first result" mark');
  // The page's clock (performance.now) in the trace's: the mark was made at firstResultMs.
  const first = found.ts;
  const t0 = first - firstResultMs * 1000;
  const instantiated = events.find((e) => e.pid === pid && e.name === 'wasm.InstanceBuilder.Build' && e.ts > t0);
  const points = [['page and app files in, wasm compiled and instantiated', instantiated.ts]]
    .concat(marks.filter((m) => m.ts < first).map((m) => [m.name.replace('handbook: ', ''), m.ts]))
    .concat([['first result seen (next animation frame)', first]])
    .sort((a, b) => a[1] - b[1]);
  const within = (from, to, name) => onPage.filter((e) => e.name === name && e.ts >= from && e.ts < to)
    .reduce((sum, e) => sum + Math.min(e.dur, to - e.ts), 0) / 1000;
  const phases = [];
  let from = t0;
  for (const [name, ts] of points) {
    phases.push({ to: name, at_ms: round((ts - t0) / 1000), took_ms: round((ts - from) / 1000),
      wasm_compile_ms: round(within(from, ts, 'wasm.CompileLazy')), gpu_wait_ms: round(within(from, ts, 'ImplementationBase::WaitForCmd')) });
    from = ts;
  }
  const compiled = events.filter((e) => e.name === 'wasm.CompileBaseline' && e.tid === tid && e.ts < first);
  const busy = onPage.filter((e) => e.name === 'RunTask' && e.ts < first && e.ts + e.dur > t0)
    .reduce((sum, e) => sum + Math.min(e.ts + e.dur, first) - Math.max(e.ts, t0), 0) / 1000;
  const background = events.filter((e) => e.name === 'wasm.ExecuteCompilationUnits' && e.tid !== tid && e.ts < first && e.ts >= t0)
    .reduce((sum, e) => sum + e.dur, 0) / 1000;
  return {
    first_result_ms: round(firstResultMs),
    page_thread_busy_ms: round(busy),
    wasm_compile_on_page_thread_ms: round(within(t0, first, 'wasm.CompileLazy')),
    wasm_functions_compiled: compiled.length,
    wasm_kb_compiled: round(compiled.reduce((sum, e) => sum + (e.args.bodySize || 0), 0) / 1024),
    wasm_optimizing_compile_elsewhere_ms: round(background),
    gpu_wait_ms: round(within(t0, first, 'ImplementationBase::WaitForCmd')),
    javascript_compile_ms: round(within(t0, first, 'v8.compile')),
    phases,
  };
}

// `runs` traced first visits at `rate`; the phases' medians, and each run's totals.
async function traceFigures(browser, base, rate) {
  const each = [];
  let last = null;
  for (let i = 0; i < runs; ++i) {
    say(`traced first visit, ${rate > 1 ? rate + 'x' : 'unthrottled'}, run ${i + 1}/${runs}`);
    const run = await tracedFirstVisit(browser, base, rate);
    each.push(traceBreakdown(run.events, run.first_result_ms));
    last = run.events;
  }
  const names = each[0].phases.map((p) => p.to);
  const phases = names.map((to) => {
    const of = (key) => round(median(each.map((r) => (r.phases.find((p) => p.to === to) || {})[key]).filter((x) => x != null)));
    return { to, at_ms: of('at_ms'), took_ms: of('took_ms'), wasm_compile_ms: of('wasm_compile_ms'), gpu_wait_ms: of('gpu_wait_ms') };
  });
  const totals = Object.fromEntries(Object.keys(each[0]).filter((k) => k !== 'phases')
    .map((k) => [k + '_median', round(median(each.map((r) => r[k])))]));
  return { cpu_throttling_rate: rate, runs, ...totals, phases_median: phases, each: each.map(({ phases: _, ...rest }) => rest), last_trace: last };
}

async function browserFigures(browser, base, rate) {
  const label = rate > 1 ? `${rate}x CPU throttling` : 'unthrottled';
  const first = [];
  for (let i = 0; i < runs; ++i) {
    say(`first result, ${label}, run ${i + 1}/${runs}`);
    const machine = await machineCheck();
    first.push({ ...(await firstResultRun(browser, base, rate)), machine_one_thread_ms: machine.one_thread_ms,
      machine_two_threads_ms: machine.two_threads_ms });
  }
  const returning = [];
  for (let i = 0; i < runs; ++i) {
    say(`first result of a returning visit, ${label}, run ${i + 1}/${runs}`);
    returning.push(await returningResultRun(browser, base, rate));
  }
  const typing = [];
  for (let i = 0; i < typingRuns; ++i) {
    say(`typing "${typedQuery}", ${label}, run ${i + 1}/${typingRuns}`);
    typing.push(await typingRun(browser, base, rate));
  }
  const times = first.map((r) => r.first_result_ms);
  const intervals = typing.flatMap((t) => t.intervals);
  const keys = typing.flatMap((t) => t.keys.map((k) => k.ms));
  return {
    cpu_throttling_rate: rate,
    first_result: {
      runs: first.length,
      median_ms: round(median(times)),
      max_ms: round(Math.max(...times)),
      ready_median_ms: round(median(first.map((r) => r.ready_ms).filter((x) => x != null))),
      // Where the time goes (medians): the app's files arrived, the library and the feed
      // asked for and in (the feed may come after the first result, or not in time).
      wasm_loaded_median_ms: round(median(first.map((r) => r.wasm_loaded_ms))),
      data_loaded_median_ms: round(median(first.map((r) => r.data_loaded_ms))),
      snapshot_requested_median_ms: round(median(first.map((r) => r.snapshot_requested_ms).filter((x) => x != null))),
      snapshot_loaded_median_ms: round(median(first.map((r) => r.snapshot_loaded_ms).filter((x) => x != null))),
      feed_requested_median_ms: round(median(first.map((r) => r.feed_requested_ms))),
      feed_loaded_median_ms: round(median(first.map((r) => r.feed_loaded_ms))),
      cpu_check_median_ms: round(median(first.map((r) => r.cpu_check_ms))),
      machine_one_thread_median_ms: round(median(first.map((r) => r.machine_one_thread_ms))),
      machine_two_threads_median_ms: round(median(first.map((r) => r.machine_two_threads_ms))),
      each: first.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))),
    },
    returning_result: {
      runs: returning.length,
      median_ms: round(median(returning.map((r) => r.first_result_ms))),
      max_ms: round(Math.max(...returning.map((r) => r.first_result_ms))),
      cpu_check_median_ms: round(median(returning.map((r) => r.cpu_check_ms))),
      each: returning.map((r) => ({ first_result_ms: round(r.first_result_ms), hits: r.hits })),
    },
    typing: {
      runs: typing.length,
      query: typedQuery,
      key_interval_ms: keyIntervalMs,
      frames: intervals.length,
      frame_interval_p50_ms: round(percentile(intervals, 50)),
      frame_interval_p95_ms: round(percentile(intervals, 95)),
      frame_interval_max_ms: round(Math.max(...intervals)),
      keystrokes: keys.length,
      key_to_frame_p50_ms: round(percentile(keys, 50)),
      key_to_frame_p95_ms: round(percentile(keys, 95)),
      key_to_frame_max_ms: round(Math.max(...keys)),
      final_hits: typing.map((t) => t.final_hits),
      cpu_check_median_ms: round(median(typing.map((t) => t.cpu_check_ms))),
    },
  };
}

const server = await h.startServer();
let browser;
try {
  if (args.includes('--editor-latency')) {
    // Both ways Chromium can draw here, one after the other in one run: compositing in
    // the GPU process (as a device with a graphics chip does) and in software on the
    // page's main thread (the tests' set-up).
    const rounds = Number(option('rounds', 3));
    browser = await h.launchBrowser([], { gpuProcess: true });
    const result = { chromium: browser.version(), editor_gpu_process: await editorLatency(browser, server.url, rounds, server.dbPath) };
    await browser.close();
    browser = await h.launchBrowser();
    result.editor_software_compositing = await editorLatency(browser, server.url, rounds, server.dbPath);
    fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
    fs.writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
    say(`wrote ${outPath}`);
    process.exit(0);
  }
  if (args.includes('--reference')) {
    const reference = await startReferenceServer(server.url);
    browser = await h.launchBrowser();
    const result = { chromium: browser.version(), url_query: deepLinkQuery, reference_articles: reference.articles };
    result.unthrottled = await againstReference(browser, server.url, reference, 1);
    result.throttled = await againstReference(browser, server.url, reference, throttleRate);
    await reference.close();
    fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
    fs.writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
    say(`wrote ${outPath}`);
    process.exit(0);
  }
  if (args.includes('--compare')) {
    const [shellDir, webDir] = option('compare', '').split(':');
    if (!shellDir) throw new Error('--compare SHELL_DIR[:WEB_DIR]: the other build\'s web/ folder (and its build/web/src/web)');
    const other = await h.startServer({ shellDir: path.resolve(shellDir), extra: webDir ? ['--web', path.resolve(webDir)] : [] });
    browser = await h.launchBrowser();
    const result = { chromium: browser.version(), url_query: deepLinkQuery, other_shell: shellDir, other_web: webDir || '(this build\'s)' };
    const label = { url: other.url, label: shellDir };
    result.unthrottled = await againstBuild(browser, server.url, label, 1);
    result.throttled = await againstBuild(browser, server.url, label, throttleRate);
    await other.stop();
    fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
    fs.writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
    say(`wrote ${outPath}`);
    process.exit(0);
  }
  if (args.includes('--trace')) {
    browser = await h.launchBrowser();
    const result = { chromium: browser.version(), url_query: deepLinkQuery };
    for (const [key, rate] of [['unthrottled', 1], ['throttled', throttleRate]]) {
      const figures = await traceFigures(browser, server.url, rate);
      // The last run's whole trace, for DevTools' Performance panel (Load profile).
      const tracePath = outPath.replace(/\.json$/, '') + `.${key}.trace.json`;
      fs.mkdirSync(path.dirname(path.resolve(tracePath)), { recursive: true });
      fs.writeFileSync(tracePath, JSON.stringify({ traceEvents: figures.last_trace }));
      delete figures.last_trace;
      result[key] = { ...figures, trace_file: tracePath };
    }
    fs.writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
    say(`wrote ${outPath}`);
    process.exit(0);
  }
  if (args.includes('--twin-cost')) {
    browser = await h.launchBrowser();
    const result = { chromium: browser.version(), twin_cost: await twinCost(browser, server.url, Number(option('rounds', 4))) };
    fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
    fs.writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
    say(`wrote ${outPath}`);
    process.exit(0);
  }
  say(`download size (${server.url})`);
  const download = await measureDownload(server.url.replace(/\/$/, ''));
  browser = await h.launchBrowser();
  const result = {
    chromium: browser.version(),
    url_query: deepLinkQuery,
    download,
    unthrottled: await browserFigures(browser, server.url, 1),
    throttled: await browserFigures(browser, server.url, throttleRate),
  };
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  fs.writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
  say(`wrote ${outPath}`);
} finally {
  if (browser) await browser.close();
  await server.stop();
}
