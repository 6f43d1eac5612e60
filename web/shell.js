// Handbook's loader (the HTML shell's script; the app itself is handbook.js/.wasm/.data
// from the web build). It:
//   - checks that the browser can run the app (WebAssembly, WebGL 2) before loading
//     anything big, and says so in words when it cannot;
//   - defines `Module` for the emscripten build: the canvas, versioned file URLs, and
//     progress for the two big downloads (handbook.wasm, fetched here with XHR so its
//     progress is known; handbook.data, reported by emscripten's file packager);
//   - replaces the loading panel with a message when anything fails before the app runs
//     (a file missing, the network down, an abort), never a blank page;
//   - registers the service worker (sw.js) once the app has started, and offers a
//     reload when a new version has been installed.
// It is a classic script, not a module, and has no inline parts: the page's
// Content-Security-Policy allows scripts from this origin only.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const version = document.querySelector('meta[name="handbook-version"]').content;
  // Every app file is fetched as <name>?v=<version>: immutable for the HTTP cache, and
  // the exact key the service worker precached.
  const versioned = (file) => file + '?v=' + encodeURIComponent(version);

  let started = false;
  let failed = false;

  function fail(text, hint) {
    if (failed) return;
    failed = true;
    $('loading').hidden = true;
    $('failure-text').textContent = text;
    $('failure-hint').textContent = hint || '';
    $('failure').hidden = false;
    $('retry').focus();
    document.title = 'Handbook could not start';
    console.error('Handbook could not start: ' + text + (hint ? ' ' + hint : ''));
  }
  $('retry').addEventListener('click', () => location.reload());

  function offlineHint() {
    return navigator.onLine === false
      ? 'This device is offline, and Handbook has not been opened here before (or its copy was cleared). Connect once, then it also works offline.'
      : 'Check the connection and try again. If it keeps happening, tell whoever runs Handbook.';
  }

  // Why the app cannot run here, or null if it can.
  function capabilityProblem() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return ['This browser cannot run WebAssembly, which Handbook is built on.',
        'Use a current Chrome, Edge, Firefox or Safari. Some locked-down browsers turn WebAssembly off: ask your IT team.'];
    }
    try {
      // The 8-byte header of an empty module: some browsers expose the API but refuse to compile.
      if (!WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))) throw new Error('refused');
    } catch (e) {
      return ['This browser has WebAssembly switched off, and Handbook needs it.',
        'Use a current Chrome, Edge, Firefox or Safari, or ask your IT team to allow WebAssembly.'];
    }
    let gl = null;
    try {
      gl = document.createElement('canvas').getContext('webgl2');
    } catch (e) {
      gl = null;
    }
    if (!gl) {
      return ['This browser or device cannot draw with WebGL 2, which Handbook needs.',
        'Turn on hardware acceleration in the browser settings, update the browser, or try another browser or device.'];
    }
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();  // give the test context back; the app makes its own
    return null;
  }

  // --- Progress -----------------------------------------------------------------
  // Bytes as they come off the network for both big files. With gzip both `loaded`
  // and `total` count compressed bytes, so the fraction stays right.
  const parts = { wasm: { loaded: 0, total: 0 }, data: { loaded: 0, total: 0 } };
  let shown = 0;  // never moves backwards, even when the second total arrives late
  const megabytes = (n) => (n / (1024 * 1024)).toFixed(1) + ' MB';

  function showProgress(statusText) {
    const bar = $('progress');
    const all = Object.values(parts);
    const total = all.reduce((sum, p) => sum + p.total, 0);
    const loaded = all.reduce((sum, p) => sum + Math.min(p.loaded, p.total), 0);
    // A fraction of one file alone would run to 100% and start again: until both
    // sizes are known the bar sweeps.
    if (all.every((p) => p.total > 0)) {
      shown = Math.max(shown, Math.min(1, loaded / total));
      bar.classList.remove('indeterminate');
      $('progress-fill').style.width = (shown * 100).toFixed(1) + '%';
      bar.setAttribute('aria-valuenow', String(Math.round(shown * 100)));
    } else {
      bar.classList.add('indeterminate');
    }
    const received = all.reduce((sum, p) => sum + p.loaded, 0);
    let text = 'Starting…';
    if (bar.classList.contains('indeterminate')) text = received > 0 ? 'Loading… ' + megabytes(received) : 'Loading…';
    else if (shown < 1) text = 'Loading… ' + megabytes(loaded) + ' of ' + megabytes(total);
    $('loading-text').textContent = statusText || text;
  }

  // The server's own words for a failed download (its 404 says what to do), if it sent text.
  function describeFailure(file, status, statusText, body) {
    if (status === 0) return ['Handbook could not download ' + file + '.', offlineHint()];
    let hint = (body || '').trim().slice(0, 300);
    if (!hint) hint = 'Try again. If it keeps happening, tell whoever runs Handbook.';
    return ['Handbook could not download ' + file + ' (the server answered ' + status + (statusText ? ' ' + statusText : '') + ').', hint];
  }

  function downloadWasm(url) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      xhr.responseType = 'arraybuffer';
      // With gzip, Chrome counts `loaded` in decoded bytes and has no total: the
      // server names the decoded size in X-Uncompressed-Length.
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== XMLHttpRequest.HEADERS_RECEIVED) return;
        const size = Number(xhr.getResponseHeader('X-Uncompressed-Length'));
        if (size > 0) parts.wasm.total = size;
      };
      xhr.onprogress = (e) => {
        parts.wasm.loaded = e.loaded;
        if (e.lengthComputable && !parts.wasm.total) parts.wasm.total = e.total;
        showProgress();
      };
      xhr.onload = () => {
        if (xhr.status !== 200) {
          let body = '';
          try { body = new TextDecoder().decode(xhr.response); } catch (e) { body = ''; }
          reject(describeFailure('handbook.wasm', xhr.status, xhr.statusText, body));
          return;
        }
        parts.wasm.total = Math.max(parts.wasm.total, parts.wasm.loaded);
        parts.wasm.loaded = parts.wasm.total;
        showProgress();
        resolve(xhr.response);
      };
      xhr.onerror = () => reject(describeFailure('handbook.wasm', 0));
      xhr.send();
    });
  }

  function start() {
    const problem = capabilityProblem();
    if (problem) {
      fail(problem[0], problem[1]);
      return;
    }
    showProgress();

    window.Module = {
      canvas: $('canvas'),
      locateFile: (path) => versioned(path),
      // Our own wasm download, so the bar moves while the biggest file arrives
      // (emscripten's streaming compile reports nothing).
      instantiateWasm(imports, receiveInstance) {
        downloadWasm(versioned('handbook.wasm'))
          .then((bytes) => WebAssembly.instantiate(bytes, imports))
          .then((result) => receiveInstance(result.instance, result.module))
          .catch((e) => {
            if (Array.isArray(e)) fail(e[0], e[1]);
            else fail('Handbook could not start its program (handbook.wasm): ' + (e && e.message ? e.message : e) + '.',
              'Reload the page. If it keeps happening, tell whoever runs Handbook.');
          });
        return {};  // exports arrive later, through receiveInstance
      },
      // emscripten's file packager reports "Downloading data... (loaded/total)".
      setStatus(text) {
        const m = /\((\d+)\/(\d+)\)/.exec(text || '');
        if (m && /download/i.test(text)) {
          parts.data.loaded = Number(m[1]);
          parts.data.total = Number(m[2]);
        }
        if (!started && !failed) showProgress();
      },
      monitorRunDependencies(left) {
        if (!started && !failed && left === 0) showProgress('Starting…');
      },
      onAbort(what) {
        fail('Handbook stopped because of an error: ' + String(what || 'unknown error') + '.',
          started ? 'Reload the page to start again.' : offlineHint());
      },
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
      postRun: [appStarted],
    };

    const script = document.createElement('script');
    script.src = versioned('handbook.js');
    script.onerror = () => {
      // A <script> error carries no status: ask again to say what went wrong.
      fetch(script.src, { cache: 'no-store' })
        .then((r) => r.text().then((body) => fail(...describeFailure('handbook.js', r.status, r.statusText, r.ok ? '' : body))))
        .catch(() => fail(...describeFailure('handbook.js', 0)));
    };
    document.body.appendChild(script);
  }

  // A data package that fails to download is reported by emscripten as a thrown
  // Error, not through onAbort; anything thrown before the app runs ends the loading.
  window.addEventListener('error', (e) => {
    if (!started) fail('Handbook could not start: ' + (e.message || 'a script failed') + '.', offlineHint());
  });
  window.addEventListener('unhandledrejection', (e) => {
    if (!started) fail('Handbook could not start: ' + String(e.reason && e.reason.message ? e.reason.message : e.reason) + '.', offlineHint());
  });

  function appStarted() {
    if (failed) return;
    started = true;
    $('loading').hidden = true;
    $('canvas').focus();
    registerServiceWorker();
  }

  // --- Offline: the service worker --------------------------------------------------
  // Registered after the app has started: by then the app's files are in the HTTP
  // cache, so precaching them costs no second download.
  function registerServiceWorker() {
    if (!('serviceWorker' in navigator)) return;
    let userAskedToReload = false;
    navigator.serviceWorker.register('sw.js').then((reg) => {
      const offer = (worker) => {
        // A new version waits until the user says so: the app may one day hold unsaved
        // work (the editor), so it is never swapped underneath them (no skipWaiting).
        $('update').hidden = false;
        $('update-reload').onclick = () => {
          userAskedToReload = true;
          worker.postMessage({ type: 'skip-waiting' });
        };
      };
      if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const worker = reg.installing;
        if (!worker) return;
        worker.addEventListener('statechange', () => {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
        });
      });
      // A tablet may keep the page open for days: look for a new version hourly.
      setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
    }).catch((e) => console.warn('Handbook will not work offline: the service worker did not register (' + e + ').'));
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (userAskedToReload) location.reload();
    });
  }

  start();
})();
