// The search benchmark's WebAssembly build run in a Chromium page instead of Node: the
// same program (handbook_bench.cpp, linked as handbook_bench_page) in the browser's own
// V8, which is the engine the app runs in. Node 20 carries an older V8 (11.3) than the
// Debian Chromium the app is tested in, so the wasm/native ratio is measured in both.
//
//   node bench/wasm_in_browser.mjs [handbook_bench arguments...] > OUT.json
//
// The arguments are handbook_bench's (--engine, --docs, --queries, --db, --reuse-db,
// --warm-up ...). The page is served from localhost, cross-origin isolated (COOP and
// COEP), so performance.now() (the program's clock) has 5 µs steps rather than 100 µs;
// the files the arguments name are downloaded into the page's in-memory file system
// under the same paths before the program starts. --db must exist (run the Node build
// once with it first): the page cannot write it back.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const harness = require('../tests/e2e/harness.js');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const buildDir = path.join(root, process.env.BENCH_PAGE_BUILD || 'build/bench-web/bench');
const args = process.argv.slice(2);

// The files the program reads, by the options that name them.
const files = [];
for (const option of ['--docs', '--queries', '--db']) {
  const i = args.indexOf(option);
  if (i >= 0 && args[i + 1]) files.push(path.resolve(args[i + 1]));
}
for (const f of files) {
  if (!fs.existsSync(f)) {
    console.error(`wasm_in_browser: ${f} does not exist (for --db, run the Node build once to make it)`);
    process.exit(2);
  }
}
for (const f of ['handbook_bench_page.js', 'handbook_bench_page.wasm']) {
  if (!fs.existsSync(path.join(buildDir, f))) {
    console.error(`wasm_in_browser: ${path.join(buildDir, f)} is missing: cmake --build build/bench-web --target handbook_bench_page`);
    process.exit(2);
  }
}

const page = `<!doctype html><meta charset="utf-8"><title>handbook_bench in the browser</title>
<script>
  window.benchOutput = [];
  window.benchErrors = [];
  var Module = {
    noInitialRun: true,
    print: (line) => window.benchOutput.push(line),
    printErr: (line) => window.benchErrors.push(line),
    onRuntimeInitialized: () => { window.benchReady = true; },
  };
</script>
<script src="/build/handbook_bench_page.js"></script>`;

const server = http.createServer((req, res) => {
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
  const url = decodeURIComponent(req.url.split('?')[0]);
  let file = null, type = 'application/octet-stream';
  if (url === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
    res.end(page);
    return;
  }
  if (url.startsWith('/build/')) {
    file = path.join(buildDir, path.basename(url));
    if (file.endsWith('.js')) type = 'text/javascript';
    if (file.endsWith('.wasm')) type = 'application/wasm';
  } else if (url.startsWith('/host/') && files.includes(url.slice('/host'.length))) {
    file = url.slice('/host'.length);
  }
  if (!file || !fs.existsSync(file)) {
    res.writeHead(404, headers);
    res.end('not here');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': fs.statSync(file).size });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await harness.launchBrowser();
let exitCode = 0;
try {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(base);
  await tab.waitForFunction(() => window.benchReady === true, null, { timeout: 120000 });
  const result = await tab.evaluate(async ({ files, args, cwd }) => {
    if (!self.crossOriginIsolated) return { error: 'the page is not cross-origin isolated: its clock would have 100 µs steps' };
    const makeFolders = (dir) => {
      let at = '';
      for (const part of dir.split('/').filter(Boolean)) {
        at += '/' + part;
        try { FS.mkdir(at); } catch (e) { /* already there */ }
      }
    };
    for (const f of files) {
      const response = await fetch('/host' + f);
      if (!response.ok) return { error: 'could not download ' + f };
      const bytes = new Uint8Array(await response.arrayBuffer());
      makeFolders('/host' + f.slice(0, f.lastIndexOf('/')));
      FS.writeFile('/host' + f, bytes);
    }
    makeFolders('/host' + cwd);
    Module.hostCwd = cwd;
    let status = 0;
    try {
      status = Module.callMain(args);
    } catch (e) {
      status = e && typeof e.status === 'number' ? e.status : 1;
      if (!(e && typeof e.status === 'number')) window.benchErrors.push(String(e));
    }
    return { status, output: window.benchOutput.join('\n'), errors: window.benchErrors.join('\n'), userAgent: navigator.userAgent };
  }, { files, args, cwd: process.cwd() });
  if (result.error) throw new Error(result.error);
  if (result.errors) process.stderr.write(result.errors + '\n');
  process.stderr.write(`wasm_in_browser: ${result.userAgent}\n`);
  process.stdout.write(result.output + '\n');
  exitCode = result.status || 0;
} catch (e) {
  console.error('wasm_in_browser: ' + (e && e.message ? e.message : e));
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
