const h = require('../tests/e2e/harness.js');
(async () => {
  const server = await h.startServer();
  const browser = await h.launchBrowser();
  for (const [n, r] of [['amira', 'editor'], ['bo', 'approver'], ['sam', 'staff']]) await h.runHandbook(['user', 'add', n, '--role', r, '--db', server.dbPath], h.TEST_PASSWORD + '\n');
  const amira = await h.apiAs(server.url, 'amira'), bo = await h.apiAs(server.url, 'bo'), sam = await h.apiAs(server.url, 'sam');
  const slug = 'faulty-goods';
  const live = (await (await fetch(server.url + 'api/articles/' + slug + '/versions')).json()).versions[0];
  const whole = await (await fetch(server.url + 'api/articles/' + slug + '/versions/' + live.version)).json();
  const d = await amira('POST', 'api/drafts', { ...whole, body: whole.body + '\n\nCard refunds for faulty items.\n', effective: h.isoDay(0), base_version: live.version });
  await amira('POST', 'api/drafts/' + d.body.id + '/submit', { summary: 'Card refunds' });
  await bo('POST', 'api/drafts/' + d.body.id + '/publish', { effective: h.isoDay(0), must_acknowledge: true, acknowledge_by: h.isoDay(7) });
  console.log(JSON.stringify(await sam('POST', 'api/acknowledgements', { id: 'x1', slug, version: 2, acknowledged_at: new Date(Date.now() - 3600e3).toISOString().slice(0, 19) + 'Z' })));
  for (const [w, hh] of [[1280, 800], [820, 1180]]) {
    const ctx = await browser.newContext({ viewport: { width: w, height: hh } });
    const p = await ctx.newPage();
    await h.signIn(p, server.url, 'amira');
    await p.goto(server.url + '#/whats-new');
    await p.waitForTimeout(1500);
    await h.screenshot(p, `zz-news-editor-${w}x${hh}`);
    await p.goto(server.url + '#/report/' + slug);
    await p.waitForTimeout(1500);
    await h.screenshot(p, `zz-report-${w}x${hh}`);
    await p.goto(server.url + '#/a/' + slug);
    await p.waitForTimeout(800);
    await h.press(p.getByRole('button', { name: 'As in force on a date' }), p);
    await p.waitForTimeout(500);
    await h.screenshot(p, `zz-asof-form-${w}x${hh}`);
    await p.getByRole('textbox', { name: 'As in force on (YYYY-MM-DD)' }).focus();
    await p.keyboard.press('Control+A');
    await p.keyboard.type(h.isoDay(-1));
    await p.keyboard.press('Enter');
    await p.waitForTimeout(800);
    await h.screenshot(p, `zz-asof-shown-${w}x${hh}`);
    await ctx.close();
  }
  await browser.close(); await server.stop(); process.exit(0);
})();
