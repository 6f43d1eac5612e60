// Signing in from the app (issue 18's first screen): the top bar's "Sign in", the form by
// its fields' names through the accessible twin, a wrong password said in words, the
// account menu with the role, a reload that keeps the session, and signing out. The user
// is made with the `handbook user add` command, as an administrator would.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const skip = h.appMissingReason();
const PASSWORD = h.TEST_PASSWORD;

const { press } = h;

describe('Signing in', { skip: skip || false }, () => {
  const env = h.sharedServerAndBrowser({ before, after });

  it('signs in with a wrong then the right password, keeps the session over a reload, signs out', async () => {
    const made = await h.runHandbook(['user', 'add', 'amira', '--role', 'editor', '--db', env.server.dbPath], PASSWORD + '\n');
    assert.equal(made.code, 0, made.out);
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = h.watchConsole(page);
    await page.goto(env.server.url + '#/a/approval-limits');
    await h.waitForApp(page);
    await press(page.getByRole('link', { name: 'Sign in' }), page);
    await h.waitUntil(page, () => window.handbook.screen() === 'sign-in', null, 'the sign-in screen');
    assert.equal(await page.evaluate(() => location.hash), '#/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: 10000 });
    await page.getByRole('textbox', { name: 'User name' }).focus();
    await page.keyboard.type('amira');
    await page.getByLabel('Password').focus();
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => document.getElementById('handbook-twin-status').textContent === 'Wrong user name or password.',
      null, 'the wrong password said');
    await h.screenshot(page, 'sign-in-wrong-password-1280x800');
    assert.equal(await page.evaluate(() => window.handbook.screen()), 'sign-in', 'the form stays');

    await page.getByLabel('Password').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => window.handbook.article() === 'approval-limits', null, 'back at the article');
    await page.getByRole('button', { name: 'Account: amira' }).waitFor({ timeout: 10000 });

    await page.reload();
    await h.waitForApp(page);
    await page.getByRole('button', { name: 'Account: amira' }).waitFor({ timeout: 10000 });
    await press(page.getByRole('button', { name: 'Account: amira' }), page);
    await page.getByRole('dialog', { name: 'Account' }).waitFor({ timeout: 10000 });
    assert.equal(await page.getByRole('dialog', { name: 'Account' }).getByText('Signed in as editor').count(), 1);
    await h.screenshot(page, 'sign-in-account-menu-1280x800');
    await press(page.getByRole('button', { name: 'Sign out' }), page);
    await page.getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 10000 });
    // The server ended the session: a reload does not bring the account back.
    await page.reload();
    await h.waitForApp(page);
    await page.waitForTimeout(500);
    assert.equal(await page.getByRole('button', { name: /^Account:/ }).count(), 0);
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    await context.close();
  });

  it('looks right on a tablet, and says when the server cannot be reached', async () => {
    const context = await env.browser.newContext({ viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(env.server.url);
    await h.waitForApp(page);
    await page.getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 10000 });
    await h.screenshot(page, 'sign-in-bar-820x1180');  // the bar with Sign in, status and Display
    await press(page.getByRole('link', { name: 'Sign in' }), page);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: 10000 });
    await h.screenshot(page, 'sign-in-820x1180');
    await context.setOffline(true);
    await page.getByRole('textbox', { name: 'User name' }).focus();
    await page.keyboard.type('amira');
    await page.getByLabel('Password').focus();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await h.waitUntil(page, () => /cannot be reached/.test(document.getElementById('handbook-twin-status').textContent),
      null, 'the server out of reach said');
    await h.screenshot(page, 'sign-in-offline-820x1180');
    await context.close();
  });
});
