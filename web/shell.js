// Handbook's loader (the HTML shell's script; the app itself is handbook.js/.wasm/.data
// from the web build). It:
//   - checks that the browser can run the app (WebAssembly, WebGL 2) before loading
//     anything big, and says so in words when it cannot;
//   - starts every download at once as soon as the checks pass: handbook.wasm (compiled
//     as it streams in, its progress counted), handbook.data (with XHR, so its progress
//     is known), handbook.js (preloaded),
//     and on a first visit the library itself (api/snapshot, or from a static tree the
//     file content/latest names; see src/core/device_snapshot.h), which the app takes
//     instead of indexing every policy on the device (it checks the signatures);
//   - defines `Module` for the emscripten build: the canvas (its WebGL 2 context made
//     here, with the app's attributes, so the app does not make a second one), versioned
//     file URLs, the downloads above;
//   - replaces the loading panel with a message when anything fails before the app runs
//     (a file missing, the network down, an abort), never a blank page;
//   - keeps its loading panel until the app has drawn its first frame;
//   - registers the service worker (sw.js) once the app is ready (its library shown and
//     first sync done, or 10 s after it started), and offers a reload when a new
//     version has been installed.
// It is a classic script, not a module, and has no inline parts: the page's
// Content-Security-Policy allows scripts from this origin only.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const version = document.querySelector('meta[name="handbook-version"]').content;
  // Where the content comes from: 'server' (handbook serve: api/snapshot, api/feed) or
  // 'static' (a static tree on any web server or CDN: content/latest names the rest).
  const contentSource = document.querySelector('meta[name="handbook-content"]').content === 'static' ? 'static' : 'server';
  // Every app file is fetched as v/<version>/<name>: a path that names its content, so
  // any cache (a CDN's too) may keep it for ever, and the exact key the service worker
  // precached.
  const versioned = (file) => 'v/' + encodeURIComponent(version) + '/' + file;

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

  // Whether this device holds the library already: the app notes it in localStorage
  // once its store has content (src/web/browser_storage.cpp). Only a hint: when it is
  // wrong the app fetches what it needs itself.
  function storedHere() {
    try {
      return localStorage.getItem('handbook.stored') === '1';
    } catch (e) {
      return false;
    }
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
      // The app's own context, made here: creating a context is slow on a weak device
      // (~0.15 s on a throttled CPU), and the app's emscripten_webgl_create_context on
      // this canvas gets this one back. The attributes must be the app's (src/web/main.cpp).
      gl = $('canvas').getContext('webgl2', { alpha: false, depth: false, stencil: false, antialias: false });
    } catch (e) {
      gl = null;
    }
    if (!gl) {
      return ['This browser or device cannot draw with WebGL 2, which Handbook needs.',
        'Turn on hardware acceleration in the browser settings, update the browser, or try another browser or device.'];
    }
    // An opaque context starts black: show the page's background until the app draws.
    const bg = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(document.body).backgroundColor);
    if (bg) {
      gl.clearColor(bg[1] / 255, bg[2] / 255, bg[3] / 255, 1);
      gl.clear(gl.COLOR_BUFFER_BIT);
    }
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

  // One app file as an ArrayBuffer, its progress counted in `part`.
  function download(file, part) {
    const url = versioned(file);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', url);
      xhr.responseType = 'arraybuffer';
      // With gzip, Chrome counts `loaded` in decoded bytes and has no total: the
      // server names the decoded size in X-Uncompressed-Length.
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== XMLHttpRequest.HEADERS_RECEIVED) return;
        const size = Number(xhr.getResponseHeader('X-Uncompressed-Length'));
        if (size > 0) part.total = size;
      };
      xhr.onprogress = (e) => {
        part.loaded = e.loaded;
        if (e.lengthComputable && !part.total) part.total = e.total;
        if (!started && !failed) showProgress();
      };
      xhr.onload = () => {
        if (xhr.status !== 200) {
          let body = '';
          try { body = new TextDecoder().decode(xhr.response); } catch (e) { body = ''; }
          reject(describeFailure(file, xhr.status, xhr.statusText, body));
          return;
        }
        part.total = Math.max(part.total, part.loaded);
        part.loaded = part.total;
        if (!started && !failed) showProgress();
        resolve(xhr.response);
      };
      xhr.onerror = () => reject(describeFailure(file, 0));
      xhr.send();
    });
  }

  // handbook.wasm, compiled as it arrives (WebAssembly.compileStreaming: the browser
  // decodes it off the page's thread while the rest downloads, and may keep the compiled
  // code for the next visit); its progress counted in `part` from a copy of the stream.
  // An XHR of the whole file cost the page's only thread a fifth of a second on a 4x
  // slowed CPU, handing the body over, before compiling could begin (traced).
  function compileWasm(part) {
    const file = 'handbook.wasm';
    if (typeof WebAssembly.compileStreaming !== 'function' || typeof ReadableStream === 'undefined') {
      return download(file, part).then((bytes) => WebAssembly.compile(bytes));
    }
    return fetch(versioned(file)).then((response) => {
      if (!response.ok) {
        return response.text().catch(() => '').then((body) => {
          throw describeFailure(file, response.status, response.statusText, body);
        });
      }
      const size = Number(response.headers.get('X-Uncompressed-Length') || response.headers.get('Content-Length'));
      if (size > 0) part.total = size;
      const counted = response.clone().body.getReader();
      const count = () => counted.read().then(({ done, value }) => {
        if (done) {
          part.total = Math.max(part.total, part.loaded);
          if (!started && !failed) showProgress();
          return;
        }
        part.loaded += value.byteLength;
        if (!started && !failed) showProgress();
        return count();
      });
      count().catch(() => {});  // a cut-off download fails the compile below, which says so
      // The server names the type; a plain file server may not, so say it here.
      const typed = (response.headers.get('Content-Type') || '').startsWith('application/wasm')
        ? response
        : new Response(response.body, { headers: { 'Content-Type': 'application/wasm' } });
      return WebAssembly.compileStreaming(typed);
    }, () => { throw describeFailure(file, 0); });
  }

  function start() {
    const problem = capabilityProblem();
    if (problem) {
      fail(problem[0], problem[1]);
      return;
    }
    showProgress();

    // Everything at once. The page's own checks came first, so a device that cannot
    // run Handbook downloads none of it.
    const compiled = compileWasm(parts.wasm);
    const data = download('handbook.data', parts.data);
    const preload = document.createElement('link');
    preload.rel = 'preload';
    preload.as = 'script';
    preload.href = versioned('handbook.js');
    document.head.appendChild(preload);
    const reportEarly = (e) => {
      if (Array.isArray(e)) fail(e[0], e[1]);
      else fail('Handbook could not start: ' + (e && e.message ? e.message : e) + '.', offlineHint());
    };
    // A failed download is said at once; a file that arrived but does not compile is
    // said by instantiateWasm below, in its own words.
    compiled.catch((e) => { if (Array.isArray(e)) reportEarly(e); });
    // A promise the app may take later: its failure is the app's to report (it falls
    // back to the update feed), not an unhandled rejection that ends the loading.
    const quietly = (promise) => {
      promise.catch(() => {});
      return promise;
    };

    window.Module = {
      canvas: $('canvas'),
      locateFile: (path) => versioned(path),
      // A first visit (nothing stored here yet, as far as this page knows): the library
      // as one database file, fetched and read alongside the app, so it is in memory by
      // the time the app asks (src/web/snapshot_fetch.cpp takes it and checks it).
      // From a static tree: the signed pointer first (it names the library's file), handed
      // to the app with the download so it can check both.
      snapshotDownload: storedHere() ? null : quietly(firstVisitLibrary()),
      // Our own wasm download, so the bar moves while the biggest file arrives
      // (emscripten's streaming compile reports nothing).
      instantiateWasm(imports, receiveInstance) {
        compiled
          .then((module) => WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module)))
          .catch((e) => {
            if (Array.isArray(e)) return;  // a failed download: reported above
            fail('Handbook could not start its program (handbook.wasm): ' + (e && e.message ? e.message : e) + '.',
              'Reload the page. If it keeps happening, tell whoever runs Handbook.');
          });
        return {};  // exports arrive later, through receiveInstance
      },
      // The fonts package (handbook.data), downloaded above: handbook.js asks for it
      // as it starts, and is only started once it is here.
      getPreloadedPackage: () => dataBytes,
      // No setStatus: emscripten would then start main() from a timer, a task later.
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
      // Called by the app (src/web/browser_page.cpp) when the canvas shows something.
      onFirstFrame: appDrawn,
    };

    let dataBytes = null;
    data.then((bytes) => {
      dataBytes = bytes;
      if (!failed) startApp();
    }, reportEarly);
  }

  // {response, body, pointer}: the library as one signed file (and, from a static tree,
  // the signed pointer that named it). The app checks both (src/web/snapshot_fetch.cpp).
  function firstVisitLibrary() {
    const read = (response, pointer) =>
      (response.ok ? response.arrayBuffer() : Promise.resolve(null)).then((body) => ({ response, body, pointer }));
    if (contentSource === 'server') return fetch('api/snapshot', { cache: 'no-store' }).then((r) => read(r, null));
    return fetch('content/latest', { cache: 'no-cache' }).then((response) => {
      if (!response.ok) return { response, body: null, pointer: null };
      return response.arrayBuffer().then((pointer) => {
        const text = new TextDecoder().decode(pointer);
        const file = JSON.parse(text.slice(text.indexOf('\n') + 1)).snapshot.file;
        return fetch(file).then((r) => read(r, pointer));
      });
    });
  }

  function startApp() {
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
    // The worker's install reads every app file again and writes it to the cache: on a
    // first visit that is CPU the first result needs (two cores on a store tablet), so it
    // waits until the app is ready, or 10 s at most (offline, a sync that does not end).
    let registered = false;
    const register = () => {
      if (registered) return;
      registered = true;
      registerServiceWorker();
    };
    document.addEventListener('handbook-ready', register, { once: true });
    setTimeout(register, 10000);
  }

  function appDrawn() {
    if (failed) return;
    $('loading').hidden = true;
    $('canvas').focus();
  }

  // --- Offline: the service worker --------------------------------------------------
  // Registered once the app is ready: by then the app's files are in the HTTP cache, so
  // precaching them costs no second download.
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
