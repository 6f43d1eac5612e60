// Staff learn what changed (issue 19), effective dates on the device: a version published
// for a later date reaches a staff tablet ahead of its day. Until then the tablet shows the
// version in force with a notice, finds the new text by a word only it has, and reads it
// on request; on the day (the page's clock moved forward, the network gone) it switches
// by itself.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const skip = h.appMissingReason();
const { press, isoDay, displayDay } = h;

describe('Effective dates on the device', { skip: skip || false }, () => {
  const env = h.sharedServerAndBrowser({ before, after });

  before(async () => {
    for (const [name, role] of [['amira', 'editor'], ['bo', 'approver'], ['sam', 'staff']]) {
      const made = await h.runHandbook(['user', 'add', name, '--role', role, '--db', env.server.dbPath], h.TEST_PASSWORD + '\n');
      assert.equal(made.code, 0, made.out);
    }
  });

  // A new version of `slug` with `extra` at the end, published to come into force on
  // `effective` (`more`: the approver's other choices, say must_acknowledge).
  async function publishLater(slug, extra, summary, effective, more = {}) {
    const amira = await h.apiAs(env.server.url, 'amira'), bo = await h.apiAs(env.server.url, 'bo');
    const live = (await (await fetch(env.server.url + 'api/articles/' + slug + '/versions')).json()).versions[0];
    const whole = await (await fetch(env.server.url + 'api/articles/' + slug + '/versions/' + live.version)).json();
    const draft = await amira('POST', 'api/drafts', { ...whole, body: whole.body + extra, effective, base_version: live.version });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    assert.equal((await amira('POST', 'api/drafts/' + draft.body.id + '/submit', { summary })).status, 200);
    const published = await bo('POST', 'api/drafts/' + draft.body.id + '/publish', { effective, ...more });
    assert.equal(published.status, 200, JSON.stringify(published.body));
  }

  // Asks the app to look for news now (as it does when the page is shown again).
  const lookForNews = (page) => page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

  it('shows the version in force with a notice, reads the new one, and switches on its day offline', async () => {
    const slug = 'exchanges';
    const day = isoDay(14);
    const tablet = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    // The page's clock runs as the real one until the test moves it.
    await tablet.clock.install({ time: new Date() });
    const tp = await tablet.newPage();
    const errors = h.watchConsole(tp);
    await tp.goto(env.server.url + '#/a/' + slug);
    await h.waitForApp(tp);
    await h.waitUntil(tp, () => window.handbook.sync().confirmedAt !== '', null, 'the tablet up to date');

    await publishLater(slug, '\n\nFrom the new date, a quokkaflux receipt is enough for an exchange.\n', 'Quokkaflux receipts count', day);
    await lookForNews(tp);
    const notice = `A new version comes into force on ${displayDay(day)}. What changes: Quokkaflux receipts count`;
    await tp.getByText(notice).waitFor({ timeout: 30000 });
    assert.equal(await tp.getByText(/quokkaflux receipt is enough/).count(), 0, 'the version in force is what is read');
    await h.screenshot(tp, 'reader-new-version-notice-820x1180');

    // Found by a word only the new version has; the hit says when it comes.
    await h.typeInSearch(tp, 'quokkaflux');
    await h.waitUntil(tp, () => window.handbook.hits().includes('exchanges'), null, 'the new word finds the policy');
    const hit = tp.getByRole('link', { name: 'Exchanges', exact: true });
    assert.match((await hit.getAttribute('aria-description')) || '', new RegExp('New version from ' + displayDay(day)));
    await press(hit, tp);
    await tp.getByText(notice).waitFor({ timeout: 10000 });
    await press(tp.getByRole('button', { name: 'Read the new version' }), tp);
    await tp.getByText(/quokkaflux receipt is enough/).first().waitFor({ timeout: 10000 });
    await tp.getByText(`You are reading the version that comes into force on ${displayDay(day)}. Until then, the version in force applies.`)
      .waitFor({ timeout: 10000 });
    await h.screenshot(tp, 'reader-reading-new-version-820x1180');
    await press(tp.getByRole('button', { name: 'Back to the version in force' }), tp);
    await h.waitUntil(tp, () => !document.body.innerText.includes('quokkaflux receipt is enough'), null, 'back to the version in force');

    // A desktop shows the same notice.
    const desk = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const dp = await desk.newPage();
    await dp.goto(env.server.url + '#/a/' + slug);
    await h.waitForApp(dp);
    await dp.getByText(notice).waitFor({ timeout: 30000 });
    await h.screenshot(dp, 'reader-new-version-notice-1280x800');
    await desk.close();

    assert.deepEqual(errors, [], 'nothing went wrong while online');

    // The day comes while the tablet has no network: it switches by itself.
    await tablet.setOffline(true);
    await tp.clock.setSystemTime(new Date(Date.now() + 15 * 86400000));
    await lookForNews(tp);
    await tp.getByText(/quokkaflux receipt is enough/).first().waitFor({ timeout: 30000 });
    assert.equal(await tp.getByRole('button', { name: 'Read the new version' }).count(), 0, 'nothing more to come');
    assert.equal(await tp.getByText(notice).count(), 0);
    await h.screenshot(tp, 'reader-switched-offline-820x1180');
    // Offline, the checks for news fail (the service worker answers 503): said, not an error.
    assert.deepEqual(errors.filter((e) => !/^Failed to load resource|Handbook: /.test(e)), []);
    await tablet.close();
  });

  it('a person signs in on a tablet without the network, acknowledges a must-read change, and it reaches the server once with both times', async () => {
    const slug = 'faulty-goods';
    await publishLater(slug, '\n\nA faulty item bought with a wombatique card is refunded to the card.\n', 'Card refunds for faulty items',
      isoDay(0), { must_acknowledge: true, acknowledge_by: isoDay(7) });
    const tablet = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const tp = await tablet.newPage();
    const errors = h.watchConsole(tp);
    // Sam has signed in on this tablet before (the device keeps a verifier), and signed out.
    await h.signIn(tp, env.server.url, 'sam');
    await h.waitUntil(tp, () => window.handbook.sync().confirmedAt !== '', null, 'the tablet up to date');
    await press(tp.getByRole('button', { name: 'Account: sam' }), tp);
    await press(tp.getByRole('button', { name: 'Sign out' }), tp);
    await tp.getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 10000 });

    // No network: Sam signs in again, checked against the tablet's verifier.
    await tablet.setOffline(true);
    await press(tp.getByRole('link', { name: 'Sign in' }), tp);
    await tp.getByRole('textbox', { name: 'User name' }).focus();
    await tp.keyboard.type('sam');
    await tp.getByLabel('Password').focus();
    await tp.keyboard.type(h.TEST_PASSWORD);
    await tp.keyboard.press('Enter');
    await tp.getByRole('button', { name: 'Account: sam' }).waitFor({ timeout: 20000 });
    await h.screenshot(tp, 'signed-in-offline-820x1180');

    // The bell counts it; What's new lists it to read, due in a week.
    const bell = tp.getByRole('link', { name: "What's new" });
    await h.waitUntil(tp, () => [...document.querySelectorAll('[aria-description]')].some((e) => /changes? for you/.test(e.getAttribute('aria-description'))),
      null, 'a count on the bell');
    await press(bell, tp);
    await h.waitUntil(tp, () => window.handbook.screen() === 'news', null, "What's new");
    await tp.getByRole('heading', { name: 'To read and acknowledge' }).waitFor({ timeout: 10000 });
    const row = tp.getByRole('link', { name: 'Faulty goods', exact: true }).first();
    await row.waitFor({ timeout: 10000 });
    await h.screenshot(tp, 'whats-new-820x1180');
    await press(row, tp);
    await h.waitUntil(tp, () => window.handbook.screen() === 'article', null, 'the policy');
    await tp.getByText(`You must read and acknowledge version 2 of this policy by ${displayDay(isoDay(7))}.`).waitFor({ timeout: 10000 });
    const ack = tp.getByRole('button', { name: 'I have read and understood' });
    await ack.waitFor({ timeout: 10000 });
    await h.screenshot(tp, 'acknowledge-820x1180');
    await press(ack, tp);
    await tp.getByText(/Acknowledged: version 2 of Faulty goods\. It is kept on this device/).waitFor({ timeout: 10000 });
    const amira = await h.apiAs(env.server.url, 'amira');
    const report = async () => (await amira('GET', 'api/reports/acknowledgements?slug=' + slug)).body;
    assert.equal((await report()).acknowledged, 0, 'nothing reached the server while offline');

    // The network is back: Sam's session begins by itself (the offline sign-in held his
    // password in memory for it), and the acknowledgement reaches the server once.
    await tablet.setOffline(false);
    await tp.evaluate(() => window.dispatchEvent(new Event('online')));
    let r = null;
    for (let i = 0; i < 60; ++i) {
      r = await report();
      if (r.acknowledged >= 1) break;
      await tp.waitForTimeout(500);
    }
    assert.equal(r.acknowledged, 1, JSON.stringify(r));
    await tp.getByText('Your acknowledgement reached the server.').waitFor({ timeout: 10000 });
    const mine = r.rows.filter((x) => x.user === 'sam' && x.acknowledged_at);
    assert.equal(mine.length, 1);
    assert.ok(mine[0].acknowledged_at <= mine[0].received_at, JSON.stringify(mine[0]));
    await tp.waitForTimeout(2000);  // more looks: still once
    assert.equal((await report()).acknowledged, 1);
    assert.deepEqual(errors.filter((e) => !/^Failed to load resource|Handbook: /.test(e)), []);
    await tablet.close();
  });

  it('counts a search that found nothing on an offline tablet, without a name, and lists it for the owner', async () => {
    const tablet = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const tp = await tablet.newPage();
    const errors = h.watchConsole(tp);
    await tp.goto(env.server.url);
    await h.waitForApp(tp);
    await h.waitUntil(tp, () => window.handbook.sync().confirmedAt !== '', null, 'the tablet up to date');
    await tablet.setOffline(true);
    await h.typeInSearch(tp, 'zorbonian quxley');
    await h.waitUntil(tp, () => window.handbook.screen() === 'search', null, 'the search');
    await tp.waitForTimeout(3500);  // the person looks at "no results"
    await tp.keyboard.press('Escape');
    const misses = async () => {
      const editor = await h.apiAs(env.server.url, 'amira');
      return (await editor('GET', 'api/reports/search-misses')).body.searches.filter((m) => m.query === 'zorbonian quxley');
    };
    assert.deepEqual(await misses(), [], 'nothing reaches the server while offline');
    await tablet.setOffline(false);
    await tp.evaluate(() => window.dispatchEvent(new Event('online')));
    let found = [];
    for (let i = 0; i < 60 && found.length === 0; ++i) {
      found = await misses();
      if (found.length === 0) await tp.waitForTimeout(500);
    }
    assert.equal(found.length, 1, 'sent when the network is back');
    assert.equal(found[0].count, 1);
    assert.equal(found[0].no_results, 1);
    await tablet.close();

    // The owner (an editor, on a desktop) finds it under What's new and runs it.
    const desk = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const dp = await desk.newPage();
    await h.signIn(dp, env.server.url, 'amira');
    await dp.goto(env.server.url + '#/whats-new');
    await dp.getByRole('heading', { name: 'Searches that found nothing' }).waitFor({ timeout: 20000 });
    const row = dp.getByRole('link', { name: '"zorbonian quxley"' });
    await row.waitFor({ timeout: 20000 });
    await h.screenshot(dp, 'whats-new-search-misses-1280x800');
    // Below the fold: focus scrolls the page to it, and Enter at once opens this row, not
    // the one that was under it before the scroll (it did).
    await press(row, dp);
    await h.waitUntil(dp, () => window.handbook.screen() === 'search', null, 'the search run');
    assert.equal(await dp.evaluate(() => window.handbook.query()), 'zorbonian quxley');
    assert.deepEqual(errors.filter((e) => !/^Failed to load resource|Handbook: /.test(e)), []);
    await desk.close();
  });
});
