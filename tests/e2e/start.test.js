// scripts/start.sh as a newcomer runs it: it builds only what serving needs (the
// program and the web app, with ninja's progress), serves, and says how edits to
// articles/*.md reach the database, with a command that works as printed.
// (It runs against the builds scripts/test.sh has just made, so nothing is rebuilt
// here; the time a first start takes is measured by hand: see the README.)
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

// Runs start.sh until the server prints its URL, then `whileServing(output)`; returns its
// output and the URL, and stops it.
async function start(args, whileServing = async () => {}) {
  const proc = spawn('bash', [path.join(h.root, 'scripts/start.sh'), ...args], { cwd: h.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('start.sh did not serve in 5 minutes:\n' + out)), 300000);
    const poll = setInterval(() => {
      const m = /running at (http:\/\/\S+\/)/.exec(out);
      if (m) { clearInterval(poll); clearTimeout(timer); resolve(m[1]); }
    }, 100);
    exited.then((code) => { clearInterval(poll); clearTimeout(timer); reject(new Error(`start.sh exited with ${code}:\n${out}`)); });
  });
  const res = await fetch(url);
  await whileServing(out);
  proc.kill('SIGINT');
  await exited;
  return { out, url, status: res.status };
}

test('start.sh builds only the program and the web app, and tells how article edits get in', { skip: h.appMissingReason() || false, timeout: 600000 }, async () => {
  const script = fs.readFileSync(path.join(h.root, 'scripts/start.sh'), 'utf8');
  const targets = [...script.matchAll(/^build (\w+) (\w+) /gm)].map((m) => m[1] + ':' + m[2]);
  assert.deepEqual(targets, ['native:handbook', 'web:handbook_web'], 'no test suite or benchmark is built to serve');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-start-'));
  const db = path.join(tmp, 'handbook.db');
  try {
    const first = await start(['--port', '0', '--db', db]);
    assert.equal(first.status, 200);
    assert.match(first.out, /start: building the handbook program/);
    assert.match(first.out, /start: building the web app/);
    assert.match(first.out, /first start: importing articles\//);
    assert.ok(fs.existsSync(db), 'the database named by --db was made');

    let imported = null;
    const again = await start(['--port', '0', '--db', db], async (out) => {
      // The command as printed works, from the folder start.sh runs in, while it serves.
      const command = out.split('\n').map((l) => l.trim()).find((l) => l.includes(' import articles --db '));
      assert.equal(command, `./build/native/src/server/handbook import articles --db ${db}`);
      const [program, ...rest] = command.split(' ');
      execFileSync(program, rest, { cwd: h.root, encoding: 'utf8' });  // throws unless it exits 0
      imported = command;
    });
    assert.equal(again.status, 200);
    assert.match(again.out, /Edits to articles\/\*\.md show only once imported/);
    assert.ok(imported, 'the import ran while the server was up');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
