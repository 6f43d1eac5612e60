// Policy owners write in the app (issue 18): an editor (desktop) writes a new policy with
// accented text, a pasted multi-line table and a link to another policy, previews it and
// submits it; an approver (another browser context) reads the diff and publishes it with a
// "must acknowledge"; a staff tablet (third context, touch)
// receives it through the feed and finds it by a word only the new text has. Then: an
// editor edits with the server out of reach, reloads, finds the draft, and it reaches the
// server when the network is back. Every control is reached through the accessible twin
// (by role and name), as a keyboard or screen reader user would.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const skip = h.appMissingReason();
const PASSWORD = h.TEST_PASSWORD;

const { press, signIn, isoDay, displayDay } = h;

async function typeInto(page, name, text) {
  await page.getByRole('textbox', { name }).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

// A paste as the system delivers it: a `paste` event with the clipboard's text on the
// element that has the keyboard.
async function paste(page, text) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

const editorText = () => window.handbook.editor ? window.handbook.editor() : null;

describe('Writing a policy in the app', { skip: skip || false }, () => {
  const env = h.sharedServerAndBrowser({ before, after });

  before(async () => {
    for (const [name, role] of [['amira', 'editor'], ['bo', 'approver'], ['sam', 'staff']]) {
      const made = await h.runHandbook(['user', 'add', name, '--role', role, '--db', env.server.dbPath], PASSWORD + '\n');
      assert.equal(made.code, 0, made.out);
    }
  });

  it('an editor writes and submits, an approver publishes, a staff tablet finds it', async () => {
    // --- The editor, on a desktop.
    const editor = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await editor.newPage();
    const errors = h.watchConsole(page);
    await signIn(page, env.server.url, 'amira');
    await press(page.getByRole('button', { name: 'Account: amira' }), page);
    await press(page.getByRole('button', { name: 'New policy' }), page);
    await h.waitUntil(page, () => window.handbook.screen() === 'edit', null, 'the editor');
    assert.equal(await page.evaluate(() => location.hash), '#/new');

    await typeInto(page, 'Title', 'Café crème vouchers for Jürgen');
    await typeInto(page, 'Category', 'Refunds and returns');
    await typeInto(page, 'Owner', 'Customer Care');
    await typeInto(page, 'Comes into force', isoDay(0));
    await typeInto(page, 'Review by', isoDay(200));
    await typeInto(page, 'Add a tag', 'vouchers,');
    await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
    await page.keyboard.type('A customer with a zanzibarquux voucher gets a café crème. ');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await paste(page, '| Store | Limit |\r\n| --- | --- |\r\n| Köln | 20 € |\r\n| Zürich | 30 CHF |\r\n');
    await page.keyboard.press('Enter');
    await page.keyboard.type('See ');
    await page.keyboard.press('Control+K');
    await page.getByRole('dialog', { name: 'Link to a policy' }).waitFor({ timeout: 10000 });
    await page.getByRole('textbox', { name: 'Policy title' }).focus();
    await page.keyboard.type('approval');
    const pick = page.getByRole('dialog', { name: 'Link to a policy' }).getByRole('link').first();
    await pick.waitFor({ timeout: 10000 });
    await press(pick, page);
    await h.waitUntil(page, () => /\(#\/a\/[a-z0-9-]+\)/.test(window.handbook.editor().body), null, 'the link in the text');

    const typed = await page.evaluate(editorText);
    assert.equal(typed.slug, 'cafe-creme-vouchers-for-jurgen', 'the slug follows the title');
    assert.match(typed.body, /zanzibarquux voucher gets a café crème\./);
    assert.match(typed.body, /\| Köln \| 20 € \|\n\| Zürich \| 30 CHF \|/, 'the pasted table keeps its lines');
    assert.deepEqual(typed.tags, ['vouchers']);
    assert.deepEqual(typed.problems, {}, 'nothing to fix');
    // The preview is drawn beside the text by the reader's renderer: the table's cells are in it.
    await page.getByRole('region', { name: 'Preview' }).getByRole('cell', { name: 'Zürich' }).waitFor({ timeout: 10000 });
    // Kept on the device within a second or two of typing.
    await h.waitUntil(page, () => window.handbook.editor().savedOnDevice, null, 'the draft kept on the device', 10000);
    await h.screenshot(page, 'editor-1280x800');

    await press(page.getByRole('button', { name: 'Submit for review' }), page);
    await page.getByRole('dialog', { name: 'Submit for review' }).waitFor({ timeout: 10000 });
    await page.getByRole('textbox', { name: 'What changed and why' }).focus();
    await page.keyboard.type('New: café vouchers, with the limits per store.');
    await h.screenshot(page, 'editor-submit-1280x800');
    await press(page.getByRole('button', { name: 'Submit', exact: true }), page);
    await h.waitUntil(page, () => window.handbook.screen() === 'drafts', null, 'My drafts after submitting');
    await page.getByText('In review').first().waitFor({ timeout: 10000 });
    await h.screenshot(page, 'my-drafts-1280x800');

    // --- The approver, in another browser context.
    const approver = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ap = await approver.newPage();
    const apErrors = h.watchConsole(ap);
    await signIn(ap, env.server.url, 'bo');
    await ap.goto(env.server.url + '#/review');
    const row = ap.getByRole('link', { name: 'Café crème vouchers for Jürgen' });
    await row.waitFor({ timeout: 15000 });
    await h.screenshot(ap, 'review-list-1280x800');
    await press(row, ap);
    await h.waitUntil(ap, () => /^#\/review\/\d+$/.test(location.hash), null, 'the review screen');
    await ap.getByText('New: café vouchers, with the limits per store.').waitFor({ timeout: 10000 });
    await ap.getByText(/zanzibarquux/).first().waitFor({ timeout: 10000 });  // the diff: every line added
    await h.screenshot(ap, 'review-diff-1280x800');
    await typeInto(ap, 'Comes into force', isoDay(10));  // a future date: devices hold it ahead, with a notice
    await press(ap.getByRole('button', { name: 'Staff must read and acknowledge it' }), ap);
    await ap.getByRole('button', { name: 'Staff must read and acknowledge it', pressed: true }).waitFor({ timeout: 10000 });
    await ap.getByRole('textbox', { name: 'Acknowledge by' }).waitFor({ timeout: 10000 });
    await press(ap.getByRole('button', { name: 'Publish', exact: true }), ap);
    await h.waitUntil(ap, () => location.hash === '#/review', null, 'back at the list after publishing');
    const versions = await (await fetch(env.server.url + 'api/articles/cafe-creme-vouchers-for-jurgen/versions', {
      headers: { Cookie: '' } })).json().catch(() => null);
    assert.ok(versions, 'the version list is readable');
    assert.equal(versions.versions[0].effective, isoDay(10));
    assert.equal(versions.versions[0].must_acknowledge, true);

    // --- A staff tablet: the feed brings it; a word only the new text has finds it.
    const tablet = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const tp = await tablet.newPage();
    await tp.goto(env.server.url);
    await h.waitForApp(tp);
    await h.typeInSearch(tp, 'zanzibarquux');
    await h.waitUntil(tp, () => window.handbook.hits().map((x) => (typeof x === 'object' ? x.slug : x)).includes('cafe-creme-vouchers-for-jurgen'),
      null, 'the new policy found on the tablet', 30000);
    // Found ten days before it comes into force, and it says so, in the list and in the policy.
    const comes = 'Comes into force on ' + displayDay(isoDay(10));
    const hit = tp.getByRole('link', { name: 'Café crème vouchers for Jürgen' });
    assert.match((await hit.getAttribute('aria-description')) || '', new RegExp(comes));
    await h.screenshot(tp, 'staff-finds-new-policy-820x1180');
    await hit.focus();
    await tp.keyboard.press('Enter');
    await h.waitUntil(tp, () => window.handbook.screen() === 'article', null, 'the policy opened on the tablet');
    await tp.getByText('This policy comes into force on ' + displayDay(isoDay(10)) + '. Until then it does not apply.').waitFor({ timeout: 10000 });
    await h.screenshot(tp, 'staff-policy-not-yet-in-force-820x1180');

    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    assert.deepEqual(apErrors.filter((e) => !/401/.test(e)), []);
    await Promise.all([editor.close(), approver.close(), tablet.close()]);
  });

  // A tablet (touch) signed in as `name`, on the editor at `hash`.
  async function editorOnTablet(name, hash) {
    const context = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await signIn(page, env.server.url, name);
    await page.goto(env.server.url + hash);
    await h.waitUntil(page, () => window.handbook.screen() === 'edit', null, 'the editor');
    return { context, page };
  }

  it('keeps a draft typed offline over a reload and sends it when the network is back', async () => {
    const { context, page } = await editorOnTablet('amira', '#/edit/approval-limits');
    await context.setOffline(true);
    await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Offline addition: qwertyzebra.');
    await h.waitUntil(page, () => window.handbook.editor().savedOnDevice, null, 'kept on the device', 10000);
    await h.screenshot(page, 'editor-offline-820x1180');
    await page.reload().catch(() => {});  // offline: the service worker serves the app
    await h.waitForApp(page);
    await h.waitUntil(page, () => window.handbook.screen() === 'edit', null, 'the editor again after the reload');
    await h.waitUntil(page, () => window.handbook.editor().body.includes('qwertyzebra'), null, 'the draft after the reload');
    await context.setOffline(false);
    // The draft reaches the server: it is in the editor's drafts there.
    const reached = async () => {
      const cookies = await context.cookies();
      const jar = cookies.map((c) => c.name + '=' + c.value).join('; ');
      const r = await fetch(env.server.url + 'api/drafts', { headers: { Cookie: jar } });
      const j = await r.json();
      return (j.drafts || []).some((d) => d.slug === 'approval-limits');
    };
    const until = Date.now() + 60000;  // the online event sends at once; else a retry within 15 s
    while (!(await reached())) {
      if (Date.now() > until) throw new Error('the offline draft never reached the server');
      await page.waitForTimeout(1000);
    }
    await context.close();
  });

  // A draft whose record on the device is damaged (bytes changed in the browser's storage,
  // as a failing disk or a browser bug would) costs only itself: My drafts says so and still
  // lists the other draft. (One unreadable row failed the whole list: no draft was listed,
  // and none was sent.)
  it('says a damaged draft on the device and still lists the others', async () => {
    const { context, page: first } = await editorOnTablet('amira', '#/edit/approval-limits');
    let page = first;
    for (const slug of ['approval-limits', 'carrier-failures']) {
      if (slug !== 'approval-limits') {
        page = await context.newPage();
        await page.goto(env.server.url + '#/edit/' + slug);
        await h.waitUntil(page, (s) => window.handbook.screen() === 'edit' && window.handbook.editor().slug === s, slug, 'the editor of ' + slug);
      }
      await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Kept here: ' + slug + '.');
      // Kept in the device's store, and that store written to IndexedDB: the app asks for
      // the write (Module.hbSave) before it says the draft is kept, and the write is done
      // when nothing is left being saved.
      await h.waitUntil(page, () => window.handbook.editor().savedOnDevice && Module.hbSync && !Module.hbSync.busy && !Module.hbSync.unsaved,
        null, 'kept on the device and written to IndexedDB', 10000);
      await page.close();  // one app at a time writes the device's store
    }
    page = await context.newPage();
    // No app open; on another page of the site, one byte of the first draft's record is
    // changed where the browser keeps the device's store (emscripten's IDBFS).
    await page.goto(env.server.url + 'no-such-page');
    const damaged = await page.evaluate(async () => {
      const open = () => new Promise((resolve, reject) => {
        const r = indexedDB.open('/data');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const ask = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      const db = await open();
      const entry = await ask(db.transaction('FILE_DATA').objectStore('FILE_DATA').get('/data/device.db'));
      if (!entry || !entry.contents) return 'no device store in IndexedDB';
      const bytes = new Uint8Array(entry.contents);
      const text = new TextDecoder('latin1').decode(bytes);
      // Every copy of the record (the live row, and any older one SQLite left in the file).
      let changed = 0;
      for (let at = text.indexOf('"slug":"approval-limits"'); at >= 0; at = text.indexOf('"slug":"approval-limits"', at + 1)) {
        const start = text.lastIndexOf('{"body":"', at);
        if (start >= 0 && bytes[start] === 0x7b) { bytes[start] = 0x23; ++changed; }  // '{' -> '#': no longer JSON
      }
      if (!changed) return 'the draft is not in the store';
      entry.contents = bytes;
      await ask(db.transaction('FILE_DATA', 'readwrite').objectStore('FILE_DATA').put(entry, '/data/device.db'));
      return 'ok';
    });
    assert.equal(damaged, 'ok');
    await page.goto(env.server.url + '#/drafts');
    await h.waitForApp(page);
    await page.getByText(/1 draft on this device could not be read/).waitFor({ timeout: 15000 });
    await page.getByText('When a carrier lets the customer down').first().waitFor({ timeout: 15000 });
    await h.screenshot(page, 'drafts-damaged-820x1180');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    await h.screenshot(page, 'drafts-damaged-1280x800');
    await context.close();
  });

  // A finger in the body, as a tablet's text area takes it: the first long press (the one
  // that also gives the field the keyboard) selects the word under it, and typing replaces
  // the word.
  it('selects a word by a long press in the body on a tablet', async () => {
    const { context, page } = await editorOnTablet('amira', '#/edit/goodwill-gestures');
    // The page's focus is on another control first (the Write tab, by keyboard): the press
    // moves it to the body's element, and that move must not undo the press.
    await press(page.getByRole('button', { name: 'Preview', exact: true }), page);
    await press(page.getByRole('button', { name: 'Write', exact: true }), page);
    const body = await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).boundingBox();
    const cdp = await context.newCDPSession(page);
    const finger = { x: body.x + 120, y: body.y + 20, id: 1 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [finger] });
    await page.waitForTimeout(800);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await h.waitUntil(page, () => { const [a, b] = window.handbook.editor().selection; return b > a; }, null, 'a word selected');
    const { body: text, selection: [a, b] } = await page.evaluate(editorText);
    const word = text.slice(a, b);
    assert.match(word, /^[A-Za-z]+$/, 'one word: ' + JSON.stringify(word));
    await page.keyboard.type('Zebra');
    await h.waitUntil(page, (w) => window.handbook.editor().body.includes('Zebra') && !window.handbook.editor().body.startsWith(w), text.slice(0, b), 'the word replaced');
    assert.equal((await page.evaluate(editorText)).body, text.slice(0, a) + 'Zebra' + text.slice(b));
    await context.close();
  });

  // Text as an input method delivers it (Chromium's own IME events through the DevTools
  // protocol): a dead key (composition "´" then "é"), a Japanese composition that goes
  // through two readings before it is committed, an emoji inserted whole. Only what is
  // committed reaches the text, once.
  it('takes dead keys, an IME composition and emoji into the body intact', async () => {
    const { context, page } = await editorOnTablet('amira', '#/new');
    const cdp = await context.newCDPSession(page);
    await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
    await page.evaluate(() => {
      window.compositions = 0;
      document.activeElement.addEventListener('compositionend', () => ++window.compositions);
    });
    const compose = async (steps, commit) => {
      for (const text of steps) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await cdp.send('Input.insertText', { text: commit });
    };
    await page.keyboard.type('Caf');
    await compose(['\u00b4'], '\u00e9');
    await page.keyboard.type(' cr');
    await compose(['`'], '\u00e8');
    await page.keyboard.type('me ');
    await compose(['k', '\u304b', '\u304b\u306a'], '\u304b\u306a');
    await cdp.send('Input.insertText', { text: ' \u{1F600}' });
    await h.waitUntil(page, () => window.handbook.editor().body.includes('\u{1F600}'), null, 'the emoji');
    assert.equal(await page.evaluate(() => window.compositions), 3, 'three compositions went through the field');
    assert.equal((await page.evaluate(editorText)).body, 'Caf\u00e9 cr\u00e8me \u304b\u306a \u{1F600}');
    await context.close();
  });

  // A person's session through the API, for setting up the other side of a story.
  const apiAs = (name) => h.apiAs(env.server.url, name);
  async function changeThroughApi(author, slug, extra, summary) {
    const live = (await (await fetch(env.server.url + 'api/articles/' + slug + '/versions')).json()).versions[0];
    const whole = (await (await fetch(env.server.url + 'api/articles/' + slug + '/versions/' + live.version)).json());
    const draft = await author('POST', 'api/drafts', { ...whole, body: whole.body + extra, effective: isoDay(0), base_version: live.version });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    const submitted = await author('POST', 'api/drafts/' + draft.body.id + '/submit', { summary });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    return draft.body.id;
  }

  it('brings back an older version through review; a conflict is shown to the approver and merged by the author', async () => {
    for (const [name, role] of [['cleo', 'editor']]) {
      const made = await h.runHandbook(['user', 'add', name, '--role', role, '--db', env.server.dbPath], PASSWORD + '\n');
      assert.equal(made.code, 0, made.out);
    }
    const amira = await apiAs('amira'), cleo = await apiAs('cleo'), bo = await apiAs('bo');
    const slug = 'goodwill-gestures';
    const v2 = await changeThroughApi(amira, slug, '\n\nA second paragraph, version two.\n', 'Version two.');
    assert.equal((await bo('POST', 'api/drafts/' + v2 + '/publish', { effective: isoDay(0) })).status, 200);

    // Amira brings version 1 back from the history screen.
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, env.server.url, 'amira');
    await page.goto(env.server.url + '#/history/' + slug);
    await press(page.getByRole('button', { name: 'Bring back Version 1' }), page);
    await page.getByRole('textbox', { name: 'Why this version comes back' }).focus();
    await page.keyboard.type('Version two was a mistake.');
    await press(page.getByRole('button', { name: 'Send for review' }), page);
    await page.getByText(/Version 1 goes back through review/).waitFor({ timeout: 10000 });
    await h.screenshot(page, 'history-revert-1280x800');

    // Bo publishes it from the review screen: version 3 has version 1's text.
    const ap = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(ap, env.server.url, 'bo');
    await ap.goto(env.server.url + '#/review');
    const waiting = await bo('GET', 'api/drafts?state=in_review');
    const revert = waiting.body.drafts.find((d) => d.slug === slug && d.kind === 'revert');
    assert.ok(revert, 'the revert waits for review');
    await ap.goto(env.server.url + '#/review/' + revert.id);
    await ap.getByText('Version two was a mistake.').waitFor({ timeout: 10000 });
    await press(ap.getByRole('button', { name: 'Publish', exact: true }), ap);
    await h.waitUntil(ap, () => location.hash === '#/review', null, 'the list after publishing');
    const v1 = await (await fetch(env.server.url + 'api/articles/' + slug + '/versions/1')).json();
    const v3 = await (await fetch(env.server.url + 'api/articles/' + slug + '/versions/3')).json();
    assert.equal(v3.body, v1.body, 'version 3 is version 1 again');

    // Two editors change the same version; the second to be published meets a conflict.
    // Amira writes hers in the app (the page loaded again holds version 3), Cleo through
    // the API.
    await page.goto(env.server.url + '#/a/' + slug);
    await page.reload();
    await h.waitForApp(page);
    await h.waitUntil(page, () => window.handbook.sync().confirmedAt !== '', null, 'the device up to date');
    await page.goto(env.server.url + '#/edit/' + slug);
    await h.waitUntil(page, () => window.handbook.screen() === 'edit', null, 'the editor');
    assert.equal((await page.evaluate(editorText)).baseVersion, 3);
    await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nAmira adds this.');
    let first = 0;
    for (let i = 0; i < 60 && !first; ++i) {
      await page.waitForTimeout(500);
      const mine = (await amira('GET', 'api/drafts')).body.drafts.filter((d) => d.slug === slug && d.state === 'draft');
      for (const d of mine) if (/Amira adds this/.test((await amira('GET', 'api/drafts/' + d.id)).body.body)) first = d.id;
    }
    assert.ok(first, 'the draft typed in the app reached the server');
    assert.equal((await amira('POST', 'api/drafts/' + first + '/submit', { summary: "Amira's change." })).status, 200);
    const second = await changeThroughApi(cleo, slug, '\n\nCleo adds that.\n', 'Cleo\'s change.');
    assert.equal((await bo('POST', 'api/drafts/' + second + '/publish', { effective: isoDay(0) })).status, 200);
    await ap.goto(env.server.url + '#/review/' + first);
    await ap.getByText("Amira's change.").waitFor({ timeout: 10000 });
    await press(ap.getByRole('button', { name: 'Publish', exact: true }), ap);
    await ap.getByText('What the live version changed meanwhile').waitFor({ timeout: 10000 });
    await ap.getByText(/Cleo adds that/).first().waitFor({ timeout: 10000 });
    await h.screenshot(ap, 'review-conflict-1280x800');
    // Nothing was lost: Amira's draft is still there, in review, with her text.
    const still = await amira('GET', 'api/drafts/' + first);
    assert.equal(still.status, 200);
    assert.match(still.body.body, /Amira adds this/);

    // Bo returns it; Amira opens it again. Her device now holds Cleo's version: the editor
    // says so, shows Cleo's change beside her text, and will not submit until she merged.
    assert.equal((await bo('POST', 'api/drafts/' + first + '/return', { comment: "Merge Cleo's change first." })).status, 200);
    await page.goto(env.server.url + '#/edit/' + slug);
    await page.reload();
    await h.waitForApp(page);
    await page.getByRole('button', { name: 'I have merged their change' }).waitFor({ timeout: 20000 });
    assert.match((await page.evaluate(editorText)).body, /Amira adds this/, 'her text is as she left it');
    // Opened from the device, the editor asks the server where the draft stands: Bo's comment.
    await page.getByText("Returned by the approver: Merge Cleo's change first.").waitFor({ timeout: 10000 });
    await press(page.getByRole('button', { name: 'Show their change' }), page);
    const theirs = page.getByRole('region', { name: 'Their change' });
    await theirs.getByText(/Cleo adds that/).first().waitFor({ timeout: 10000 });
    await h.screenshot(page, 'editor-their-change-1280x800');
    await press(page.getByRole('button', { name: 'Submit for review' }), page);
    await page.waitForTimeout(300);
    assert.equal(await page.getByRole('dialog', { name: 'Submit for review' }).count(), 0, 'not submitted over an unmerged change');
    await page.getByRole('textbox', { name: 'Policy text (Markdown)' }).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nCleo adds that.');
    await press(page.getByRole('button', { name: 'I have merged their change' }), page);
    await press(page.getByRole('button', { name: 'Submit for review' }), page);
    await page.getByRole('dialog', { name: 'Submit for review' }).waitFor({ timeout: 10000 });
    await page.getByRole('textbox', { name: 'What changed and why' }).focus();
    await page.keyboard.type("Amira's change, with Cleo's.");
    await press(page.getByRole('button', { name: 'Submit', exact: true }), page);
    await h.waitUntil(page, () => window.handbook.screen() === 'drafts', null, 'My drafts after submitting');
    const merged = await amira('GET', 'api/drafts/' + first);
    assert.equal(merged.body.state, 'in_review');
    assert.equal(merged.body.base_version, 4, 'the draft starts from the version it was merged with');
    assert.equal((await bo('POST', 'api/drafts/' + first + '/publish', { effective: isoDay(0) })).status, 200);
    const v5 = await (await fetch(env.server.url + 'api/articles/' + slug + '/versions/5')).json();
    assert.match(v5.body, /Amira adds this[\s\S]*Cleo adds that/, 'both changes are live');
    await context.close();
    await ap.context().close();
  });
});
