// The search box and the keyboard as issue 15 found them, in a real browser: the clear
// button (x) by mouse and by touch, an Android soft keyboard's Backspace (keyCode 229
// and a `beforeinput` deleteContentBackward, no key for the character), '/' from
// elsewhere, Escape out of an article, Alt+Left left to the browser, and the drop-downs
// after Escape.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const skip = h.appMissingReason();
const hook = (page) => page.evaluate(() => ({
  screen: window.handbook.screen(), query: window.handbook.query(), article: window.handbook.article(), hash: location.hash,
  labels: window.handbook.widgets().map((w) => w.label),
}));


async function tapOrClick(page, label, touch) {
  const c = await h.widgetCentre(page, label);
  assert.ok(c, `a widget "${label}" is on screen: ${JSON.stringify((await hook(page)).labels)}`);
  if (touch) await page.touchscreen.tap(c.x, c.y);
  else await page.mouse.click(c.x, c.y);
}

describe('The search box and the keyboard', { skip: skip || false }, () => {
  const env = h.sharedServerAndBrowser({ before, after });

  for (const touch of [false, true]) {
    const name = touch ? 'by touch on a tablet (820x1180)' : 'by mouse (1280x800)';
    it(`the clear button empties the query ${name}, and new typing starts a new one`, async () => {
      const context = await env.browser.newContext(touch
        ? { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true }
        : { viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors = h.watchConsole(page);
      await page.goto(env.server.url);
      await h.waitForApp(page);
      if (touch) await tapOrClick(page, 'Search', true);
      await page.keyboard.type('refund');
      await h.waitUntil(page, () => window.handbook.query() === 'refund', null, 'the query typed');
      await h.screenshot(page, `input-query-${touch ? '820x1180' : '1280x800'}`);
      await tapOrClick(page, 'Clear search', touch);
      await h.waitUntil(page, () => window.handbook.query() === '', null, 'the query cleared');
      assert.equal((await hook(page)).screen, 'home');
      await page.keyboard.type('late');
      await h.waitUntil(page, () => window.handbook.query() === 'late', null, 'a new query, not "refundlate"');
      assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'handbook-text',
        'the text field kept the focus (a tablet keeps its keyboard open)');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('takes an Android soft keyboard\'s Backspace (keyCode 229 + beforeinput deleteContentBackward)', async () => {
    const context = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(env.server.url);
    await h.waitForApp(page);
    await tapOrClick(page, 'Search', true);
    await page.keyboard.insertText('parcel');
    await h.waitUntil(page, () => window.handbook.query() === 'parcel', null, 'the query typed');
    const cdp = await context.newCDPSession(page);
    for (let i = 0; i < 2; ++i) {
      // What Chrome on Android sends: a key with keyCode 229 and no key name, then the
      // edit as a beforeinput on the focused field; no key event says "Backspace".
      await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, key: 'Unidentified', code: '' });
      const prevented = await page.evaluate(() => {
        const input = document.activeElement;
        const e = new InputEvent('beforeinput', { inputType: 'deleteContentBackward', bubbles: true, cancelable: true });
        input.dispatchEvent(e);
        return e.defaultPrevented;
      });
      assert.equal(prevented, true, 'the app takes the edit itself');
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229, key: 'Unidentified', code: '' });
    }
    await h.waitUntil(page, () => window.handbook.query() === 'parc', null, 'two characters deleted');
    await page.keyboard.insertText('k');
    await h.waitUntil(page, () => window.handbook.query() === 'parck', null, 'typing goes on after it');
    await context.close();
  });

  it('\'/\' from an article or the page focuses search instead of typing a slash', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(env.server.url + '#/a/refund-windows');
    await h.waitForApp(page);
    await h.waitUntil(page, () => window.handbook.screen() === 'article', null, 'the article');
    await page.mouse.click(640, 600);  // into the text: the focus is on the article
    await page.keyboard.type('/late');
    await h.waitUntil(page, () => window.handbook.query() === 'late', null, '"late" searched, no slash');
    // From home, after a click on the page around the cards.
    await page.goto(env.server.url + '#/');
    await h.waitForApp(page);
    await h.waitUntil(page, () => window.handbook.screen() === 'home', null, 'home');
    await page.waitForTimeout(300);  // as a person would: home has settled (and given the box the focus)
    await page.mouse.click(20, 700);
    await page.waitForTimeout(100);
    await page.keyboard.type('/damaged');
    await h.waitUntil(page, () => window.handbook.query() === 'damaged', null, '"damaged" searched, no slash');
    await context.close();
  });

  it('Escape leaves an article; Alt+Left is left to the browser', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(env.server.url);
    await h.waitForApp(page);
    await page.keyboard.type('missing parcel');
    await h.waitUntil(page, () => window.handbook.hits().length > 0, null, 'hits');
    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => window.handbook.screen() === 'article', null, 'the article');
    await page.keyboard.press('Escape');
    await h.waitUntil(page, () => window.handbook.screen() === 'search', null, 'back to the results');
    assert.equal((await hook(page)).query, 'missing parcel');

    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => window.handbook.screen() === 'article', null, 'the article again');
    await page.mouse.click(640, 600);
    // Listening after the app (installed before the key is pressed): what the app did with
    // the key is visible here.
    await page.evaluate(() => {
      window.__arrowLeft = null;
      window.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowLeft') window.__arrowLeft = { prevented: e.defaultPrevented, alt: e.altKey };
      });
    });
    await page.keyboard.press('Alt+ArrowLeft');
    await page.waitForFunction(() => window.__arrowLeft !== null, null, { timeout: 5000 });
    const r = await page.evaluate(() => window.__arrowLeft);
    assert.deepEqual(r, { prevented: false, alt: true }, 'the app does not take Alt+Left from the browser (history back)');
    // The browser's own Back (what Alt+Left does in a browser with its keyboard shortcuts).
    await page.goBack({ waitUntil: 'commit' }).catch(() => {});
    await h.waitUntil(page, () => window.handbook.screen() === 'search', null, 'back to the results through the history');
    await context.close();
  });

  it('after Escape closes one drop-down, the first click opens the other', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(env.server.url + '#/search/refund');
    await h.waitForApp(page);
    await h.waitUntil(page, () => window.handbook.hits().length > 0, null, 'hits');
    await tapOrClick(page, 'category', false);
    await h.waitUntil(page, () => window.handbook.widgets().some((w) => w.label === 'All categories'), null, 'the category list');
    await h.screenshot(page, 'input-dropdown-open-1280x800');
    await page.keyboard.press('Escape');
    await h.waitUntil(page, () => !window.handbook.widgets().some((w) => w.label === 'All categories'), null, 'the list closed by Escape');
    assert.equal((await hook(page)).query, 'refund', 'Escape closed the list only');
    await tapOrClick(page, 'tag', false);
    await h.waitUntil(page, () => window.handbook.widgets().some((w) => w.label === 'All tags'), null, 'the tag list at the first click');
    await context.close();
  });
});
